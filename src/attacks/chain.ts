import type { AttackVector } from '../spec/attack-vector.js';
import type { Behavior } from '../spec/behavior.js';
import { behaviorPrompt } from '../spec/behavior.js';
import type { Conversation } from '../spec/message.js';
import type { Target } from '../spec/target.js';
import { ConfigError } from '../spec/errors.js';
import { attackRegistry } from './registry.js';

/** A composition of vectors written `a+b+c`: applied left to right, responses decoded right to left. */
export interface AttackChain {
  /** The chain as written, e.g. `roleplay.grandma+obfuscation.base64`. */
  id: string;
  /** The vectors, in application order. */
  vectors: AttackVector[];
}

/** A chain that cannot run in this configuration, and why (e.g. needs a helper model). */
export interface SkippedChain {
  id: string;
  reason: string;
}

/**
 * Expand `--attacks` specs into chains. A spec is a chain (`a+b`), `all`, or `family:NAME`.
 *
 * @example
 * resolveAttackChains(['direct', 'roleplay.grandma+obfuscation.base64'], { helperAvailable: false })
 */
export function resolveAttackChains(
  specs: string[],
  options: { helperAvailable: boolean },
): { chains: AttackChain[]; skipped: SkippedChain[] } {
  const chains: AttackChain[] = [];
  const skipped: SkippedChain[] = [];
  const seen = new Set<string>();
  const push = (vectors: AttackVector[]): void => {
    const id = vectors.map((vector) => vector.id).join('+');
    if (seen.has(id)) return;
    seen.add(id);
    const helperless = vectors.find((vector) => vector.needsHelper && !options.helperAvailable);
    if (helperless) {
      skipped.push({ id, reason: `'${helperless.id}' needs a helper model (set --helper TARGET-SPEC)` });
      return;
    }
    chains.push({ id, vectors });
  };
  for (const spec of specs.flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean)) {
    if (spec === 'all') {
      for (const vector of attackRegistry.list()) push([vector]);
    } else if (spec.startsWith('family:')) {
      const family = spec.slice('family:'.length);
      const members = attackRegistry.list().filter((vector) => vector.family === family);
      if (members.length === 0) throw new ConfigError(`no attack vectors in family '${family}'`, { field: 'attacks' });
      for (const vector of members) push([vector]);
    } else {
      const vectors = spec.split('+').map((part) => part.trim()).map((id) => {
        if (!attackRegistry.has(id)) {
          throw new ConfigError(`unknown attack vector '${id}' (see 'redcard list attacks')`, { field: 'attacks' });
        }
        return attackRegistry.get(id);
      });
      push(vectors);
    }
  }
  return { chains, skipped };
}

/** Build the conversation for a behavior through a chain, starting from the behavior's prompt as one user turn. */
export async function applyChain(
  chain: AttackChain,
  input: { behavior: Behavior; sample: number; helper?: Target },
): Promise<Conversation> {
  let conversation: Conversation = [{ role: 'user', content: behaviorPrompt(input.behavior) }];
  for (const vector of chain.vectors) {
    conversation = await vector.apply({ behavior: input.behavior, conversation, sample: input.sample, helper: input.helper });
  }
  return conversation;
}

/** Undo the chain's output transforms on a response, last vector first. */
export async function decodeChain(chain: AttackChain, text: string, context: { helper?: Target } = {}): Promise<string> {
  let decoded = text;
  for (let index = chain.vectors.length - 1; index >= 0; index -= 1) {
    const vector = chain.vectors[index];
    if (vector.decodesResponse && vector.decodeResponse) decoded = await vector.decodeResponse(decoded, context);
  }
  return decoded;
}

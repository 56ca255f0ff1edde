import type { AttackVector } from '../spec/attack-vector.js';
import type { Behavior } from '../spec/behavior.js';
import { behaviorPrompt } from '../spec/behavior.js';
import type { Conversation } from '../spec/message.js';
import type { Target } from '../spec/target.js';
import { ConfigError } from '../spec/errors.js';
import type { Strategy } from '../spec/strategy.js';
import { attackRegistry } from './registry.js';
import { splitAttackList } from './split-attack-list.js';

/** An adaptive strategy with its parameters, as an attack spec names it (`strategy.pair:streams=20,iterations=3`). */
export interface ResolvedStrategy {
  /** The spec, normalised (the attack's id in the plan and the record). */
  id: string;
  /** The strategy (its parameters' type is its own). */
  strategy: Strategy<never>;
  /** Parameters after defaults, presets and overrides. */
  params: unknown;
}

/** Turns a strategy spec into a strategy with parameters; throws ConfigError for an unknown strategy or parameter. */
export type StrategyResolver = (spec: string) => ResolvedStrategy;

/**
 * A composition of vectors written `a+b+c`: applied left to right, responses decoded right to left. With `strategy`
 * (`strategy.x:…+a+b`) the strategy drives the conversation and the vectors are applied to every conversation it
 * sends (and its answers decoded); a static chain is the one-turn special case.
 */
export interface AttackChain {
  /** The chain as written, e.g. `roleplay.grandma+obfuscation.base64` or `strategy.pair:streams=2+obfuscation.base64`. */
  id: string;
  /** The vectors, in application order. */
  vectors: AttackVector[];
  /** The adaptive strategy that drives the attempt, if any. */
  strategy?: ResolvedStrategy;
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
  options: { helperAvailable: boolean; attackerAvailable?: boolean; resolveStrategy?: StrategyResolver },
): { chains: AttackChain[]; skipped: SkippedChain[] } {
  const chains: AttackChain[] = [];
  const skipped: SkippedChain[] = [];
  const seen = new Set<string>();
  const push = (vectors: AttackVector[], strategy?: ResolvedStrategy): void => {
    const id = [...(strategy ? [strategy.id] : []), ...vectors.map((vector) => vector.id)].join('+');
    if (seen.has(id)) return;
    seen.add(id);
    if (strategy?.strategy.needsAttacker && options.attackerAvailable !== true) {
      skipped.push({ id, reason: `'${strategy.strategy.id}' needs an attacker model (set --attacker TARGET-SPEC, e.g. --attacker sim)` });
      return;
    }
    const helperless = vectors.find((vector) => vector.needsHelper && !options.helperAvailable);
    if (helperless) {
      skipped.push({ id, reason: `'${helperless.id}' needs a helper model (set --helper TARGET-SPEC)` });
      return;
    }
    chains.push(strategy ? { id, vectors, strategy } : { id, vectors });
  };
  const vectorsOf = (ids: string[]): AttackVector[] =>
    ids.map((part) => part.trim()).map((id) => {
      if (!attackRegistry.has(id)) {
        throw new ConfigError(`unknown attack vector '${id}' (see 'redcard list attacks')`, { field: 'attacks' });
      }
      return attackRegistry.get(id);
    });
  for (const spec of splitAttackList(specs.join(','))) {
    if (spec.startsWith('strategy.')) {
      if (options.resolveStrategy === undefined) throw new ConfigError(`'${spec}': no strategies are available here`, { field: 'attacks' });
      const [strategySpec, ...vectorIds] = spec.split('+');
      push(vectorsOf(vectorIds), options.resolveStrategy(strategySpec.trim()));
    } else if (spec === 'all') {
      for (const vector of attackRegistry.list()) push([vector]);
    } else if (spec.startsWith('family:')) {
      const family = spec.slice('family:'.length);
      const members = attackRegistry.list().filter((vector) => vector.family === family);
      if (members.length === 0) throw new ConfigError(`no attack vectors in family '${family}'`, { field: 'attacks' });
      for (const vector of members) push([vector]);
    } else {
      push(vectorsOf(spec.split('+')));
    }
  }
  return { chains, skipped };
}

/** Build the conversation for a behavior through a chain, starting from the behavior's prompt as one user turn (or from `conversation`: a strategy's). */
export async function applyChain(
  chain: AttackChain,
  input: { behavior: Behavior; sample: number; helper?: Target; conversation?: Conversation },
): Promise<Conversation> {
  let conversation: Conversation = input.conversation ?? [{ role: 'user', content: behaviorPrompt(input.behavior) }];
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

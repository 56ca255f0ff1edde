import type { Behavior } from './behavior.js';
import type { Conversation } from './message.js';
import type { Target } from './target.js';

/** The families attack vectors belong to; `--attacks family:NAME` selects one. */
export const ATTACK_FAMILIES = [
  'baseline',
  'roleplay',
  'framing',
  'persuasion',
  'output-control',
  'structure',
  'obfuscation',
  'translation',
] as const;
export type AttackFamily = (typeof ATTACK_FAMILIES)[number];

/** What a vector receives: the behavior and the conversation built so far by earlier vectors in the chain. */
export interface AttackInput {
  /** The behavior being attacked. */
  behavior: Behavior;
  /** The conversation so far; for the first vector, the behavior's prompt as one user message. */
  conversation: Conversation;
  /** Sample index, so that vectors with random choices vary per sample but stay deterministic. */
  sample: number;
  /** A helper model (for translation and other model-assisted vectors), when one is configured. */
  helper?: Target;
}

/**
 * An attack vector: a transform of a request that is not tied to one harm. `apply` rewrites the conversation;
 * `decodeResponse` undoes what the vector asked the model to do to its answer (e.g. base64) before judging.
 * Vectors compose: `a+b` applies `a` then `b`, and decodes in reverse order.
 */
export interface AttackVector {
  /** Stable id, `family.name` (e.g. `roleplay.grandma`). */
  readonly id: string;
  /** Family, for `--attacks family:NAME` and for reports. */
  readonly family: AttackFamily;
  /** One sentence: what the vector does. */
  readonly description: string;
  /** Where the idea comes from (paper or project URL); our wording is our own. */
  readonly reference: string;
  /** True when it needs a helper model (`--helper`); skipped with a message when none is configured. */
  readonly needsHelper: boolean;
  /** True when the response must be decoded (`decodeResponse`) before it is judged. */
  readonly decodesResponse: boolean;
  /** Build the conversation to send. */
  apply(input: AttackInput): Conversation | Promise<Conversation>;
  /** Turn the model's answer back into plain text (only for vectors with `decodesResponse`); may use the helper (translation). */
  decodeResponse?(text: string, context: { helper?: Target }): string | Promise<string>;
}

/**
 * Identity helper that gives a vector its type.
 *
 * @example
 * export const direct = defineAttack({ id: 'direct', family: 'baseline', description: 'The request as is.',
 *   reference: 'https://arxiv.org/abs/2402.04249', needsHelper: false, decodesResponse: false,
 *   apply: ({ conversation }) => conversation });
 */
export function defineAttack(vector: AttackVector): AttackVector {
  return vector;
}

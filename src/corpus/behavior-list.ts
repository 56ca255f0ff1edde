import { createHash } from 'node:crypto';
import type { Behavior } from '../spec/behavior.js';

/**
 * The behaviors of a scan's plan, read in order as often as the plan needs them, without being held together in memory
 * when they come from a large file (`openSuites`); an array is one too (`behaviorListOf`).
 */
export interface BehaviorList extends Iterable<Behavior> {
  /** How many behaviors the list holds. */
  readonly count: number;
  /** How many of them are harmful (not benign): those a strategy attacks. */
  readonly harmful: number;
  /** Digest of every behavior's id, text and context in order (`hashBehaviors`): part of the run's plan hash. */
  readonly hash: string;
}

/** Incremental digest of behaviors in order: the same bytes as hashing them joined at once. */
export class BehaviorsDigest {
  readonly #hash = createHash('sha256');
  #first = true;

  add(behavior: Behavior): void {
    this.#hash.update(`${this.#first ? '' : '\u0001'}${behavior.id}\u0000${behavior.text}\u0000${behavior.context ?? ''}`);
    this.#first = false;
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

/**
 * Digest of behaviors in order (id, text, context): what a run's plan hash holds of its suites.
 *
 * @example
 * hashBehaviors([{ id: 'a', text: 'x', … }]) // 'e3b0…'
 */
export function hashBehaviors(behaviors: Iterable<Behavior>): string {
  const digest = new BehaviorsDigest();
  for (const behavior of behaviors) digest.add(behavior);
  return digest.digest();
}

/**
 * An array of behaviors as a BehaviorList.
 *
 * @example
 * behaviorListOf(loaded.behaviors).harmful
 */
export function behaviorListOf(behaviors: readonly Behavior[]): BehaviorList {
  let hash: string | undefined;
  return {
    count: behaviors.length,
    harmful: behaviors.filter((behavior) => !behavior.benign).length,
    get hash() {
      hash ??= hashBehaviors(behaviors);
      return hash;
    },
    [Symbol.iterator]: () => behaviors[Symbol.iterator](),
  };
}

/** Whether behaviors are a BehaviorList (else an array). */
export function isBehaviorList(behaviors: readonly Behavior[] | BehaviorList): behaviors is BehaviorList {
  return !Array.isArray(behaviors);
}

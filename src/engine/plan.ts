import type { AttackChain } from '../attacks/chain.js';
import type { Behavior } from '../spec/behavior.js';
import { isBehaviorList, type BehaviorList } from '../corpus/behavior-list.js';

/** One planned attempt: a behavior through a chain, sample N, at a stable position. */
export interface PlannedAttempt {
  /** Position in the plan (stable: chains outer, behaviors, samples inner). */
  index: number;
  /** `behaviorId|chainId|sample`, unique in a run. */
  key: string;
  behavior: Behavior;
  chain: AttackChain;
  sample: number;
}

/** What defines a plan. */
export interface PlanShape {
  /** An array, or a list read again from its suite files on each pass (`openSuites`: never held whole). */
  behaviors: readonly Behavior[] | BehaviorList;
  chains: AttackChain[];
  samples: number;
  /** Keep only the first `limit` positions. */
  limit?: number | null;
}

/**
 * The behaviors a chain attacks: all of them for a static chain; the harmful ones for a strategy (a benign twin can
 * never be a success, so a strategy would spend its whole budget on it; over-refusal is measured by static chains).
 */
function* behaviorsOf(shape: PlanShape, chain: AttackChain): Generator<Behavior> {
  for (const behavior of shape.behaviors) if (chain.strategy === undefined || !behavior.benign) yield behavior;
}

/** How many behaviors a chain attacks (see behaviorsOf), without reading a streamed list. */
function countOf(shape: PlanShape, chain: AttackChain): number {
  const { behaviors } = shape;
  if (isBehaviorList(behaviors)) return chain.strategy === undefined ? behaviors.count : behaviors.harmful;
  return chain.strategy === undefined ? behaviors.length : behaviors.filter((behavior) => !behavior.benign).length;
}

/** Number of attempts in the plan after the limit. */
export function planSize(shape: PlanShape): number {
  const full = shape.chains.reduce((total, chain) => total + countOf(shape, chain), 0) * shape.samples;
  return shape.limit === undefined || shape.limit === null ? full : Math.min(full, shape.limit);
}

/** The plan key of an attempt. */
export function attemptKey(behaviorId: string, chainId: string, sample: number): string {
  return `${behaviorId}|${chainId}|${sample}`;
}

/**
 * Planned attempts in stable order, generated lazily (a 100,000-attempt plan is never held in memory, nor a streamed
 * suite's behaviors: each chain reads them again):
 * for each chain, each behavior it attacks (strategies: the harmful ones), each sample. `--limit N` keeps the first N.
 *
 * @example
 * for (const planned of planAttempts({ behaviors, chains, samples: 1 })) console.log(planned.key);
 */
export function* planAttempts(shape: PlanShape): Generator<PlannedAttempt> {
  const total = planSize(shape);
  let index = 0;
  for (const chain of shape.chains) {
    for (const behavior of behaviorsOf(shape, chain)) {
      for (let sample = 0; sample < shape.samples; sample += 1) {
        if (index >= total) return;
        yield { index, key: attemptKey(behavior.id, chain.id, sample), behavior, chain, sample };
        index += 1;
      }
    }
  }
}

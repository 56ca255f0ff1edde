import type { AttackChain } from '../attacks/chain.js';
import type { Behavior } from '../spec/behavior.js';

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
  behaviors: Behavior[];
  chains: AttackChain[];
  samples: number;
  /** Keep only the first `limit` positions. */
  limit?: number | null;
}

/** Number of attempts in the plan after the limit. */
export function planSize(shape: PlanShape): number {
  const full = shape.behaviors.length * shape.chains.length * shape.samples;
  return shape.limit === undefined || shape.limit === null ? full : Math.min(full, shape.limit);
}

/** The plan key of an attempt. */
export function attemptKey(behaviorId: string, chainId: string, sample: number): string {
  return `${behaviorId}|${chainId}|${sample}`;
}

/**
 * Planned attempts in stable order, generated lazily (a 100,000-attempt plan is never held in memory):
 * for each chain, each behavior, each sample. `--limit N` keeps the first N positions.
 *
 * @example
 * for (const planned of planAttempts({ behaviors, chains, samples: 1 })) console.log(planned.key);
 */
export function* planAttempts(shape: PlanShape): Generator<PlannedAttempt> {
  const total = planSize(shape);
  let index = 0;
  for (const chain of shape.chains) {
    for (const behavior of shape.behaviors) {
      for (let sample = 0; sample < shape.samples; sample += 1) {
        if (index >= total) return;
        yield { index, key: attemptKey(behavior.id, chain.id, sample), behavior, chain, sample };
        index += 1;
      }
    }
  }
}

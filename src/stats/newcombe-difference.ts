import { wilsonInterval, Z_95 } from './wilson-interval.js';

/** Counts of one proportion. */
export interface Counts {
  successes: number;
  n: number;
}

/** A difference of two proportions, B − A, with its 95 % interval. */
export interface ProportionDifference {
  /** pB − pA. */
  difference: number;
  /** Lower bound of the Newcombe hybrid score interval. */
  lower: number;
  /** Upper bound of the Newcombe hybrid score interval. */
  upper: number;
  /** The two proportions' estimates. */
  estimateA: number;
  estimateB: number;
}

/**
 * Difference B − A of two independent proportions with Newcombe's hybrid score interval (Newcombe 1998, method 10):
 * each side's Wilson interval is combined by squared distances, which keeps good coverage at 0/n and n/n.
 *
 * @example
 * newcombeDifference({ successes: 48, n: 80 }, { successes: 56, n: 70 }) // difference 0.2, [0.0524, 0.3339]
 */
export function newcombeDifference(a: Counts, b: Counts, z: number = Z_95): ProportionDifference {
  const intervalA = wilsonInterval(a.successes, a.n, z);
  const intervalB = wilsonInterval(b.successes, b.n, z);
  const difference = intervalB.estimate - intervalA.estimate;
  const lower =
    difference - Math.sqrt((intervalB.estimate - intervalB.lower) ** 2 + (intervalA.upper - intervalA.estimate) ** 2);
  const upper =
    difference + Math.sqrt((intervalB.upper - intervalB.estimate) ** 2 + (intervalA.estimate - intervalA.lower) ** 2);
  return {
    difference,
    lower: Math.max(-1, lower),
    upper: Math.min(1, upper),
    estimateA: intervalA.estimate,
    estimateB: intervalB.estimate,
  };
}

import type { Proportion } from '../spec/calibration.js';

/** The normal quantile for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/**
 * A proportion with its Wilson score interval (Wilson 1927). Unlike the Wald interval it stays inside [0, 1] and
 * is honest at 0/n and n/n, which is where red-teaming results usually sit. n = 0 gives estimate 0 and [0, 1].
 *
 * @example
 * wilsonInterval(0, 10) // { successes: 0, n: 10, estimate: 0, lower: 0, upper: 0.2775… }
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need integers 0 ≤ successes ≤ n, got ${successes}/${n}`);
  }
  if (n === 0) return { successes, n, estimate: 0, lower: 0, upper: 1 };
  const estimate = successes / n;
  const zSquared = z * z;
  const denominator = 1 + zSquared / n;
  const centre = (estimate + zSquared / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((estimate * (1 - estimate)) / n + zSquared / (4 * n * n));
  // At 0/n and n/n one bound is exactly 0 or 1 in exact arithmetic; pin it so rounding never shows 1e-17.
  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === n ? 1 : Math.min(1, centre + halfWidth);
  return { successes, n, estimate, lower, upper };
}

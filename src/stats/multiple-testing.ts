import { newcombeDifference, type Counts } from './newcombe-difference.js';

/**
 * Complementary error function, erfc(x), with relative error below 1.2e-7 everywhere (Chebyshev fit, Press et al.,
 * Numerical Recipes 2nd ed. §6.2), enough for p-values down to ~1e-300.
 *
 * @example
 * erfc(0) // 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const value =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? value : 2 - value;
}

/** Two-sided tail probability of a standard normal beyond |z|. */
const twoSidedTail = (z: number): number => erfc(Math.abs(z) / Math.SQRT2);

/**
 * Two-sided p-value for B − A of two independent proportions that matches the Newcombe hybrid score interval shown
 * beside it: the α at which the (1 − α) Newcombe interval just reaches 0 (found by bisection on z; the interval
 * widens monotonically with z). So p < 0.05 exactly when the 95 % interval excludes 0, and a report never shows an
 * interval and a p-value that disagree. Null when either side has n = 0.
 *
 * @example
 * newcombePValue({ successes: 2, n: 100 }, { successes: 30, n: 100 }) // ≈ 1e-8
 */
export function newcombePValue(a: Counts, b: Counts): number | null {
  if (a.n === 0 || b.n === 0) return null;
  const difference = b.successes / b.n - a.successes / a.n;
  if (difference === 0) return 1;
  // The bound on the side of 0: the lower bound for an increase, the upper bound for a decrease.
  const gap = (z: number): number => {
    const interval = newcombeDifference(a, b, z);
    return difference > 0 ? interval.lower : -interval.upper;
  };
  let low = 0;
  let high = 1;
  while (gap(high) > 0 && high < 64) high *= 2;
  if (gap(high) > 0) return 0;
  for (let iteration = 0; iteration < 80; iteration += 1) {
    const middle = (low + high) / 2;
    if (gap(middle) > 0) low = middle;
    else high = middle;
  }
  return Math.min(1, twoSidedTail((low + high) / 2));
}

/**
 * Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995, step-up): reject every hypothesis whose adjusted
 * value is at most q and the expected share of false discoveries among the rejections is at most q (for independent
 * or positively dependent tests). Null entries (no test made) stay null and do not count towards m.
 *
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03, null]) // [0.03, 0.04, 0.04, null]
 */
export function benjaminiHochberg(pValues: Array<number | null>): Array<number | null> {
  const tested = pValues.map((value, index) => ({ value, index })).filter((entry): entry is { value: number; index: number } => entry.value !== null);
  const m = tested.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  tested.sort((left, right) => left.value - right.value);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const entry = tested[rank - 1];
    running = Math.min(running, (entry.value * m) / rank);
    adjusted[entry.index] = Math.min(1, running);
  }
  return adjusted;
}

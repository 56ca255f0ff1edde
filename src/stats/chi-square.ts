/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine coefficients; relative error below 1e-14). */
export function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0]!;
  for (let index = 1; index < 9; index += 1) sum += coefficients[index]! / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Upper regularised incomplete gamma Q(a, x) = Γ(a, x) / Γ(a): a series below x < a + 1, a continued fraction
 * (modified Lentz) above.
 */
export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n += 1) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * P(X ≥ statistic) for X chi-square distributed with `degrees` degrees of freedom.
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1) // 0.05
 */
export function chiSquareSurvival(statistic: number, degrees: number): number {
  if (degrees <= 0) throw new RangeError('chiSquareSurvival: degrees of freedom must be positive');
  return upperRegularizedGamma(degrees / 2, statistic / 2);
}

/** Successes out of trials for one group. */
export interface GroupCounts {
  successes: number;
  n: number;
}

/** Pearson's chi-square test that k groups share one rate (a k × 2 table). */
export interface ChiSquareResult {
  statistic: number;
  degrees: number;
  pValue: number;
  /** Smallest expected cell count: below 5 the asymptotic p-value is rough. */
  minExpected: number;
}

/**
 * Pearson's chi-square test of homogeneity for k groups' proportions (no continuity correction). Groups with n = 0
 * are left out; with fewer than two groups, or a pooled rate of 0 or 1, the p-value is 1.
 *
 * @example
 * chiSquareHomogeneity([{ successes: 10, n: 50 }, { successes: 20, n: 50 }]).pValue // 0.0291…
 */
export function chiSquareHomogeneity(groups: readonly GroupCounts[]): ChiSquareResult {
  const used = groups.filter((group) => group.n > 0);
  const total = used.reduce((sum, group) => sum + group.n, 0);
  const successes = used.reduce((sum, group) => sum + group.successes, 0);
  const degrees = Math.max(1, used.length - 1);
  if (used.length < 2 || successes === 0 || successes === total) return { statistic: 0, degrees, pValue: 1, minExpected: 0 };
  const rate = successes / total;
  let statistic = 0;
  let minExpected = Infinity;
  for (const group of used) {
    const expectedYes = group.n * rate;
    const expectedNo = group.n - expectedYes;
    minExpected = Math.min(minExpected, expectedYes, expectedNo);
    statistic += (group.successes - expectedYes) ** 2 / expectedYes + (group.n - group.successes - expectedNo) ** 2 / expectedNo;
  }
  return { statistic, degrees, pValue: chiSquareSurvival(statistic, degrees), minExpected };
}

/**
 * Holm's step-down adjustment (Holm 1979) of a family of p-values, returned in input order: the i-th smallest
 * p-value is multiplied by (m − i + 1), then made monotone and capped at 1. Rejecting where the adjusted value is
 * below α controls the family-wise error rate at α under any dependence between the tests.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues.map((value, index) => ({ value, index })).sort((left, right) => left.value - right.value);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach((entry, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * entry.value));
    adjusted[entry.index] = running;
  });
  return adjusted;
}

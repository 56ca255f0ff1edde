/**
 * Krippendorff's alpha for nominal data: 1 − observed / expected disagreement, from the coincidence matrix of all
 * pairable values (units with at least two values; missing values are simply absent). Handles any number of coders
 * and missing data. Null when it is undefined: fewer than two pairable values, or every value the same (no
 * expected disagreement).
 *
 * Formula: Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), nominal metric.
 *
 * @example
 * krippendorffAlphaNominal([['a', 'a'], ['b', 'b'], ['a', 'b']]) // 0.4444…
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<ReadonlyArray<string | number | boolean>>): { alpha: number | null; units: number; values: number } {
  // coincidences[c][k] over pairable units; only the diagonal and the marginals are needed for the nominal metric.
  const marginals = new Map<string, number>();
  let agreeing = 0;
  let pairable = 0;
  let usedUnits = 0;
  for (const unit of units) {
    const m = unit.length;
    if (m < 2) continue;
    usedUnits += 1;
    const counts = new Map<string, number>();
    for (const value of unit) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    for (const [value, count] of counts) {
      // o_cc += count·(count − 1)/(m − 1); n_c += count (each value pairs with the m − 1 others, weight 1/(m − 1)).
      agreeing += (count * (count - 1)) / (m - 1);
      marginals.set(value, (marginals.get(value) ?? 0) + count);
    }
    pairable += m;
  }
  if (pairable < 2) return { alpha: null, units: usedUnits, values: pairable };
  let sameMarginals = 0;
  for (const count of marginals.values()) sameMarginals += count * (count - 1);
  const observedDisagreement = pairable - agreeing; // Σ_{c≠k} o_ck
  const expectedDisagreement = pairable * (pairable - 1) - sameMarginals; // Σ_{c≠k} n_c·n_k
  if (expectedDisagreement === 0) return { alpha: null, units: usedUnits, values: pairable };
  return { alpha: 1 - ((pairable - 1) * observedDisagreement) / expectedDisagreement, units: usedUnits, values: pairable };
}

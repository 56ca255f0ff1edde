import { chiSquareHomogeneity, type GroupCounts } from './chi-square.js';

/** A test that k groups share one rate, and which method gave the p-value. */
export interface EqualRatesTest {
  method: 'fisher-freeman-halton' | 'chi-square';
  pValue: number;
  /** Pearson's statistic (reported with both methods). */
  statistic: number;
  degrees: number;
}

/** Tables enumerated at most by the exact test; larger ones use the chi-square approximation. */
export const EXACT_TABLE_LIMIT = 2_000_000;

function logFactorials(limit: number): Float64Array {
  const table = new Float64Array(limit + 1);
  for (let value = 2; value <= limit; value += 1) table[value] = table[value - 1]! + Math.log(value);
  return table;
}

/** Number of k × 2 tables with these row totals and this first-column total (capped at limit + 1). */
function countTables(rows: readonly number[], column: number, limit: number): number {
  let ways = new Float64Array(column + 1);
  ways[0] = 1;
  for (const rowTotal of rows) {
    const next = new Float64Array(column + 1);
    for (let sum = 0; sum <= column; sum += 1) {
      if (ways[sum] === 0) continue;
      for (let take = 0; take <= rowTotal && sum + take <= column; take += 1) next[sum + take] = Math.min(limit + 1, next[sum + take]! + ways[sum]!);
    }
    ways = next;
  }
  return ways[column]!;
}

/**
 * Exact test that k groups share one rate: the Fisher–Freeman–Halton test on the k × 2 table (margins fixed; the
 * p-value sums the hypergeometric probabilities of every table no more probable than the observed one, with R's
 * relative tolerance 1e-7). Tables with more than EXACT_TABLE_LIMIT arrangements (large counts, where it is accurate)
 * use Pearson's chi-square instead; `method` says which. Groups with n = 0 are left out.
 *
 * @example
 * equalRatesTest([{ successes: 0, n: 20 }, { successes: 6, n: 20 }]).pValue // 0.0202… (Fisher's exact, two-sided)
 */
export function equalRatesTest(groups: readonly GroupCounts[]): EqualRatesTest {
  const used = groups.filter((group) => group.n > 0);
  const chi = chiSquareHomogeneity(used);
  const column = used.reduce((sum, group) => sum + group.successes, 0);
  const total = used.reduce((sum, group) => sum + group.n, 0);
  if (used.length < 2 || column === 0 || column === total) return { method: 'fisher-freeman-halton', pValue: 1, statistic: chi.statistic, degrees: chi.degrees };
  // Enumerate over the smaller column, which has fewer arrangements.
  const flip = column > total - column;
  const counts = used.map((group) => (flip ? group.n - group.successes : group.successes));
  const rows = used.map((group) => group.n);
  const small = flip ? total - column : column;
  if (countTables(rows, small, EXACT_TABLE_LIMIT) > EXACT_TABLE_LIMIT) {
    return { method: 'chi-square', pValue: chi.pValue, statistic: chi.statistic, degrees: chi.degrees };
  }
  const logFactorial = logFactorials(total);
  const logChoose = (n: number, k: number): number => logFactorial[n]! - logFactorial[k]! - logFactorial[n - k]!;
  const logDenominator = logChoose(total, small);
  const logObserved = counts.reduce((sum, count, index) => sum + logChoose(rows[index]!, count), 0);
  const threshold = logObserved + Math.log1p(1e-7);
  // Most that the rows from `index` on can still take.
  const capacity = rows.map((_, index) => rows.slice(index).reduce((sum, value) => sum + value, 0));
  let pValue = 0;
  const visit = (index: number, remaining: number, logProduct: number): void => {
    if (index === rows.length - 1) {
      const value = logProduct + logChoose(rows[index]!, remaining);
      if (value <= threshold) pValue += Math.exp(value - logDenominator);
      return;
    }
    const rest = capacity[index + 1]!;
    for (let take = Math.max(0, remaining - rest); take <= Math.min(rows[index]!, remaining); take += 1) {
      visit(index + 1, remaining - take, logProduct + logChoose(rows[index]!, take));
    }
  };
  visit(0, small, 0);
  return { method: 'fisher-freeman-halton', pValue: Math.min(1, pValue), statistic: chi.statistic, degrees: chi.degrees };
}

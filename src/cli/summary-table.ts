import type { LeftOutCounts, RunSummary } from '../engine/summarize.js';

/** Widest line the terminal summary may print; wider breakdowns go to the report. */
export const SUMMARY_MAX_COLUMNS = 100;
/** How many of the most successful vectors the compact summary names. */
const TOP_VECTORS = 5;

const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);

/** Errored, undetermined and empty attempts, e.g. `2 err, 1 und, 3 empty`; `-` when none. */
function leftOut(counts: LeftOutCounts[]): string {
  const sum = (key: keyof LeftOutCounts): number => counts.reduce((total, count) => total + count[key], 0);
  const parts = [sum('errors') ? `${sum('errors')} err` : '', sum('undetermined') ? `${sum('undetermined')} und` : '', sum('empty') ? `${sum('empty')} empty` : ''];
  return parts.filter(Boolean).join(', ') || '-';
}

function layout(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** The category × attack table, as wide as the attacks make it. */
function wideTable(summary: RunSummary, withLeftOut: boolean): string[] {
  const attacks = Object.keys(summary.attacks);
  const cell = new Map(summary.cells.map((entry) => [`${entry.category}\u0000${entry.attack}`, entry]));
  const header = ['category', ...attacks, 'ASR', 'over-refusal', ...(withLeftOut ? ['left out'] : [])];
  const rows = Object.entries(summary.categories).map(([category, totals]) => [
    category,
    ...attacks.map((attack) => {
      const entry = cell.get(`${category}\u0000${attack}`);
      return entry ? `${percent(entry.attackSuccessRate)} (${entry.successes}/${entry.n})` : '-';
    }),
    percent(totals.harmful.attackSuccessRate),
    totals.benign.n > 0 ? `${percent(totals.benign.overRefusalRate)} (${totals.benign.refusals}/${totals.benign.n})` : '-',
    ...(withLeftOut ? [leftOut([totals.harmful, totals.benign])] : []),
  ]);
  rows.push([
    'overall',
    ...attacks.map((attack) => percent(summary.attacks[attack].attackSuccessRate)),
    percent(summary.overall.harmful.attackSuccessRate),
    summary.overall.benign.n > 0 ? percent(summary.overall.benign.overRefusalRate) : '-',
    ...(withLeftOut ? [leftOut([summary.overall.harmful, summary.overall.benign])] : []),
  ]);
  return layout(header, rows);
}

/** Per category only, then the most successful vectors: fits any number of vectors. */
function compactTable(summary: RunSummary, withLeftOut: boolean): string[] {
  const header = ['category', 'ASR (k/n)', 'over-refusal (k/n)', ...(withLeftOut ? ['left out'] : [])];
  const row = (name: string, harmful: RunSummary['overall']['harmful'], benign: RunSummary['overall']['benign']): string[] => [
    name,
    harmful.n > 0 ? `${percent(harmful.attackSuccessRate)} (${harmful.successes}/${harmful.n})` : '-',
    benign.n > 0 ? `${percent(benign.overRefusalRate)} (${benign.refusals}/${benign.n})` : '-',
    ...(withLeftOut ? [leftOut([harmful, benign])] : []),
  ];
  const rows = Object.entries(summary.categories).map(([category, totals]) => row(category, totals.harmful, totals.benign));
  rows.push(row('overall', summary.overall.harmful, summary.overall.benign));
  const attacks = Object.entries(summary.attacks)
    .filter(([, count]) => count.n > 0)
    .sort(([, left], [, right]) => (right.attackSuccessRate ?? 0) - (left.attackSuccessRate ?? 0));
  const top = attacks.slice(0, TOP_VECTORS);
  const nameWidth = Math.max(0, ...top.map(([attack]) => attack.length));
  const strongest = top.map(([attack, count]) => `  ${attack.padEnd(nameWidth)}  ${percent(count.attackSuccessRate)} (${count.successes}/${count.n})`);
  return [
    ...layout(header, rows),
    '',
    `strongest of ${Object.keys(summary.attacks).length} vectors by ASR:`,
    ...strongest,
    `per-vector and per-cell rates: redcard report ${summary.run.id}`,
  ];
}

/**
 * A plain-text summary for the terminal: attack success per category × attack, plus over-refusal (and what was left
 * out of the rates, when anything was). It never exceeds `maxColumns` (100): with many vectors it shows categories
 * only and the strongest vectors, and points at the report for the full breakdown.
 *
 * @example
 * console.log(formatSummaryTable(summarizeAttempts(run, attempts)));
 */
export function formatSummaryTable(summary: RunSummary, maxColumns: number = SUMMARY_MAX_COLUMNS): string {
  const withLeftOut = summary.overall.errors + summary.overall.undetermined + summary.overall.empty > 0;
  const wide = wideTable(summary, withLeftOut);
  const lines = wide.every((line) => line.length <= maxColumns) ? wide : compactTable(summary, withLeftOut);
  // Vector names are ours, but categories may come from a dataset: cut rather than wrap a line that is still too wide.
  return lines.map((line) => (line.length > maxColumns ? `${line.slice(0, maxColumns - 1)}…` : line)).join('\n');
}

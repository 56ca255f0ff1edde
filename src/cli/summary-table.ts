import type { RunSummary } from '../engine/summarize.js';

const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);

/** A plain-text table of attack success per category × attack, plus over-refusal, for the terminal. */
export function formatSummaryTable(summary: RunSummary): string {
  const attacks = Object.keys(summary.attacks);
  const categories = Object.keys(summary.categories);
  const cell = new Map(summary.cells.map((entry) => [`${entry.category}\u0000${entry.attack}`, entry]));
  const header = ['category', ...attacks, 'ASR', 'over-refusal'];
  const rows = categories.map((category) => {
    const totals = summary.categories[category];
    return [
      category,
      ...attacks.map((attack) => {
        const entry = cell.get(`${category}\u0000${attack}`);
        return entry ? `${percent(entry.attackSuccessRate)} (${entry.successes}/${entry.n})` : '-';
      }),
      percent(totals.harmful.attackSuccessRate),
      totals.benign.n > 0 ? `${percent(totals.benign.overRefusalRate)} (${totals.benign.refusals}/${totals.benign.n})` : '-',
    ];
  });
  rows.push([
    'overall',
    ...attacks.map((attack) => percent(summary.attacks[attack].attackSuccessRate)),
    percent(summary.overall.harmful.attackSuccessRate),
    summary.overall.benign.n > 0 ? percent(summary.overall.benign.overRefusalRate) : '-',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

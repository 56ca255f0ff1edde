import type { BbqCategoryScore } from './bbq-scores.js';

const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const score = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(1));

/**
 * BBQ scores as a plain-text table for the terminal (one row per category).
 *
 * @example
 * formatBbqTable({ Age: { accuracy_ambig: 0.5, accuracy_disambig: 0.9, bias_ambig: 12, bias_disambig: 3, n: 10, unparsed: 0, excluded: 0 } })
 */
export function formatBbqTable(categories: Record<string, BbqCategoryScore>): string {
  const header = ['category', 'acc ambig', 'acc disambig', 'bias ambig', 'bias disambig', 'n', 'unparsed', 'excluded'];
  const rows = Object.entries(categories).map(([name, entry]) => [
    name,
    percent(entry.accuracy_ambig),
    percent(entry.accuracy_disambig),
    score(entry.bias_ambig),
    score(entry.bias_disambig),
    String(entry.n),
    String(entry.unparsed),
    String(entry.excluded),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

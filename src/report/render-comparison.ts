import type { Comparison, RateChange } from './compare-scorecards.js';

const points = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
const rate = (value: number, n: number): string => (n === 0 ? '–' : `${(value * 100).toFixed(1)}%`);
const MARKS: Record<RateChange['verdict'], string> = { regression: 'WORSE', improvement: 'better', unchanged: '', 'no-data': 'no data' };

function describe(change: RateChange): string[] {
  if (change.nA === 0 && change.nB === 0) return ['–', '–', '', ''];
  const interval = change.verdict === 'no-data' ? '' : `${points(change.difference)} pp [${points(change.lower)}, ${points(change.upper)}]`;
  return [rate(change.estimateA, change.nA), rate(change.estimateB, change.nB), interval, MARKS[change.verdict]];
}

/** Strip control characters so run labels and ids cannot move the terminal cursor. */
const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/**
 * The comparison as a plain-text table for the terminal: per hazard, then per cell, B − A in percentage points
 * with the 95 % Newcombe interval, and WORSE where the interval excludes 0 in the bad direction.
 *
 * @example
 * process.stdout.write(renderComparisonTable(compareScorecards(a, b)));
 */
export function renderComparisonTable(comparison: Comparison): string {
  const header = ['hazard', 'vector', 'ASR A', 'ASR B', 'Δ ASR [95% CI]', 'ASR change', 'OR A', 'OR B', 'Δ over-refusal [95% CI]', 'OR change'];
  const rows: string[][] = [];
  for (const hazard of comparison.hazards) {
    rows.push([hazard.id, 'all', ...describe(hazard.asr), ...describe(hazard.overRefusal)]);
    for (const cell of hazard.cells) rows.push(['', cell.vector, ...describe(cell.asr), ...describe(cell.overRefusal)]);
  }
  rows.push(['all', 'all', ...describe(comparison.total.asr), ...describe(comparison.total.overRefusal)]);
  const table = [header, ...rows].map((row) => row.map(plain));
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const lines = table.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  const label = (side: Comparison['a']): string => plain(`${side.runId} (${side.label}${side.simulated ? ', SIMULATED' : ''})`);
  const summary = [
    `A: ${label(comparison.a)}`,
    `B: ${label(comparison.b)}`,
    'Δ is B − A in percentage points with a 95 % Newcombe interval (OR: over-refusal on benign twins); WORSE marks an interval entirely above 0.',
    ...(comparison.sameJudge ? [] : ['Warning: the runs used different judges; differences mix model and judge changes.']),
    '',
  ];
  const footer = comparison.regressions.length
    ? `\n${comparison.regressions.length} significant regression(s): ${comparison.regressions.join(', ')}\n`
    : '\nNo significant regressions.\n';
  return `${summary.join('\n')}${lines.join('\n')}\n${footer}`;
}

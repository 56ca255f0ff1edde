import { basename } from 'node:path';
import type { JudgeEvalReport } from './evaluate-judge.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** Model text never reaches this table, only ids and numbers; group values come from the labels file and are shown as-is, shortened. */
const clip = (text: string, width = 32): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text).replace(/[\u0000-\u001f\u007f]/g, '?');

/**
 * Plain-text tables of judge-eval reports on one file: one row per judge, then accuracy per breakdown value with a
 * column per judge.
 *
 * @example
 * formatJudgeEval([report]).join('\n')
 */
export function formatJudgeEval(reports: JudgeEvalReport[]): string[] {
  if (reports.length === 0) return [];
  const first = reports[0];
  const positive = first.task === 'harmful' ? 'harmful' : 'refusal (partial counts as refusal)';
  const lines = [`judge-eval: ${basename(first.file)} (${first.format}, ${first.total} items; positive = ${positive}; truth = human ${first.format === 'harmbench-val' ? 'majority' : 'label'})`, ''];
  lines.push(
    ...table(
      ['judge', 'n', 'errors', 'undetermined', 'coverage', 'accuracy', 'all-in', 'kappa', 'precision', 'recall', 'F1', 'TP', 'FP', 'TN', 'FN'],
      reports.map((report) => [
        clip(report.judge),
        String(report.metrics.n),
        String(report.errors),
        String(report.undetermined),
        report.total - report.errors === 0 ? '-' : percent(report.coverage),
        ...(report.metrics.n === 0
          ? ['-', '-', '-', '-', '-', '-']
          : [
              percent(report.metrics.accuracy),
              percent(report.accuracyAll),
              report.metrics.kappa.toFixed(3),
              percent(report.metrics.precision),
              percent(report.metrics.recall),
              report.metrics.f1.toFixed(3),
            ]),
        String(report.confusion.truePositive),
        String(report.confusion.falsePositive),
        String(report.confusion.trueNegative),
        String(report.confusion.falseNegative),
      ]),
    ),
  );
  for (const key of Object.keys(first.breakdown)) {
    const values = first.breakdown[key];
    if (values.length < 2) continue;
    lines.push('', `accuracy by ${key}:`);
    lines.push(
      ...table(
        [key, 'n', ...reports.map((report) => clip(report.judge, 22))],
        values.map((group) => [
          clip(group.value),
          String(group.n + group.errors + group.undetermined),
          ...reports.map((report) => {
            const match = report.breakdown[key]?.find((candidate) => candidate.value === group.value);
            return match && match.n > 0 ? percent(match.accuracy) : '-';
          }),
        ]),
      ),
    );
  }
  if (reports.some((report) => report.undetermined > 0)) {
    lines.push('', 'accuracy: on the items the judge decided; all-in: undetermined items counted as wrong; coverage: share decided (undetermined are never counted as not harmful)');
  }
  for (const report of reports) {
    for (const sample of report.errorSamples) lines.push(`${report.judge}: judge error: ${clip(sample, 160)}`);
  }
  return lines;
}

import type { Proportion } from '../spec/calibration.js';
import type { AuditResult } from './run-audit.js';
import type { DetectorAgreement } from './label-agreement.js';

const percent = (value: number): string => `${(value * 100).toFixed(value !== 0 && value < 0.01 ? 2 : 1)}%`;
const rate = (proportion: Proportion): string => `${String(proportion.successes).padStart(8)}  ${percent(proportion.estimate).padStart(6)} [${percent(proportion.lower)}–${percent(proportion.upper)}]`;
/** Dataset text on the terminal: one line, no control characters, cut. */
const oneLine = (text: string, length: number): string => {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > length ? `${clean.slice(0, length - 1)}…` : clean;
};
const metric = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));

function agreementRow(name: string, detector: DetectorAgreement): string {
  return `  ${name.padEnd(14)} ${metric(detector.precision).padStart(9)} ${metric(detector.recall).padStart(7)} ${metric(detector.f1).padStart(6)} ${metric(detector.agreement).padStart(9)} ${metric(detector.kappa).padStart(6)}   TP ${detector.truePositives} FP ${detector.falsePositives} FN ${detector.falseNegatives} TN ${detector.trueNegatives}`;
}

/**
 * The audit as terminal text: rates, top phrasings and disclaimers, sources, examples with reasons, copy counts and
 * label agreement. Dataset text is reduced to single lines without control characters.
 *
 * @example
 * writeLine(io.stdout, formatAudit(result));
 */
export function formatAudit(result: AuditResult): string {
  const { summary } = result;
  const seconds = summary.elapsedMs / 1000;
  const lines = [
    `audited ${summary.files.length} file${summary.files.length === 1 ? '' : 's'}: ${summary.totals.rows} rows, ${summary.totals.messages} assistant messages, ` +
      `${(summary.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${(summary.bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(1)} MB/s, judge '${summary.judge}', ${summary.workers} judge thread${summary.workers === 1 ? '' : 's'})` +
      (summary.totals.malformed > 0 ? `; ${summary.totals.malformed} malformed rows skipped` : ''),
    summary.prefilter
      ? `${summary.totals.prefiltered} long answers with no refusal cue passed by the pre-filter, not judged (--judge-all judges them)`
      : 'every message judged (--judge-all: no pre-filter)',
    '',
    `  refusal          ${rate(summary.rates.refusal)}`,
    `  partial refusal  ${rate(summary.rates.partial)}`,
    `  AI disclaimer    ${rate(summary.rates.disclaimer)}`,
  ];
  if (summary.totals.phrase > 0 || summary.topPhrases.length > 0) lines.push(`  your phrases     ${rate(summary.rates.phrase)}`);
  if (summary.totals.undetermined > 0) lines.push(`  (${summary.totals.undetermined} verdicts undetermined: the judge was not confident)`);
  lines.push(`  flagged: ${summary.totals.flaggedMessages} messages in ${summary.totals.flaggedRows} rows`);
  for (const [label, title] of [['refusal', 'refusals'], ['partial', 'partial refusals']] as const) {
    const top = summary.topPhrasings[label];
    if (top.length === 0) continue;
    lines.push('', `top phrasings of ${title} (opening sentence, digits as #):`);
    for (const entry of top.slice(0, 10)) lines.push(`  ${String(entry.count).padStart(6)}  ${oneLine(entry.phrasing, 90)}`);
  }
  if (summary.topDisclaimers.length > 0) {
    lines.push('', 'top AI disclaimers:');
    for (const entry of summary.topDisclaimers.slice(0, 10)) lines.push(`  ${String(entry.count).padStart(6)}  "${entry.phrase}" (${entry.kind})`);
  }
  if (summary.topPhrases.length > 0) {
    lines.push('', 'top phrases of your list:');
    for (const entry of summary.topPhrases.slice(0, 10)) lines.push(`  ${String(entry.count).padStart(6)}  "${entry.phrase}"`);
  }
  if (summary.sources.length > 1) {
    lines.push('', 'by source:', `  ${'source'.padEnd(30)} ${'messages'.padStart(9)} ${'refusal'.padStart(8)} ${'partial'.padStart(8)} ${'disclaim'.padStart(8)}`);
    for (const source of summary.sources.slice(0, 20)) {
      const share = (count: number): string => percent(source.messages === 0 ? 0 : count / source.messages).padStart(8);
      lines.push(`  ${oneLine(source.source, 30).padEnd(30)} ${String(source.messages).padStart(9)} ${share(source.refusal)} ${share(source.partial)} ${share(source.disclaimer)}`);
    }
    if (summary.sources.length > 20) lines.push(`  … ${summary.sources.length - 20} more sources (see --json)`);
  }
  for (const [kind, examples] of Object.entries(summary.examples)) {
    if (examples.length === 0) continue;
    lines.push('', `examples (${kind}):`);
    for (const example of examples) lines.push(`  row ${oneLine(String(example.row), 40)} turn ${example.turn} [${oneLine(example.source, 30)}]: ${oneLine(example.reason, 80)}`, `      "${oneLine(example.excerpt, 110)}"`);
  }
  for (const file of summary.files) {
    for (const skipped of file.skipped.slice(0, 5)) lines.push(`skipped ${file.file}:${skipped.line ?? `row ${skipped.row}`}: ${oneLine(skipped.reason, 100)}`);
  }
  if (result.copy !== null) {
    const copy = result.copy;
    const reasons = Object.entries(copy.byReason).filter(([, value]) => value > 0).map(([name, value]) => `${name} ${value}`).join(', ') || 'none';
    lines.push('', `filtered copy: ${copy.rowsKept} of ${copy.rowsRead} rows kept (${copy.rowsTruncated} cut), ${copy.rowsDropped} dropped, ${copy.messagesRemoved} messages removed; by reason: ${reasons}`);
    for (const output of copy.outputs) lines.push(`  wrote ${output}`);
  }
  if (result.labels !== null) {
    const labels = result.labels;
    lines.push('', `against human labels (${labels.file}): ${labels.matched} messages matched${labels.unmatched > 0 ? `, ${labels.unmatched} labels matched no audited message` : ''}; refusal (full or partial) is the positive class`);
    lines.push(`  ${'detector'.padEnd(14)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)} ${'agreement'.padStart(9)} ${'kappa'.padStart(6)}`);
    lines.push(agreementRow('refusal judge', labels.judge), agreementRow('phrase filter', labels.phrases));
    lines.push(`  (phrase filter: ${labels.phraseList}${labels.judgeThreeWay === null ? '' : `; judge three-way agreement ${labels.judgeThreeWay.toFixed(3)}`})`);
  }
  if (result.interrupted) lines.push('', 'interrupted: the figures above cover the rows read so far; no copy or verdicts file was written');
  return lines.join('\n');
}

import type { Proportion } from '../spec/calibration.js';
import type { Scorecard } from './scorecard.js';
import { formatCorrected, formatDuration, formatPercent, formatProportion } from './format.js';
import { leftOutSentence, runNotices, statusWord } from './run-notices.js';
import { renderBiasMarkdown } from '../bias/render-bias-markdown.js';
import { costText, formatCount } from './strategy-stats.js';
import type { HumanVerification } from './human-verification.js';

/** Text as a sentence: capitalised, ending in a full stop. */
const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** A left-out count with its share: `3 (1.2%)`. */
const countShare = (proportion: Proportion): string => (proportion.n === 0 ? '0' : `${proportion.successes} (${formatPercent(proportion.estimate)})`);

/**
 * Escape text for Markdown: HTML-significant characters become entities (so no raw HTML survives) and Markdown
 * punctuation is backslash-escaped; newlines become spaces (table cells are one line).
 *
 * @example
 * escapeMarkdown('<b>x</b> | *y*') // '&lt;b&gt;x&lt;/b&gt; \\| \\*y\\*'
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`)
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A code span for plain identifiers; anything else (it may come from a dataset) is escaped as text instead. */
const code = (text: string): string => (/^[\w.:+,/@= -]+$/.test(text) ? `\`${text}\`` : escapeMarkdown(text));

/**
 * A Markdown section to paste into a Hugging Face model card: grades, key rates with 95 % intervals, the judge and
 * its measured agreement, how to reproduce, and a SIMULATED warning when the target was the simulator.
 *
 * @example
 * writeFileSync('SAFETY.md', renderMarkdown(scorecard));
 */
export function renderMarkdown(scorecard: Scorecard): string {
  const lines: string[] = [];
  lines.push(`## Safety scorecard: ${escapeMarkdown(scorecard.displayName)}`, '');
  for (const notice of runNotices(scorecard)) {
    const advice = notice.kind === 'invalid' || notice.kind === 'simulated' ? ' Do not publish it as a model result.' : '';
    lines.push(`> **⚠️ ${notice.title}.** ${escapeMarkdown(sentence(notice.text))}${advice}`, '');
  }
  const calibration = scorecard.judge.calibration;
  const correctedNote = calibration ? ` Judge-corrected ASR (Rogan–Gladen, calibration ${code(calibration.name ?? 'unnamed')}) is shown beside the raw rate.` : '';
  lines.push(
    `Measured with redcard ${escapeMarkdown(scorecard.tool.version)} on ${scorecard.run.createdAt.slice(0, 10)}. ` +
      `Overall grade: **${scorecard.overall.grade ?? 'not graded'}** (the worst hazard grade). ` +
      `Attack success rate (ASR) is the share of harmful requests whose response the judge found harmful; intervals are 95 % Wilson intervals.${correctedNote} ` +
      escapeMarkdown(leftOutSentence(scorecard)),
    '',
  );
  const corrected = calibration !== null;
  const header = ['Hazard', 'Grade', 'ASR [95% CI] (k/n)', ...(corrected ? ['Judge-corrected ASR'] : []), 'Broken by ≥1 vector', 'Over-refusal (benign)', 'Undetermined', 'Empty', 'Errors', 'Policy'];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const hazard of scorecard.hazards) {
    const row = [
      hazard.name === hazard.id ? code(hazard.id) : `${escapeMarkdown(hazard.name)} (${code(hazard.id)})`,
      hazard.grade ? `**${hazard.grade}**` : 'not graded',
      formatProportion(hazard.asr),
      ...(corrected ? [hazard.correctedAsr ? escapeMarkdown(formatCorrected(hazard.correctedAsr)) : 'n/a'] : []),
      formatProportion(hazard.worstCase),
      formatProportion(hazard.overRefusal),
      countShare(hazard.undetermined),
      countShare(hazard.empty),
      String(hazard.errors),
      hazard.check.status === 'pass' ? 'pass' : `**${statusWord(hazard.check.status)}**`,
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`**All hazards:** ASR ${formatProportion(scorecard.totals.asr)}; over-refusal on benign twins ${formatProportion(scorecard.totals.overRefusal)}.`);
  if (scorecard.totals.correctedAsr !== null) lines.push(`Judge-corrected ASR: ${escapeMarkdown(formatCorrected(scorecard.totals.correctedAsr))}.`);
  const overall = scorecard.overall;
  lines.push(`**Policy ${escapeMarkdown(scorecard.policy.name)}:** ${overall.status === 'pass' ? 'pass' : `**${statusWord(overall.status)}**`}` +
    (overall.failedHazards.length ? `; failing: ${overall.failedHazards.map(code).join(', ')}` : '') +
    (overall.insufficientHazards.length ? `; too few determined attempts (fewer than ${scorecard.policy.minJudgedPerHazard}): ${overall.insufficientHazards.map(code).join(', ')}` : '') +
    '.');
  for (const reason of overall.evidence) lines.push(`- ${escapeMarkdown(reason)}`);
  lines.push('');
  if (scorecard.bias !== undefined) lines.push(renderBiasMarkdown(scorecard.bias));
  if (scorecard.humanVerification !== undefined) lines.push(...humanVerificationMarkdown(scorecard.humanVerification));
  if (scorecard.strategies !== undefined && scorecard.strategies.length > 0) {
    lines.push('### Adaptive strategies', '');
    lines.push('| Strategy | ASR [95% CI] (k/n) | Queries to success (mean / median) | Queries per attempt | Cost per role |', '|---|---|---|---|---|');
    for (const summary of scorecard.strategies) {
      const toSuccess = `${formatCount(summary.queriesToSuccess.mean)} / ${formatCount(summary.queriesToSuccess.median)}`;
      lines.push(`| ${code(summary.vector)} | ${formatProportion(summary.asr)} | ${toSuccess} | ${formatCount(summary.queriesPerAttempt)} | ${escapeMarkdown(costText(summary.cost))} |`);
    }
    lines.push('');
  }
  lines.push('### How it was measured', '');
  lines.push(
    `- **Judge:** ${code(scorecard.judge.spec)}` +
      (calibration
        ? `; calibration ${code(calibration.name ?? 'unnamed')} applied, measured against human labels on ${escapeMarkdown(calibration.dataset)} (n=${calibration.n}, ${calibration.createdAt.slice(0, 10)}): sensitivity ${formatProportion(calibration.sensitivity)}, specificity ${formatProportion(calibration.specificity)}, accuracy ${formatPercent(calibration.accuracy)}, Cohen's κ ${calibration.kappa.toFixed(2)}, Youden's J ${calibration.youden.toFixed(2)}${calibration.identifiable ? '' : ' (too small: the correction is not identifiable)'}.`
        : '; no calibration applied, so rates are not corrected for judge error.'),
  );
  lines.push(`- **Suites:** ${scorecard.suites.map(code).join(', ')}; **attack vectors:** ${scorecard.vectors.map(code).join(', ')}; **samples:** ${scorecard.samples}.`);
  lines.push(
    `- **Attempts:** ${scorecard.totals.attempts} of ${scorecard.run.planned} planned (errors: ${scorecard.totals.errors.total}, undetermined: ${scorecard.totals.undetermined.successes}, empty: ${scorecard.totals.empty.successes}; all excluded from rates); tokens: ${scorecard.tokens.total}; wall time ${formatDuration(scorecard.run.wallTimeMs)}.`,
  );
  if (scorecard.simulated) lines.push(`- **Simulated:** ${scorecard.simulatedRoles.map(code).join(', ')}.`);
  if (scorecard.run.name !== null) lines.push(`- **Target:** ${code(scorecard.target.label)} (shown as ${escapeMarkdown(scorecard.displayName)}).`);
  lines.push(`- **Grading:** policy ${escapeMarkdown(scorecard.policy.name)}, ${scorecard.policy.gradingMode} scale on the ASR ${scorecard.policy.gradingStatistic === 'upper' ? 'upper 95 % bound' : 'point estimate'}${scorecard.policy.reference ? ` relative to ${escapeMarkdown(scorecard.policy.reference.label)} (${code(scorecard.policy.reference.runId)})` : ''}.`);
  lines.push(`- **Run:** ${code(scorecard.run.id)} (${escapeMarkdown(scorecard.run.status)}).`, '');
  lines.push('To reproduce:', '', '```sh', scorecard.reproduce.replace(/```/g, "'''"), '```', '');
  return lines.join('\n');
}

/** The human-verification section (present only when people labelled some of the run's attempts), as Markdown lines. */
function humanVerificationMarkdown(verification: HumanVerification): string[] {
  const cell = (entry: HumanVerification['overall']): string => (entry.compared ? formatProportion(entry.agreement) : '–');
  return [
    '### Human verification',
    '',
    `Verdicts people checked (${escapeMarkdown(verification.source)}); agreement is the share where the judge's harmful verdict matches the settled human label.`,
    '',
    '| Hazard | Human-verified | Judge agrees [95% CI] (k/n) | Judge undetermined |',
    '|---|---|---|---|',
    ...verification.hazards.map((entry) => `| ${escapeMarkdown(entry.name)} | ${entry.verified} | ${cell(entry)} | ${entry.judgeUndetermined} |`),
    `| **All hazards** | ${verification.overall.verified} | ${cell(verification.overall)} | ${verification.overall.judgeUndetermined} |`,
    '',
  ];
}

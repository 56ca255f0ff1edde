import type { Scorecard } from './scorecard.js';
import { formatDuration, formatPercent, formatProportion } from './format.js';
import { renderBiasMarkdown } from '../bias/render-bias-markdown.js';
import { costText, formatCount } from './strategy-stats.js';

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
  const target = escapeMarkdown(scorecard.target.label);
  lines.push(`## Safety scorecard: ${target}`, '');
  if (scorecard.target.simulated) {
    lines.push('> **⚠️ SIMULATED.** This scorecard was produced against the redcard simulator, not a real model. Do not publish it as a model result.', '');
  }
  const correctedNote = scorecard.judge.calibration ? ' Judge-corrected ASR (Rogan–Gladen) is shown beside the raw rate.' : '';
  lines.push(
    `Measured with redcard ${escapeMarkdown(scorecard.tool.version)} on ${scorecard.run.createdAt.slice(0, 10)}. ` +
      `Overall grade: **${scorecard.overall.grade ?? 'not graded'}** (the worst hazard grade). ` +
      `Attack success rate (ASR) is the share of harmful requests whose response the judge found harmful; intervals are 95 % Wilson intervals.${correctedNote}`,
    '',
  );
  const corrected = scorecard.judge.calibration !== null;
  const header = ['Hazard', 'Grade', 'ASR [95% CI] (k/n)', ...(corrected ? ['Judge-corrected ASR'] : []), 'Broken by ≥1 vector', 'Over-refusal (benign)', 'Policy'];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const hazard of scorecard.hazards) {
    const correctedCell =
      hazard.correctedAsr?.estimate != null
        ? `${formatPercent(hazard.correctedAsr.estimate)} [${formatPercent(hazard.correctedAsr.lower!)}–${formatPercent(hazard.correctedAsr.upper!)}]`
        : 'n/a';
    const row = [
      hazard.name === hazard.id ? code(hazard.id) : `${escapeMarkdown(hazard.name)} (${code(hazard.id)})`,
      hazard.grade ? `**${hazard.grade}**` : 'not graded',
      formatProportion(hazard.asr),
      ...(corrected ? [correctedCell] : []),
      formatProportion(hazard.worstCase),
      formatProportion(hazard.overRefusal),
      hazard.check.passed ? 'pass' : '**FAIL**',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`**All hazards:** ASR ${formatProportion(scorecard.totals.asr)}; over-refusal on benign twins ${formatProportion(scorecard.totals.overRefusal)}.`);
  if (scorecard.totals.correctedAsr?.estimate != null) {
    lines.push(`Judge-corrected ASR: ${formatPercent(scorecard.totals.correctedAsr.estimate)} [${formatPercent(scorecard.totals.correctedAsr.lower!)}–${formatPercent(scorecard.totals.correctedAsr.upper!)}].`);
  }
  lines.push('');
  if (scorecard.bias !== undefined) lines.push(renderBiasMarkdown(scorecard.bias));
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
  const calibration = scorecard.judge.calibration;
  lines.push(
    `- **Judge:** ${code(scorecard.judge.spec)}` +
      (calibration
        ? `; against human labels (${escapeMarkdown(calibration.dataset)}, n=${calibration.n}): sensitivity ${formatProportion(calibration.sensitivity)}, specificity ${formatProportion(calibration.specificity)}, accuracy ${formatPercent(calibration.accuracy)}, Cohen's κ ${calibration.kappa.toFixed(2)}.`
        : '; no calibration against human labels recorded, so rates are not corrected for judge error.'),
  );
  lines.push(`- **Suites:** ${scorecard.suites.map(code).join(', ')}; **attack vectors:** ${scorecard.vectors.map(code).join(', ')}; **samples:** ${scorecard.samples}.`);
  lines.push(
    `- **Attempts:** ${scorecard.totals.attempts} (errors: ${scorecard.totals.errors.total}, excluded from rates); tokens: ${scorecard.tokens.total}; wall time ${formatDuration(scorecard.run.wallTimeMs)}.`,
  );
  lines.push(`- **Grading:** policy ${escapeMarkdown(scorecard.policy.name)}, ${scorecard.policy.gradingMode} scale on the ASR ${scorecard.policy.gradingStatistic === 'upper' ? 'upper 95 % bound' : 'point estimate'}${scorecard.policy.reference ? ` relative to ${escapeMarkdown(scorecard.policy.reference.label)} (${code(scorecard.policy.reference.runId)})` : ''}.`);
  lines.push(`- **Run:** ${code(scorecard.run.id)} (${escapeMarkdown(scorecard.run.status)}).`, '');
  lines.push('To reproduce:', '', '```sh', scorecard.reproduce.replace(/```/g, "'''"), '```', '');
  return lines.join('\n');
}

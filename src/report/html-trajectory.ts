import { escapeHtml } from './escape-html.js';
import { formatProportion } from './format.js';
import type { SampledAttempt, SampledTurn, Scorecard, StrategyStats } from './scorecard.js';
import { costText, formatCount } from './strategy-stats.js';

/** Styles of the strategy parts of the report (appended to the page's stylesheet). */
export const TRAJECTORY_STYLE = `
.turns{list-style:none;padding:0;margin:6px 0}
.turn{border-left:3px solid var(--line);padding:4px 10px;margin:6px 0}
.turn.decisive{border-left-color:#cf222e}
.turn.pruned{opacity:.8;border-left-style:dashed}
.turn-head{font-size:13px}
.mark{font-size:11px;font-weight:700;padding:0 6px;border-radius:3px;border:1px solid currentColor;margin-left:4px}
.mark-decisive{color:#cf222e}.mark-pruned{color:#9a6700}.mark-fallback{color:#8250df}
.strategy-line{font-size:12px;color:var(--muted);margin:2px 0 6px}
`;


/** The one-line summary under a strategy cell: queries to success, stop reasons, fallbacks, cost. */
export function strategyCellLine(stats: StrategyStats): string {
  const stops = Object.entries(stats.stopReasons).map(([reason, count]) => `${reason} ${count}`).join(', ');
  const pruned = Object.entries(stats.prunedTurns).map(([reason, count]) => `${reason} ${count}`).join(', ');
  const text =
    `queries to success: mean ${formatCount(stats.queriesToSuccess.mean)}, median ${formatCount(stats.queriesToSuccess.median)} (n=${stats.queriesToSuccess.n}); ` +
    `${stats.queries} queries over ${stats.attempts} attempts; ${stats.turns} turns${pruned ? ` (pruned: ${pruned})` : ''}; stops: ${stops || '–'}` +
    `${stats.attackerFallbacks ? `; attacker fallbacks ${stats.attackerFallbacks}` : ''}; cost: ${costText(stats.cost)}`;
  return `<div class="strategy-line">${escapeHtml(text)}</div>`;
}

function turnHead(turn: SampledTurn): string {
  const where = [
    `turn ${turn.index}`,
    turn.stream !== null ? `stream <code>${escapeHtml(turn.stream)}</code>${turn.parent !== null ? ` ← <code>${escapeHtml(turn.parent)}</code>` : ''}` : '',
    `step ${turn.step}`,
    turn.rating !== null ? `rating ${turn.rating}/10` : 'not rated',
    turn.verdictLabel !== null ? `verdict <code>${escapeHtml(turn.verdictLabel)}</code>` : '',
    turn.attacker?.technique ? `technique <code>${escapeHtml(turn.attacker.technique)}</code>` : '',
    `${turn.queries} queries`,
  ].filter(Boolean);
  const marks = [
    turn.decisive ? '<span class="mark mark-decisive">decisive</span>' : '',
    turn.pruned !== null ? `<span class="mark mark-pruned">${escapeHtml(turn.pruned === 'backtracked' ? 'backtracked' : `pruned: ${turn.pruned}`)}</span>` : '',
    turn.attacker?.fallback ? `<span class="mark mark-fallback">fallback ${escapeHtml(turn.attacker.fallback)}</span>` : '',
  ].join('');
  return `<div class="turn-head">${where.join(' · ')}${marks}</div>`;
}

function turnHtml(turn: SampledTurn): string {
  const attacker = turn.attacker
    ? `<details class="resp"><summary class="small">Attacker reply (untrusted model output; ${turn.attacker.tries} ${turn.attacker.tries === 1 ? 'try' : 'tries'})</summary>` +
      `${turn.attacker.improvement ? `<div class="small"><strong>Improvement:</strong> ${escapeHtml(turn.attacker.improvement)}</div>` : ''}<pre>${escapeHtml(turn.attacker.reply)}</pre></details>`
    : '';
  const prompt = turn.prompt !== '' ? `<details class="resp"><summary class="small">Prompt as sent</summary><pre>${escapeHtml(turn.prompt)}</pre></details>` : '<div class="small muted">not sent to the target</div>';
  const response =
    turn.response !== null ? `<details class="resp"><summary class="small">Target response (untrusted model output)</summary><pre class="response">${escapeHtml(turn.response)}</pre></details>` : '';
  const classes = ['turn', turn.decisive ? 'decisive' : '', turn.pruned !== null ? 'pruned' : ''].filter(Boolean).join(' ');
  return [
    `<li class="${classes}">`,
    turnHead(turn),
    turn.rationale ? `<div class="small muted">${escapeHtml(turn.rationale)}</div>` : '',
    attacker,
    prompt,
    response,
    turn.truncated ? '<div class="small muted">(texts truncated)</div>' : '',
    '</li>',
  ].join('');
}

/**
 * A sampled strategy attempt's trajectory, turn by turn, collapsed: every body (attacker reply, prompt, response)
 * behind its own click, all text escaped.
 *
 * @example
 * trajectoryHtml(sample) // '<details class="drill traj">…'
 */
export function trajectoryHtml(attempt: SampledAttempt): string {
  if (attempt.trajectory === undefined) return '';
  const summary = `Trajectory: ${attempt.trajectory.length} turns${attempt.omittedTurns ? ` (${attempt.omittedTurns} more not shown)` : ''}${attempt.stopReason ? `; stopped: ${attempt.stopReason}` : ''}${attempt.queries !== undefined ? `; ${attempt.queries} target queries` : ''}`;
  return `<details class="drill traj"><summary class="small">${escapeHtml(summary)}</summary><ol class="turns">${attempt.trajectory.map(turnHtml).join('')}</ol></details>`;
}

/** The report section comparing strategy columns: ASR beside queries to success and cost per role. */
export function strategiesSection(scorecard: Scorecard): string {
  const summaries = scorecard.strategies ?? [];
  if (summaries.length === 0) return '';
  const rows = summaries.map(
    (summary) =>
      `<tr><td><code>${escapeHtml(summary.vector)}</code></td><td class="num">${escapeHtml(formatProportion(summary.asr))}</td>` +
      `<td class="num">${formatCount(summary.queriesToSuccess.mean)}</td><td class="num">${formatCount(summary.queriesToSuccess.median)}</td>` +
      `<td class="num">${formatCount(summary.queriesPerAttempt)}</td><td class="small">${escapeHtml(Object.entries(summary.stopReasons).map(([reason, count]) => `${reason} ${count}`).join(', '))}</td>` +
      `<td class="small">${escapeHtml(costText(summary.cost))}</td></tr>`,
  );
  return [
    '<h2>Adaptive strategies</h2>',
    '<p class="small muted">Each strategy is a column of the heatmap, its ASR counted over judged harmful attempts as for any vector. Queries are the target queries an attempt made; cost per role sums every attempt\'s model calls.</p>',
    '<table class="small" id="strategies"><thead><tr><th>Strategy</th><th class="num">ASR</th><th class="num">Queries to success (mean)</th><th class="num">(median)</th><th class="num">Queries per attempt</th><th>Stopped</th><th>Cost per role</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

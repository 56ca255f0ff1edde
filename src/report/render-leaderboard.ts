import { escapeHtml } from './escape-html.js';
import { formatPercent } from './format.js';
import { scatterChart } from './html-charts.js';
import { gradeClass, htmlPage } from './html-page.js';
import type { HelpfulnessScores } from './lm-eval-results.js';
import type { Scorecard } from './scorecard.js';
import { GRADES } from '../stats/grade.js';
import { biasSummary, leaderboardRows, rankableFirst } from './leaderboard-table.js';

/** One leaderboard row: a run's scorecard, its helpfulness scores if any, and a link to its full report. */
export interface LeaderboardEntry {
  scorecard: Scorecard;
  helpfulness?: HelpfulnessScores;
  /** Relative link to the run's HTML report. */
  reportHref?: string;
}

const STYLE = `
.board th[data-sort]{cursor:pointer;user-select:none;white-space:nowrap}
.board th[data-sort]:after{content:" ↕";color:#8c959f}
.board th[aria-sort=ascending]:after{content:" ↑";color:var(--fg)}.board th[aria-sort=descending]:after{content:" ↓";color:var(--fg)}
.board td{white-space:nowrap}.board .badge{min-width:0;padding:2px 8px;font-size:12px}
.sim{color:#cf222e;font-weight:700;font-size:12px}.invalid{color:#57606a;font-weight:700;font-size:12px}.incomplete{color:#9a6700;font-weight:700;font-size:12px}
.board tr.not-ranked td,.board tr.not-ranked th{opacity:.7}
.wide{overflow-x:auto}
main{max-width:1440px}.board th[scope=row]{white-space:nowrap}
`;

/** Sort rows by a column's `data-value` (numbers) on header click; reads attributes only, never HTML. */
const SCRIPT =
  "document.querySelectorAll('table.board').forEach(function(table){var headers=table.querySelectorAll('th[data-sort]');" +
  "headers.forEach(function(header,position){header.addEventListener('click',function(){var column=Number(header.getAttribute('data-column'));" +
  "var ascending=header.getAttribute('aria-sort')!=='ascending';headers.forEach(function(other){other.removeAttribute('aria-sort');});" +
  "header.setAttribute('aria-sort',ascending?'ascending':'descending');var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);" +
  "rows.sort(function(left,right){var a=Number(left.cells[column].getAttribute('data-value'));var b=Number(right.cells[column].getAttribute('data-value'));" +
  "if(isNaN(a))return 1;if(isNaN(b))return -1;return ascending?a-b:b-a;});rows.forEach(function(row){body.appendChild(row);});});});});";

/** Grades sort by rank (Excellent highest); ungraded last. */
const gradeRank = (grade: string | null): string => (grade === null ? 'NaN' : String(GRADES.indexOf(grade as (typeof GRADES)[number])));

function cell(text: string, value: number | string | null, extraClass = ''): string {
  return `<td class="${extraClass}" data-value="${value === null ? 'NaN' : escapeHtml(String(value))}">${text}</td>`;
}

/** The bias column: the section's grade as a badge, what it read on hover; sorts by grade. */
function biasCell(bias: ReturnType<typeof leaderboardRows>[number]['bias'], ranked: boolean): string {
  if (bias === null) return cell('<span class="small muted" title="no bias suite in this run">–</span>', null);
  return cell(`<span class="badge ${gradeClass(bias.grade)}" title="${escapeHtml(biasSummary(bias))}">${escapeHtml(bias.grade ?? 'n/a')}</span>`, ranked ? gradeRank(bias.grade) : null);
}

/**
 * The leaderboard page: one row per run with overall and per-hazard grades, rates, helpfulness scores imported from
 * lm-evaluation-harness, and a helpfulness-vs-harmlessness scatter (the alignment-tax picture). Self-contained
 * with the same strict CSP and escaping as the reports; sortable by a small hashed inline script.
 *
 * @example
 * writeFileSync('site/index.html', renderLeaderboard(entries));
 */
export function renderLeaderboard(allEntries: LeaderboardEntry[], options: { title?: string; generatedAt?: string } = {}): string {
  const title = options.title ?? 'redcard leaderboard';
  // INVALID runs are listed last, never graded or ranked (their cells carry no sort value) and left off the chart.
  const entries = rankableFirst(allEntries);
  const invalidCount = entries.filter((entry) => !entry.scorecard.validity.valid).length;
  const hazardIds = [...new Set(entries.flatMap((entry) => entry.scorecard.hazards.map((hazard) => hazard.id)))];
  const hazardName = (id: string): string => entries.flatMap((entry) => entry.scorecard.hazards).find((hazard) => hazard.id === id)?.name ?? id;
  const tasks = [...new Set(entries.flatMap((entry) => entry.helpfulness?.tasks.map((task) => task.task) ?? []))];
  // Bias and fairness sits right after the helpfulness scores, before the per-hazard grades.
  const headers = ['Model', 'Overall', 'ASR', 'Over-refusal', 'Helpfulness (mean)', ...tasks, 'Bias and fairness', ...hazardIds.map(hazardName)];
  const biasByRun = new Map(leaderboardRows(entries).map((row) => [row.runId, row.bias]));
  const headerRow = headers
    .map((header, column) => `<th scope="col" ${column === 0 ? '' : `data-sort data-column="${column}"`}>${escapeHtml(header)}</th>`)
    .join('');
  const rows = entries.map(({ scorecard, helpfulness, reportHref }) => {
    const valid = scorecard.validity.valid;
    const label = escapeHtml(scorecard.displayName);
    const name = reportHref ? `<a href="${escapeHtml(reportHref)}">${label}</a>` : label;
    const tags = [
      valid ? '' : ` <span class="invalid" title="${escapeHtml(scorecard.validity.reasons.join('; '))}">INVALID</span>`,
      scorecard.simulated ? ` <span class="sim" title="${escapeHtml(`simulated: ${scorecard.simulatedRoles.join(', ')}`)}">SIMULATED${scorecard.simulatedRoles.some((role) => role !== 'target') ? ` (${escapeHtml(scorecard.simulatedRoles.join(', '))})` : ''}</span>` : '',
      scorecard.run.incomplete ? ` <span class="incomplete" title="${escapeHtml(`${scorecard.run.recorded} of ${scorecard.run.planned} planned attempts recorded`)}">INCOMPLETE</span>` : '',
    ].join('');
    const asr = scorecard.totals.asr;
    const overRefusal = scorecard.totals.overRefusal;
    const cells = [
      `<th scope="row">${name}${tags}<div class="small muted">${escapeHtml(scorecard.run.id)}${scorecard.run.name !== null ? ` · ${escapeHtml(scorecard.target.label)}` : ''}</div></th>`,
      cell(`<span class="badge ${gradeClass(scorecard.overall.grade)}">${escapeHtml(scorecard.overall.grade ?? (valid ? 'n/a' : 'INVALID'))}</span>`, valid ? gradeRank(scorecard.overall.grade) : null),
      cell(asr.n ? `${formatPercent(asr.estimate)} <span class="small muted">±${formatPercent((asr.upper - asr.lower) / 2)}</span>` : 'n/a', valid && asr.n ? asr.estimate : null, 'num'),
      cell(overRefusal.n ? formatPercent(overRefusal.estimate) : 'n/a', valid && overRefusal.n ? overRefusal.estimate : null, 'num'),
      cell(helpfulness?.mean != null ? formatPercent(helpfulness.mean) : '–', helpfulness?.mean ?? null, 'num'),
      ...tasks.map((task) => {
        const score = helpfulness?.tasks.find((candidate) => candidate.task === task);
        return cell(score ? `<span title="${escapeHtml(score.metric)}">${formatPercent(score.value)}</span>` : '–', score?.value ?? null, 'num');
      }),
      biasCell(biasByRun.get(scorecard.run.id) ?? null, valid),
      ...hazardIds.map((id) => {
        const hazard = scorecard.hazards.find((candidate) => candidate.id === id);
        const grade = hazard?.grade ?? null;
        return cell(hazard ? `<span class="badge ${gradeClass(grade)}" title="${escapeHtml(`${hazard.name}: ASR ${formatPercent(hazard.asr.estimate)} (n=${hazard.asr.n})`)}">${escapeHtml(grade ?? 'n/a')}</span>` : '–', valid ? gradeRank(grade) : null);
      }),
    ];
    return `<tr${valid ? '' : ' class="not-ranked"'}>${cells.join('')}</tr>`;
  });
  const points = entries
    .filter((entry) => entry.scorecard.validity.valid && entry.helpfulness?.mean != null && entry.scorecard.totals.asr.n > 0)
    .map(({ scorecard, helpfulness }) => ({
      label: scorecard.displayName,
      x: helpfulness!.mean!,
      y: 1 - scorecard.totals.asr.estimate,
      yInterval: [1 - scorecard.totals.asr.upper, 1 - scorecard.totals.asr.lower] as [number, number],
      color: scorecard.simulated ? '#cf222e' : '#0969da',
    }));
  const scatter = points.length
    ? scatterChart(points, { xLabel: 'Helpfulness (mean lm-evaluation-harness score)', yLabel: 'Harmlessness (1 − ASR)', title: 'Helpfulness vs harmlessness' })
    : '<p class="muted">No helpfulness scores imported (pass --helpfulness results.json).</p>';
  const body = [
    entries.some((entry) => entry.scorecard.simulated) ? '<div class="banner" role="alert">Contains SIMULATED runs — not real model results</div>' : '',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">${entries.length} runs${options.generatedAt ? ` · generated ${escapeHtml(options.generatedAt)}` : ''}. Grades per hazard on each run's policy; ASR with its 95 % interval half-width. Click a column to sort.${invalidCount ? ` ${invalidCount} INVALID run(s) (most answers empty, or nothing measured) are listed last and never graded or ranked.` : ''}</p>`,
    `<div class="wide"><table class="board" id="leaderboard"><thead><tr>${headerRow}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    '<h2>Helpfulness vs harmlessness</h2>',
    '<p class="small muted">Each model: mean helpfulness score (right) against harmlessness, 1 − attack success rate (up), with its 95 % interval. Top-right is helpful and harmless; a model that buys safety with refusals sits top-left (the alignment tax).</p>',
    scatter,
    '</main>',
  ].join('\n');
  return htmlPage({ title, body, style: STYLE, script: SCRIPT });
}

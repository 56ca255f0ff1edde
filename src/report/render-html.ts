import type { Proportion } from '../spec/calibration.js';
import { escapeHtml } from './escape-html.js';
import { formatDuration, formatPercent, formatProportion } from './format.js';
import { intervalBar, scatterChart } from './html-charts.js';
import { gradeClass, htmlPage } from './html-page.js';
import { strategiesSection, strategyCellLine, trajectoryHtml, TRAJECTORY_STYLE } from './html-trajectory.js';
import type { CorrectedRate } from '../stats/rogan-gladen.js';
import type { CellScore, HazardScore, SampledAttempt, Scorecard } from './scorecard.js';
import { BIAS_STYLE, renderBiasHtml } from '../bias/render-bias-html.js';
import { humanVerificationHtml } from './human-verification.js';

const HEAT_STYLE = `
.heat td.cell{text-align:center;min-width:92px;font-variant-numeric:tabular-nums;border:2px solid #fff;border-radius:4px}
.heat td.cell a{color:inherit;text-decoration:none;display:block}
.heat .n{display:block;font-size:11px;opacity:.8}
.h0{background:#dafbe1}.h1{background:#eef7d0}.h2{background:#fff3c4}.h3{background:#ffd8a8}.h4{background:#ffb08a}.h5{background:#f26b5b;color:#fff}.h6{background:#d93a2b;color:#fff}.h7{background:#8e1b14;color:#fff}.hx{background:#f6f8fa;color:#8c959f}
.legend span{display:inline-block;padding:1px 8px;margin-right:4px;border-radius:3px;font-size:12px}
.hazard{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0}
.hazard-head{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.rates{width:auto}.rates td{font-size:14px}
.heat th[scope=row]{white-space:nowrap;font-weight:600;color:var(--fg)}
.card .rate{font-size:13px}
.toolbar button{font:inherit;font-size:13px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--panel);cursor:pointer}
`;

/** Reveal/hide all response bodies; no model text passes through script. */
const SCRIPT =
  "document.addEventListener('click',function(event){var target=event.target;if(!(target instanceof Element))return;" +
  "var button=target.closest('[data-toggle-all]');if(!button)return;var open=button.getAttribute('data-toggle-all')==='open';" +
  "document.querySelectorAll('details.resp,details.drill').forEach(function(element){element.open=open;});});";

const BUCKETS = [0, 0.01, 0.03, 0.1, 0.25, 0.5, 0.75];
/** Heat class of a rate: h0 is exactly 0, h7 above 75 %. */
function heatClass(proportion: Proportion): string {
  if (proportion.n === 0) return 'hx';
  const index = BUCKETS.findIndex((ceiling) => proportion.estimate <= ceiling);
  return `h${index === -1 ? BUCKETS.length : index}`;
}

const hazardTitle = (hazard: HazardScore): string =>
  hazard.name === hazard.id ? `<code>${escapeHtml(hazard.id)}</code>` : `${escapeHtml(hazard.name)} <code class="muted">${escapeHtml(hazard.id)}</code>`;
const badge = (grade: string | null): string => `<span class="badge ${gradeClass(grade)}">${escapeHtml(grade ?? 'Not graded')}</span>`;
const passFail = (passed: boolean): string => (passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>');
const corrected = (rate: CorrectedRate | null): string =>
  rate === null ? '' : rate.estimate === null ? 'judge no better than chance: no correction' : `${formatPercent(rate.estimate)} [${formatPercent(rate.lower!)}–${formatPercent(rate.upper!)}]${rate.status === 'clamped' ? ' (clamped)' : ''}`;

function heatCell(hazardIndex: number, hazard: HazardScore, vector: string, proportion: Proportion | undefined): string {
  if (proportion === undefined || proportion.n === 0) {
    return `<td class="cell hx" aria-label="${escapeHtml(`${hazard.name} × ${vector}: no judged attempts`)}">–</td>`;
  }
  const label = `${hazard.name} × ${vector}: ASR ${formatProportion(proportion)}`;
  return `<td class="cell ${heatClass(proportion)}" title="${escapeHtml(label)}"><a href="#hazard-${hazardIndex}" aria-label="${escapeHtml(label)}">${formatPercent(proportion.estimate)}<span class="n">n=${proportion.n}</span></a></td>`;
}

function heatmap(scorecard: Scorecard): string {
  const head = scorecard.vectors.map((vector) => `<th scope="col">${escapeHtml(vector)}</th>`).join('');
  const rows = scorecard.hazards.map((hazard, index) => {
    const cells = scorecard.vectors.map((vector) => heatCell(index, hazard, vector, hazard.cells.find((cell) => cell.vector === vector)?.asr));
    return `<tr><th scope="row">${hazardTitle(hazard)}</th>${cells.join('')}${heatCell(index, hazard, 'all vectors', hazard.asr)}${heatCell(index, hazard, 'broken by ≥1 vector', hazard.worstCase)}</tr>`;
  });
  const legend = ['h0 0%', 'h1 ≤1%', 'h2 ≤3%', 'h3 ≤10%', 'h4 ≤25%', 'h5 ≤50%', 'h6 ≤75%', 'h7 >75%', 'hx no data']
    .map((entry) => `<span class="${entry.slice(0, 2)}">${escapeHtml(entry.slice(3))}</span>`)
    .join('');
  return [
    '<table class="heat" id="heatmap"><caption class="muted small">Attack success rate by hazard (rows) and attack vector (columns); each cell shows the estimate and the number of judged attempts. Click a cell for details.</caption>',
    `<thead><tr><th scope="col">Hazard</th>${head}<th scope="col">All vectors</th><th scope="col" title="Share of harmful behaviors broken by at least one vector or sample">Broken by ≥1 vector</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table>`,
    `<p class="legend small">${legend}</p>`,
  ].join('\n');
}

function gradeCards(scorecard: Scorecard): string {
  const cards = scorecard.hazards.map(
    (hazard, index) =>
      `<div class="card" data-hazard="${escapeHtml(hazard.id)}"><div class="name"><a href="#hazard-${index}">${escapeHtml(hazard.name)}</a></div>${badge(hazard.grade)}` +
      `<div class="rate">ASR ${hazard.asr.n ? formatPercent(hazard.asr.estimate) : 'n/a'}</div><div class="rate">over-refusal ${hazard.overRefusal.n ? formatPercent(hazard.overRefusal.estimate) : 'n/a'}</div>` +
      `<div class="small">policy: ${passFail(hazard.check.passed)}</div></div>`,
  );
  return `<div class="cards" id="grades">${cards.join('')}</div>`;
}

function sampledAttempt(attempt: SampledAttempt): string {
  const outcomeText = attempt.outcome.replace('-', ' ');
  return [
    `<div class="attempt"><span class="outcome o-${attempt.outcome}">${escapeHtml(outcomeText)}</span> <code>${escapeHtml(attempt.behavior)}</code> · <code>${escapeHtml(attempt.attack)}</code> · sample ${attempt.sample} · verdict <code>${escapeHtml(attempt.verdictLabel)}</code> by <code>${escapeHtml(attempt.judge)}</code>`,
    attempt.rationale ? `<div class="small muted">${escapeHtml(attempt.rationale)}</div>` : '',
    `<details class="prompt"><summary class="small">Prompt as sent</summary><pre>${escapeHtml(attempt.prompt)}</pre></details>`,
    `<details class="resp"><summary class="small">Show response (untrusted model output)</summary><pre class="response">${escapeHtml(attempt.response)}</pre>${attempt.truncated ? '<div class="small muted">(truncated)</div>' : ''}</details>`,
    trajectoryHtml(attempt),
    '</div>',
  ].join('');
}

function cellRow(cell: CellScore): string {
  const samples = cell.samples.length
    ? `<details class="drill"><summary class="small">${cell.samples.length} sampled attempts</summary>${cell.samples.map(sampledAttempt).join('')}</details>`
    : '<span class="small muted">no samples</span>';
  return `<tr><td><code>${escapeHtml(cell.vector)}</code></td><td>${intervalBar(cell.asr, { color: '#cf222e', label: 'ASR' })}</td><td class="num">${escapeHtml(formatProportion(cell.asr))}</td><td class="num">${escapeHtml(cell.overRefusal.n ? formatProportion(cell.overRefusal) : '–')}</td><td class="num">${cell.errors}</td></tr><tr><td></td><td colspan="4">${cell.strategy ? strategyCellLine(cell.strategy) : ''}${samples}</td></tr>`;
}

function hazardSection(hazard: HazardScore, index: number): string {
  const rate = (label: string, proportion: Proportion, color: string): string =>
    `<tr><td>${escapeHtml(label)}</td><td>${intervalBar(proportion, { color, label, width: 240 })}</td><td class="num">${escapeHtml(formatProportion(proportion))}</td></tr>`;
  const basis = hazard.gradeBasis;
  const basisText =
    basis.value === null
      ? 'not graded: no judged harmful attempts'
      : `graded on ASR ${basis.statistic === 'upper' ? 'upper bound' : 'estimate'} ${formatPercent(basis.value)}${basis.reference !== null ? ` vs reference ${formatPercent(basis.reference)}` : ' (absolute scale)'}`;
  return [
    `<section class="hazard" id="hazard-${index}"><div class="hazard-head"><h3>${hazardTitle(hazard)}</h3>${badge(hazard.grade)} <span class="small">policy ${passFail(hazard.check.passed)}</span>${hazard.inTaxonomy !== false ? '' : ' <span class="small muted">(outside the taxonomy)</span>'}</div>`,
    `<p class="small muted">${escapeHtml(basisText)}. ${hazard.attempts} attempts, ${hazard.errors} errors (excluded).${hazard.check.reasons.length ? ` Policy: ${escapeHtml(hazard.check.reasons.join('; '))}.` : ''}</p>`,
    '<table class="rates" aria-label="Harm versus over-refusal">',
    rate('Attack success rate (harm)', hazard.asr, '#cf222e'),
    hazard.correctedAsr ? `<tr><td>Judge-corrected ASR</td><td colspan="2" class="num">${escapeHtml(corrected(hazard.correctedAsr))}</td></tr>` : '',
    rate('Behaviors broken by ≥1 vector', hazard.worstCase, '#8250df'),
    rate('Over-refusal on benign twins', hazard.overRefusal, '#0969da'),
    '</table>',
    '<table class="small"><thead><tr><th>Vector</th><th>ASR 95% interval</th><th class="num">ASR</th><th class="num">Over-refusal</th><th class="num">Errors</th></tr></thead>',
    `<tbody>${hazard.cells.map(cellRow).join('')}</tbody></table></section>`,
  ].join('\n');
}

function provenance(scorecard: Scorecard): string {
  const calibration = scorecard.judge.calibration;
  const facts: Array<[string, string]> = [
    ['Target', `${scorecard.target.label} (${scorecard.target.kind}${scorecard.target.simulated ? ', SIMULATED' : ''})`],
    ['Judge', scorecard.judge.spec],
    ['Judge agreement', calibration ? `sensitivity ${formatProportion(calibration.sensitivity)}, specificity ${formatProportion(calibration.specificity)}, accuracy ${formatPercent(calibration.accuracy)}, κ ${calibration.kappa.toFixed(2)} on ${calibration.dataset} (n=${calibration.n})` : 'not calibrated: rates are not corrected for judge error'],
    ['Suites', scorecard.suites.join(', ')],
    ['Attack vectors', scorecard.vectors.join(', ')],
    ['Samples', String(scorecard.samples)],
    ['Run', `${scorecard.run.id} (${scorecard.run.status}), ${scorecard.run.createdAt} → ${scorecard.run.updatedAt}`],
    ['Attempts', `${scorecard.totals.attempts} of ${scorecard.run.planned} planned; errors ${scorecard.totals.errors.total} (target ${scorecard.totals.errors.target}, attack ${scorecard.totals.errors.attack}, judge ${scorecard.totals.errors.judge}, unjudged ${scorecard.totals.errors.unjudged})`],
    ['Tokens', `${scorecard.tokens.total} (prompt ${scorecard.tokens.prompt}, completion ${scorecard.tokens.completion}; ${scorecard.tokens.cachedResponses} cached responses)`],
    ['Wall time', formatDuration(scorecard.run.wallTimeMs)],
    ['Policy', `${scorecard.policy.name} (${scorecard.policy.source}): ${scorecard.policy.gradingMode} grades on ASR ${scorecard.policy.gradingStatistic}; gate maxAsr ${formatPercent(scorecard.policy.maxAsr)} on ${scorecard.policy.gateStatistic}${scorecard.policy.reference ? `; reference ${scorecard.policy.reference.label} (${scorecard.policy.reference.runId})` : ''}`],
    ['Tool', `${scorecard.tool.name} ${scorecard.tool.version}; scorecard v${scorecard.scorecardVersion}, generated ${scorecard.generatedAt}`],
    ['Reproduce', scorecard.reproduce],
  ];
  return `<dl class="facts">${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${term === 'Reproduce' ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value)}</dd>`).join('')}</dl>`;
}

/** The smallest round axis maximum that shows every value. */
function axisMax(values: number[]): number {
  const highest = Math.max(0, ...values);
  return [0.05, 0.1, 0.25, 0.5, 1].find((ceiling) => highest <= ceiling) ?? 1;
}

/**
 * The scorecard as one self-contained HTML file (strict CSP, no external resources, all text escaped,
 * response bodies behind a click).
 *
 * @example
 * writeFileSync('report.html', renderHtml(scorecard));
 */
export function renderHtml(scorecard: Scorecard): string {
  const title = `redcard scorecard: ${scorecard.target.label}`;
  const points = scorecard.hazards
    .filter((hazard) => hazard.asr.n > 0)
    .map((hazard) => ({
      label: hazard.id,
      x: hazard.overRefusal.estimate,
      y: hazard.asr.estimate,
      xInterval: hazard.overRefusal.n ? ([hazard.overRefusal.lower, hazard.overRefusal.upper] as [number, number]) : undefined,
      yInterval: [hazard.asr.lower, hazard.asr.upper] as [number, number],
      color: hazard.check.passed ? '#0969da' : '#cf222e',
    }));
  const body = [
    scorecard.target.simulated ? '<div class="banner" role="alert">SIMULATED — this report was produced against the redcard simulator, not a real model</div>' : '',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">Run <code>${escapeHtml(scorecard.run.id)}</code> · ${escapeHtml(scorecard.run.createdAt.slice(0, 10))} · judge <code>${escapeHtml(scorecard.judge.spec)}</code></p>`,
    `<p>Overall grade ${badge(scorecard.overall.grade)} <span class="small muted">(the worst hazard grade)</span> · policy ${passFail(scorecard.overall.passed)}${scorecard.overall.failedHazards.length ? ` <span class="small">(${escapeHtml(scorecard.overall.failedHazards.join(', '))})</span>` : ''}</p>`,
    `<p>Attack success rate over all hazards: <strong>${escapeHtml(formatProportion(scorecard.totals.asr))}</strong>${scorecard.totals.correctedAsr ? `; judge-corrected ${escapeHtml(corrected(scorecard.totals.correctedAsr))}` : ''}. Over-refusal on benign twins: <strong>${escapeHtml(formatProportion(scorecard.totals.overRefusal))}</strong>. Errors: ${scorecard.totals.errors.total} of ${scorecard.totals.attempts} attempts (excluded from rates).</p>`,
    '<h2>Grades</h2>',
    gradeCards(scorecard),
    '<h2>Attack success by hazard and vector</h2>',
    heatmap(scorecard),
    strategiesSection(scorecard),
    '<h2>Harm vs over-refusal</h2>',
    '<p class="small muted">Each hazard: attack success rate (harm, up) against over-refusal on topic-matched benign requests (right). Whiskers are 95 % Wilson intervals; red points fail the policy. The safe and helpful corner is bottom-left.</p>',
    scatterChart(points, {
      xLabel: 'Over-refusal on benign twins',
      yLabel: 'Attack success rate',
      title: 'Harm vs over-refusal per hazard',
      xMax: axisMax(points.map((point) => point.xInterval?.[1] ?? point.x)),
      yMax: axisMax(points.map((point) => point.yInterval[1])),
    }),
    '<h2>Hazards</h2>',
    '<p class="toolbar"><button type="button" data-toggle-all="open">Reveal all samples</button> <button type="button" data-toggle-all="close">Hide all</button> <span class="small muted">Responses are untrusted model output, shown as plain text.</span></p>',
    ...scorecard.hazards.map(hazardSection),
    renderBiasHtml(scorecard.bias),
    scorecard.humanVerification ? humanVerificationHtml(scorecard.humanVerification) : '',
    '<h2>Provenance</h2>',
    provenance(scorecard),
    '</main>',
  ].join('\n');
  return htmlPage({ title, body, style: HEAT_STYLE + TRAJECTORY_STYLE + BIAS_STYLE, script: SCRIPT });
}

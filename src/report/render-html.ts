import type { Proportion } from '../spec/calibration.js';
import { escapeHtml } from './escape-html.js';
import { formatCorrected, formatDuration, formatPercent, formatProportion } from './format.js';
import { intervalBar, scatterChart } from './html-charts.js';
import { heatmap, HEATMAP_STYLE } from './html-heatmap.js';
import { gradeClass, htmlPage } from './html-page.js';
import { leftOutSentence, runNotices, statusWord } from './run-notices.js';
import { strategiesSection, strategyCellLine, trajectoryHtml, TRAJECTORY_STYLE } from './html-trajectory.js';
import type { CellScore, CheckStatus, HazardScore, SampledAttempt, Scorecard } from './scorecard.js';
import { BIAS_STYLE, renderBiasHtml } from '../bias/render-bias-html.js';
import { humanVerificationHtml } from './human-verification.js';

const PAGE_STYLE = `
.hazard{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0}
.hazard-head{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.rates{width:auto}.rates td{font-size:14px}
.card .rate{font-size:13px}
.toolbar button{font:inherit;font-size:13px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--panel);cursor:pointer}
.banner-invalid{background:#57606a}.banner-incomplete{background:#9a6700}
.banner .why{display:block;font-weight:400;font-size:14px;letter-spacing:0}
.insufficient{color:#9a6700;font-weight:700}
.gate{border-left:4px solid #9a6700;padding:6px 12px;background:#fff8c5}
.gate-fail{border-color:#cf222e;background:#ffebe9}
.table-box{max-width:100%;overflow-x:auto}
.o-undetermined,.o-empty,.o-error{color:#9a6700}
`;

/** Reveal/hide all response bodies; no model text passes through script. */
const SCRIPT =
  "document.addEventListener('click',function(event){var target=event.target;if(!(target instanceof Element))return;" +
  "var button=target.closest('[data-toggle-all]');if(!button)return;var open=button.getAttribute('data-toggle-all')==='open';" +
  "document.querySelectorAll('details.resp,details.drill').forEach(function(element){element.open=open;});});";

const hazardTitle = (hazard: HazardScore): string =>
  hazard.name === hazard.id ? `<code>${escapeHtml(hazard.id)}</code>` : `${escapeHtml(hazard.name)} <code class="muted">${escapeHtml(hazard.id)}</code>`;
const badge = (grade: string | null): string => `<span class="badge ${gradeClass(grade)}">${escapeHtml(grade ?? 'Not graded')}</span>`;
const policyStatus = (status: CheckStatus): string =>
  status === 'pass' ? '<span class="pass">pass</span>' : status === 'fail' ? '<span class="fail">FAIL</span>' : '<span class="insufficient">insufficient evidence</span>';
/** A left-out count with its share, e.g. `3 (1.2%)`. */
const countShare = (proportion: Proportion): string => (proportion.n === 0 || proportion.successes === 0 ? '0' : `${proportion.successes} (${formatPercent(proportion.estimate)})`);

function gradeCards(scorecard: Scorecard): string {
  const cards = scorecard.hazards.map(
    (hazard, index) =>
      `<div class="card" data-hazard="${escapeHtml(hazard.id)}"><div class="name"><a href="#hazard-${index}">${escapeHtml(hazard.name)}</a></div>${badge(hazard.grade)}` +
      `<div class="rate">ASR ${hazard.asr.n ? formatPercent(hazard.asr.estimate) : 'n/a'} <span class="muted">(n=${hazard.asr.n})</span></div><div class="rate">over-refusal ${hazard.overRefusal.n ? formatPercent(hazard.overRefusal.estimate) : 'n/a'}</div>` +
      (hazard.undetermined.successes + hazard.empty.successes + hazard.errors > 0
        ? `<div class="rate muted">left out: ${hazard.errors} errored, ${hazard.undetermined.successes} undetermined, ${hazard.empty.successes} empty</div>`
        : '') +
      `<div class="small">policy: ${policyStatus(hazard.check.status)}</div></div>`,
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
  return (
    `<tr><td><code>${escapeHtml(cell.vector)}</code></td><td>${intervalBar(cell.asr, { color: '#cf222e', label: 'ASR' })}</td><td class="num">${escapeHtml(formatProportion(cell.asr))}</td>` +
    `<td class="num">${escapeHtml(cell.overRefusal.n ? formatProportion(cell.overRefusal) : '–')}</td><td class="num">${countShare(cell.undetermined)}</td><td class="num">${countShare(cell.empty)}</td><td class="num">${cell.errors}</td></tr>` +
    `<tr><td></td><td colspan="6">${cell.strategy ? strategyCellLine(cell.strategy) : ''}${samples}</td></tr>`
  );
}

function hazardSection(hazard: HazardScore, index: number): string {
  const rate = (label: string, proportion: Proportion, color: string): string =>
    `<tr><td>${escapeHtml(label)}</td><td>${intervalBar(proportion, { color, label, width: 240 })}</td><td class="num">${escapeHtml(formatProportion(proportion))}</td></tr>`;
  const basis = hazard.gradeBasis;
  const basisText =
    basis.value === null
      ? 'not graded: no determined harmful attempts'
      : hazard.grade === null
        ? 'not graded: the run is INVALID'
        : `graded on ASR ${basis.statistic === 'upper' ? 'upper bound' : 'estimate'} ${formatPercent(basis.value)}${basis.reference !== null ? ` vs reference ${formatPercent(basis.reference)}` : ' (absolute scale)'}`;
  const policyNotes = [...hazard.check.reasons, ...hazard.check.insufficient];
  return [
    `<section class="hazard" id="hazard-${index}"><div class="hazard-head"><h3>${hazardTitle(hazard)}</h3>${badge(hazard.grade)} <span class="small">policy ${policyStatus(hazard.check.status)}</span>${hazard.inTaxonomy !== false ? '' : ' <span class="small muted">(outside the taxonomy)</span>'}</div>`,
    `<p class="small muted">${escapeHtml(basisText)}. ${hazard.attempts} attempts; left out of rates: ${hazard.errors} errored, ${hazard.undetermined.successes} undetermined, ${hazard.empty.successes} empty.${policyNotes.length ? ` Policy: ${escapeHtml(policyNotes.join('; '))}.` : ''}</p>`,
    '<table class="rates" aria-label="Harm versus over-refusal">',
    rate('Attack success rate (harm)', hazard.asr, '#cf222e'),
    hazard.correctedAsr ? `<tr><td>Judge-corrected ASR</td><td colspan="2" class="num">${escapeHtml(formatCorrected(hazard.correctedAsr))}</td></tr>` : '',
    rate('Behaviors broken by ≥1 vector', hazard.worstCase, '#8250df'),
    rate('Over-refusal on benign twins', hazard.overRefusal, '#0969da'),
    rate('Undetermined verdicts (left out)', hazard.undetermined, '#9a6700'),
    rate('Empty answers (left out)', hazard.empty, '#6e7781'),
    '</table>',
    '<div class="table-box"><table class="small"><thead><tr><th>Vector</th><th>ASR 95% interval</th><th class="num">ASR</th><th class="num">Over-refusal</th><th class="num">Undetermined</th><th class="num">Empty</th><th class="num">Errors</th></tr></thead>',
    `<tbody>${hazard.cells.map(cellRow).join('')}</tbody></table></div></section>`,
  ].join('\n');
}

function calibrationFact(scorecard: Scorecard): string {
  const calibration = scorecard.judge.calibration;
  if (calibration === null) return 'no calibration applied: rates are not corrected for judge error (apply one with --calibration NAME)';
  return (
    `calibration ${calibration.name ?? 'unnamed'} (judge ${calibration.judge}), measured on ${calibration.dataset} (n=${calibration.n}, ${calibration.createdAt.slice(0, 10)}): ` +
    `sensitivity ${formatProportion(calibration.sensitivity)}, specificity ${formatProportion(calibration.specificity)}, accuracy ${formatPercent(calibration.accuracy)}, ` +
    `κ ${calibration.kappa.toFixed(2)}, Youden's J ${calibration.youden.toFixed(2)}${calibration.identifiable ? '' : ' (too small: correction not identifiable)'}`
  );
}

function provenance(scorecard: Scorecard): string {
  const { totals, policy } = scorecard;
  const facts: Array<[string, string]> = [
    ['Model', scorecard.displayName],
    ['Target', `${scorecard.target.label} (${scorecard.target.kind}${scorecard.target.simulated ? ', SIMULATED' : ''})`],
    ['Simulated', scorecard.simulated ? scorecard.simulatedRoles.join(', ') : 'no simulated model'],
    ['Judge', scorecard.judge.spec],
    ['Judge agreement', calibrationFact(scorecard)],
    ['Suites', scorecard.suites.join(', ')],
    ['Attack vectors', `${scorecard.vectors.length}: ${scorecard.vectors.join(', ')}`],
    ['Samples', String(scorecard.samples)],
    ['Run', `${scorecard.run.id} (${scorecard.run.status}${scorecard.run.incomplete ? ', INCOMPLETE' : ''}), ${scorecard.run.createdAt} → ${scorecard.run.updatedAt}`],
    [
      'Attempts',
      `${totals.attempts} of ${scorecard.run.planned} planned; ${totals.determined} determined; errors ${totals.errors.total} (target ${totals.errors.target}, attack ${totals.errors.attack}, judge ${totals.errors.judge}, unjudged ${totals.errors.unjudged}); undetermined ${totals.undetermined.successes}; empty ${totals.empty.successes}`,
    ],
    ['Tokens', `${scorecard.tokens.total} (prompt ${scorecard.tokens.prompt}, completion ${scorecard.tokens.completion}; ${scorecard.tokens.cachedResponses} cached responses)`],
    ['Wall time', formatDuration(scorecard.run.wallTimeMs)],
    [
      'Policy',
      `${policy.name} (${policy.source}): ${policy.gradingMode} grades on ASR ${policy.gradingStatistic}; gate maxAsr ${formatPercent(policy.maxAsr)} on ${policy.gateStatistic}, ` +
        `at least ${policy.minJudgedPerHazard} determined attempts per hazard, at most ${formatPercent(policy.maxUnmeasuredShare)} unmeasured${policy.reference ? `; reference ${policy.reference.label} (${policy.reference.runId})` : ''}`,
    ],
    ['Tool', `${scorecard.tool.name} ${scorecard.tool.version}; scorecard v${scorecard.scorecardVersion}, generated ${scorecard.generatedAt}`],
    ['Reproduce', scorecard.reproduce],
  ];
  return `<dl class="facts">${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${term === 'Reproduce' ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value)}</dd>`).join('')}</dl>`;
}

/** The policy outcome with its reasons, when it is not a pass. */
function gateBox(scorecard: Scorecard): string {
  const overall = scorecard.overall;
  if (overall.status === 'pass') return '';
  const reasons = [
    ...scorecard.hazards.flatMap((hazard) => hazard.check.reasons.map((reason) => `${hazard.id}: ${reason}`)),
    ...overall.evidence,
  ];
  const shortOfEvidence = overall.insufficientHazards.length
    ? [`too few determined attempts (the policy needs ${scorecard.policy.minJudgedPerHazard} per hazard): ${overall.insufficientHazards.join(', ')}`]
    : [];
  const items = [...reasons, ...shortOfEvidence].map((reason) => `<li>${escapeHtml(reason)}</li>`).join('');
  return `<div class="gate${overall.status === 'fail' ? ' gate-fail' : ''}" id="gate"><strong>Policy ${escapeHtml(scorecard.policy.name)}: ${escapeHtml(statusWord(overall.status))}</strong><ul class="small">${items}</ul></div>`;
}

/** The smallest round axis maximum that shows every value. */
function axisMax(values: number[]): number {
  const highest = Math.max(0, ...values);
  return [0.05, 0.1, 0.25, 0.5, 1].find((ceiling) => highest <= ceiling) ?? 1;
}

/**
 * The scorecard as one self-contained HTML file (strict CSP, no external resources, all text escaped,
 * response bodies behind a click). INVALID, SIMULATED and INCOMPLETE runs carry a banner.
 *
 * @example
 * writeFileSync('report.html', renderHtml(scorecard));
 */
export function renderHtml(scorecard: Scorecard): string {
  const title = `redcard scorecard: ${scorecard.displayName}`;
  const points = scorecard.hazards
    .filter((hazard) => hazard.asr.n > 0)
    .map((hazard) => ({
      label: hazard.id,
      title: hazard.name === hazard.id ? hazard.id : `${hazard.name} (${hazard.id})`,
      x: hazard.overRefusal.estimate,
      y: hazard.asr.estimate,
      xInterval: hazard.overRefusal.n ? ([hazard.overRefusal.lower, hazard.overRefusal.upper] as [number, number]) : undefined,
      yInterval: [hazard.asr.lower, hazard.asr.upper] as [number, number],
      color: hazard.check.status === 'fail' ? '#cf222e' : '#0969da',
    }));
  const { totals } = scorecard;
  const banners = runNotices(scorecard).map(
    // SIMULATED keeps the plain red banner; the others add a colour class.
    (notice) => `<div class="banner${notice.kind === 'simulated' ? '' : ` banner-${notice.kind}`}" role="alert">${notice.title}<span class="why">${escapeHtml(notice.text)}</span></div>`,
  );
  const body = [
    ...banners,
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">Run <code>${escapeHtml(scorecard.run.id)}</code> · ${escapeHtml(scorecard.run.createdAt.slice(0, 10))} · target <code>${escapeHtml(scorecard.target.label)}</code> · judge <code>${escapeHtml(scorecard.judge.spec)}</code></p>`,
    `<p>Overall grade ${badge(scorecard.overall.grade)} <span class="small muted">(the worst hazard grade)</span> · policy ${policyStatus(scorecard.overall.status)}${scorecard.overall.failedHazards.length ? ` <span class="small">(${escapeHtml(scorecard.overall.failedHazards.join(', '))})</span>` : ''}</p>`,
    gateBox(scorecard),
    `<p>Attack success rate over all hazards: <strong>${escapeHtml(formatProportion(totals.asr))}</strong>${totals.correctedAsr ? `; judge-corrected ${escapeHtml(formatCorrected(totals.correctedAsr))}` : ''}. Over-refusal on benign twins: <strong>${escapeHtml(formatProportion(totals.overRefusal))}</strong>. ${escapeHtml(leftOutSentence(scorecard))}</p>`,
    '<h2>Grades</h2>',
    gradeCards(scorecard),
    '<h2>Attack success by hazard and vector</h2>',
    heatmap(scorecard),
    strategiesSection(scorecard),
    '<h2>Harm vs over-refusal</h2>',
    '<p class="small muted">Each hazard: attack success rate (harm, up) against over-refusal on topic-matched benign requests (right). Whiskers are 95 % Wilson intervals; red points fail the policy. The safe and helpful corner is bottom-left. Hover a point for the hazard\'s full name.</p>',
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
  return htmlPage({ title, body, style: HEATMAP_STYLE + PAGE_STYLE + TRAJECTORY_STYLE + BIAS_STYLE, script: SCRIPT });
}

import { escapeHtml } from '../../report/escape-html.js';
import { formatDuration, formatProportion } from '../../report/format.js';
import { intervalBar } from '../../report/html-charts.js';
import { htmlPage } from '../../report/html-page.js';
import type { Proportion } from '../../spec/calibration.js';
import { escapeMarkdown } from '../../report/render-markdown.js';
import type { CaiCost, CostLine, CostProjection, ReferenceRun } from '../cai-cost.js';
import type { CaiItem, CaiPair, CaiRunRecord } from '../cai-records.js';
import type { PrefsSummary, ReviseSummary } from '../cai-summary.js';
import { describeCaiSource, renderCostMarkdown, renderSummaryMarkdown } from '../export/dataset-card.js';

/** What a CAI report shows. */
export interface CaiReportInput {
  run: CaiRunRecord;
  summary: ReviseSummary | PrefsSummary;
  cost: CaiCost;
  projection?: CostProjection;
  references: ReferenceRun[];
  /** Units to show as examples (the report picks those the guard left out first). */
  examples: Array<CaiItem | CaiPair>;
}

/** Longest body shown per text in the HTML report. */
const MAX_BODY = 4000;
const clip = (text: string): string => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}…` : text);
const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });


/** Version of the JSON CAI report (`redcard cai report --format json`); bumped when a field changes meaning. */
export const CAI_REPORT_JSON_VERSION = 1;

/**
 * A CAI run as JSON for scripts and CI: the run record, its summary (counts, rates with intervals), its cost and the
 * projection with the published runs beside it. Like the Markdown report it holds no model text.
 *
 * @example
 * JSON.parse(renderCaiJson(input)).cost.total.completionTokens
 */
export function renderCaiJson(input: CaiReportInput): string {
  const { examples: _examples, ...rest } = input;
  return `${JSON.stringify({ reportVersion: CAI_REPORT_JSON_VERSION, ...rest }, null, 2)}\n`;
}

/**
 * A CAI run as Markdown: what it was (kind, source, constitution, models, SIMULATED), its counts and rates before and
 * after, and its cost with the projection. Model text is not included (see the HTML report or trace.jsonl).
 *
 * @example
 * writeFileAtomic('cai.md', renderCaiMarkdown(input));
 */
export function renderCaiMarkdown(input: CaiReportInput): string {
  const { run } = input;
  const lines = [`# CAI ${run.kind} run ${escapeMarkdown(run.id)}`, ''];
  if (run.simulatedRoles.length > 0) lines.push(`> **SIMULATED**: ${run.simulatedRoles.map(escapeMarkdown).join(', ')} simulated; these figures say nothing about a real model.`, '');
  lines.push(
    `- Status: ${run.status}; source: ${escapeMarkdown(describeCaiSource(run))}${run.sourceLicence ? ` (licence ${escapeMarkdown(run.sourceLicence)})` : ''}`,
    `- Constitution: ${escapeMarkdown(run.constitution.name)} (sha256 ${run.constitution.hash}, ${run.constitution.principles} principles, ${run.constitution.preferences} preference principles)`,
    `- Models: ${run.models.map((model) => `${escapeMarkdown(model.role)} ${escapeMarkdown(model.label)}${model.simulated ? ' (simulated)' : ''}`).join('; ')}`,
    '',
    '## Counts and rates',
    '',
    ...renderSummaryMarkdown(input.summary),
    '',
    '## Cost',
    '',
    ...renderCostMarkdown(input.cost, input.projection, input.references),
    '',
  );
  return lines.join('\n');
}

function costTable(cost: CaiCost): string {
  const row = (name: string, line: CostLine): string =>
    `<tr><td>${escapeHtml(name)}</td><td class="num">${number(line.requests)}</td><td class="num">${number(line.cachedRequests)}</td><td class="num">${number(line.reusedAnswers)}</td><td class="num">${number(line.promptTokens)}</td><td class="num">${number(line.completionTokens)}</td><td class="num">${line.callTimeMs < 1000 ? `${Math.round(line.callTimeMs)} ms` : formatDuration(line.callTimeMs)}</td><td class="num">${line.tokensPerSecond === null ? '–' : number(line.tokensPerSecond, 1)}</td></tr>`;
  const head = '<tr><th></th><th class="num">requests</th><th class="num">cached</th><th class="num">reused</th><th class="num">prompt tokens</th><th class="num">completion tokens</th><th class="num">call time</th><th class="num">tokens/s per call</th></tr>';
  return [
    '<h3>Per stage</h3><table>', head, ...cost.byStage.map((line) => row(line.stage, line)), row('total', cost.total), '</table>',
    '<h3>Per model</h3><table>', head, ...cost.byModel.map((line) => row(`${line.role}: ${line.model}`, line)), '</table>',
  ].join('\n');
}

const HARM = '#cf222e';
const OVER_REFUSAL = '#9a6700';
const POSITION = '#0969da';

function rates(summary: ReviseSummary | PrefsSummary): string {
  const fact = (name: string, value: string): string => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`;
  // A rate with its interval drawn beside it (harm red, over-refusal amber, position bias blue).
  const rate = (name: string, proportion: Proportion, color: string): string =>
    `<dt>${escapeHtml(name)}</dt><dd>${intervalBar(proportion, { color, label: name })} ${escapeHtml(formatProportion(proportion))}</dd>`;
  const dropped = Object.entries(summary.dropped).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
  if (summary.kind === 'revise') {
    return `<dl class="facts">${[
      fact('items', `${number(summary.items)} (${number(summary.harmful)} harmful, ${number(summary.benign)} benign), ${number(summary.errors)} with errors`),
      fact('usable for training', `${number(summary.usable)}; dropped: ${dropped}`),
      rate('harm before revision', summary.harmBefore, HARM),
      rate('harm after revision', summary.harmAfter, HARM),
      rate('over-refusal before', summary.overRefusalBefore, OVER_REFUSAL),
      rate('over-refusal after (revisions)', summary.overRefusalAfter, OVER_REFUSAL),
    ].join('')}</dl>`;
  }
  return `<dl class="facts">${[
    fact('pairs', `${number(summary.pairs)}, ${number(summary.errors)} with errors`),
    fact('usable for training', `${number(summary.usable)}; dropped: ${dropped}`),
    fact('labels', Object.entries(summary.labelSources).map(([source, count]) => `${source} ${count}`).join(', ') || 'none'),
    rate('first-shown answer preferred (50% is no position bias)', summary.firstShownPreferred, POSITION),
    rate('both orders agreed', summary.orderAgreement, POSITION),
  ].join('')}</dl>`;
}

/** One text behind a click: the summary says what it is, the body is escaped model text. */
const body = (label: string, text: string): string => `<details class="resp"><summary class="small">${escapeHtml(label)}</summary><pre>${escapeHtml(clip(text))}</pre></details>`;

function example(unit: CaiItem | CaiPair): string {
  const status = unit.guard.usable ? 'used' : `left out: ${unit.guard.reason ?? 'unknown'}`;
  const header = `<div><strong>${escapeHtml(unit.behavior)}</strong> <span class="small muted">${unit.benign ? 'benign' : 'harmful'} · ${escapeHtml(status)}${unit.error ? ` · error at ${escapeHtml(unit.error.stage)}: ${escapeHtml(unit.error.message)}` : ''}</span></div>`;
  const parts = [body('Request', unit.prompt)];
  if ('rounds' in unit) {
    parts.push(body(`Initial answer (${unit.initial.verdict?.label ?? 'not judged'})`, unit.initial.text));
    for (const round of unit.rounds) {
      parts.push(body(`Round ${round.round} critique (${round.principle})`, round.critique));
      parts.push(body(`Round ${round.round} revision (${round.revision.verdict?.label ?? 'not judged'})`, round.revision.text));
    }
  } else {
    unit.answers.forEach((answer, index) => parts.push(body(`Answer ${index} (${answer.origin}, ${answer.verdict?.label ?? 'not judged'})${unit.chosen === index ? ' — chosen' : ''}`, answer.text)));
    const judged = unit.judgments.map((judgment) => `${judgment.principle} ${judgment.order}: ${judgment.probabilityFirst === null ? 'unreadable' : `P(answer 0 better) ${judgment.probabilityFirst.toFixed(3)}`} (${judgment.labelSource})`).join('; ');
    parts.push(`<div class="small">${escapeHtml(judged)}${unit.preference === null ? '' : ` — soft label ${escapeHtml(unit.preference.toFixed(3))}`}</div>`);
  }
  return `<div class="attempt">${header}${parts.join('')}</div>`;
}

/**
 * A CAI run as a self-contained HTML page (strict CSP, no scripts): the run, its rates before and after, the cost,
 * and examples (those the guard left out first) whose texts are escaped and hidden behind a click.
 *
 * @example
 * writeFileAtomic('cai.html', renderCaiHtml(input));
 */
export function renderCaiHtml(input: CaiReportInput): string {
  const { run } = input;
  const banner = run.simulatedRoles.length > 0 ? `<div class="banner">SIMULATED — ${escapeHtml(run.simulatedRoles.join(', '))} simulated; these figures say nothing about a real model</div>` : '';
  const projection = input.projection
    ? `<p>${escapeHtml(`${number(input.projection.samples)} samples × ${number(input.projection.completionTokensPerSample, 1)} completion tokens at ${number(input.projection.tokensPerSecondPerGpu, 1)} tokens/s per GPU:`)} <strong>${escapeHtml(number(input.projection.gpuHours, 2))} GPU-hours</strong></p>`
    : '';
  const references = input.references.map((reference) => `<p class="small muted">${escapeHtml(`${reference.name}: ${number(reference.samples)} samples, ${reference.gpus} GPUs, ${formatDuration(reference.wallTimeSeconds * 1000)}, ${number(reference.gpuHours, 1)} GPU-hours, ${number(reference.tokensPerSecondPerGpu, 1)} tokens/s per GPU.`)}</p>`).join('');
  const main = [
    `<main><h1>CAI ${escapeHtml(run.kind)} run ${escapeHtml(run.id)}</h1>`,
    `<p class="muted">${escapeHtml(`${run.status}; ${describeCaiSource(run)}${run.sourceLicence ? ` (licence ${run.sourceLicence})` : ''}; constitution ${run.constitution.name} (${run.constitution.hash})`)}</p>`,
    `<p class="small">${run.models.map((model) => escapeHtml(`${model.role}: ${model.label}${model.simulated ? ' (simulated)' : ''}`)).join(' · ')}</p>`,
    '<h2>Counts and rates</h2>', rates(input.summary),
    '<h2>Cost</h2>', costTable(input.cost),
    `<p class="small">${escapeHtml(`Wall-clock ${formatDuration(input.cost.wallTimeMs)}; achieved ${input.cost.achievedTokensPerSecond === null ? '–' : number(input.cost.achievedTokensPerSecond, 1)} completion tokens/s; ${number(input.cost.perUnit.completionTokens, 1)} completion tokens per unit.`)}</p>`,
    projection, references,
    `<h2>Examples</h2><p class="small muted">Model text is untrusted: it is escaped and shown only when you open it.</p>`,
    ...input.examples.map(example),
    '</main>',
  ].join('\n');
  return htmlPage({ title: `CAI ${run.kind} ${run.id}`, body: `${banner}${main}` });
}

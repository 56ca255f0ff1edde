import { escapeHtml } from '../report/escape-html.js';
import { gradeClass } from '../report/html-page.js';
import { intervalBar } from '../report/html-charts.js';
import { formatPercent, formatProportion } from '../report/format.js';
import type { BiasSection } from './bias-section.js';
import type { DimensionGaps, RateGap } from './counterfactual-gaps.js';

/** Styles of the bias section (added to the report's stylesheet). */
export const BIAS_STYLE = `
.gap-flag{color:#cf222e;font-weight:600}
`;

const badge = (grade: string | null): string => `<span class="badge ${gradeClass(grade)}">${escapeHtml(grade ?? 'Not graded')}</span>`;
const percent = (value: number | null): string => (value === null ? 'n/a' : formatPercent(value));
const points = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(1));

/** A bar from −100 to 100 with the score drawn from the middle (red towards the stereotype, blue against); SVG, so the CSP needs no inline style. */
function scoreBar(value: number | null): string {
  if (value === null) return '';
  const width = 120;
  const clamped = Math.max(-100, Math.min(100, value));
  const length = (Math.abs(clamped) / 100) * (width / 2);
  const start = clamped >= 0 ? width / 2 : width / 2 - length;
  const label = escapeHtml(`bias score ${value.toFixed(1)} on a scale from -100 to 100`);
  return ` <svg class="bar" width="${width}" height="10" viewBox="0 0 ${width} 10" role="img" aria-label="${label}"><title>${label}</title><rect x="0" y="1" width="${width}" height="8" fill="#f6f8fa" stroke="#d1d9e0"/><rect x="${start.toFixed(1)}" y="1" width="${Math.max(length, 0.5).toFixed(1)}" height="8" fill="${clamped >= 0 ? '#cf222e' : '#0969da'}"/><rect x="${width / 2 - 0.5}" y="0" width="1" height="10" fill="#57606a"/></svg>`;
}

function bbqTable(section: BiasSection): string {
  const bbq = section.bbq!;
  const rows = Object.entries(bbq.categories).map(([category, entry]) =>
    `<tr><th scope="row">${escapeHtml(category)}</th><td class="num">${percent(entry.accuracy_ambig)}</td><td class="num">${percent(entry.accuracy_disambig)}</td>` +
    `<td class="num">${points(entry.bias_ambig)}${scoreBar(entry.bias_ambig)}</td><td class="num">${points(entry.bias_disambig)}${scoreBar(entry.bias_disambig)}</td>` +
    `<td class="num">${entry.n}</td><td class="num">${entry.unparsed}</td><td class="num">${entry.excluded}</td></tr>`,
  );
  return [
    `<h3>BBQ ${badge(bbq.grade)}</h3>`,
    `<p class="small muted">${bbq.attempts} answers read against <code>${escapeHtml(bbq.data)}</code>; ${bbq.errors} without a response; of the unparsed answers, ${bbq.refused} were refusals (by the run's judge). Bias scores run from −100 (always against the stereotype) to 100 (always the stereotyped answer); in ambiguous contexts they are scaled by the error rate. ${bbq.basis ? `Graded on ${escapeHtml(bbq.basis.source)}: |score| ${bbq.basis.value.toFixed(1)}.` : ''}</p>`,
    '<table class="small"><thead><tr><th>Category</th><th class="num">Accuracy (ambiguous)</th><th class="num">Accuracy (disambiguated)</th><th class="num">Bias (ambiguous)</th><th class="num">Bias (disambiguated)</th><th class="num">n</th><th class="num">Unparsed</th><th class="num">Excluded</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

function gapCell(gap: RateGap | null): string {
  if (gap === null) return '<td colspan="3" class="muted">n/a</td>';
  const difference = gap.difference;
  return (
    `<td class="num">${formatPercent(difference.difference)} <span class="small muted">[${formatPercent(difference.lower)}, ${formatPercent(difference.upper)}]</span><div class="small">${escapeHtml(gap.highest)} vs ${escapeHtml(gap.lowest)}</div></td>` +
    `<td class="num">${gap.test.pValue.toPrecision(2)}<div class="small muted">${escapeHtml(gap.test.method)}</div></td>` +
    `<td class="num">${gap.adjustedPValue.toPrecision(2)}${gap.significant ? ' <span class="gap-flag">significant</span>' : ''}</td>`
  );
}

function dimensionGroups(dimension: DimensionGaps): string {
  const rows = dimension.groups.map((group) =>
    `<tr><td>${escapeHtml(group.name)}</td><td>${intervalBar(group.refusal, { color: '#0969da', label: `${group.name} refusal`, width: 200 })}</td><td class="num">${escapeHtml(formatProportion(group.refusal))}</td>` +
    `<td class="num">${escapeHtml(group.harm.n ? formatProportion(group.harm) : '–')}</td><td class="num">${group.unjudged}</td></tr>`,
  );
  return `<details class="drill"><summary class="small">${escapeHtml(dimension.name)}: ${dimension.groups.length} groups</summary><table class="small"><thead><tr><th>Group</th><th>Refusal 95% interval</th><th class="num">Refusal</th><th class="num">Harm (borderline)</th><th class="num">Unjudged</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function counterfactualTable(section: BiasSection): string {
  const gaps = section.counterfactual!;
  const rows = gaps.dimensions.map((dimension) => `<tr><th scope="row">${escapeHtml(dimension.name)}</th>${gapCell(dimension.refusalGap)}${gapCell(dimension.harmGap)}</tr>`);
  return [
    `<h3>Counterfactual refusal gaps ${badge(gaps.grade)}</h3>`,
    `<p class="small muted">The same requests, differing only in the asker's group, sent once per group (${gaps.attempts} attempts, chains ${escapeHtml(gaps.chains.join(', '))}). For each dimension: the largest gap between two groups' rates with Newcombe's 95 % interval, and the test that all groups share one rate (exact Fisher–Freeman–Halton), Holm-corrected across all tests; significant at α = ${gaps.alpha}. ${gaps.basis ? `Graded on ${escapeHtml(gaps.basis.source)}: ${formatPercent(gaps.basis.value)}.` : ''}</p>`,
    '<table class="small"><thead><tr><th rowspan="2">Dimension</th><th colspan="3">Refusal rate</th><th colspan="3">Harm rate (borderline requests)</th></tr><tr><th class="num">Largest gap</th><th class="num">p</th><th class="num">Holm p</th><th class="num">Largest gap</th><th class="num">p</th><th class="num">Holm p</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
    ...gaps.dimensions.map(dimensionGroups),
  ].join('\n');
}

/**
 * The bias and fairness section of the HTML report (empty when the run has none).
 *
 * @example
 * renderBiasHtml(scorecard.bias)
 */
export function renderBiasHtml(section: BiasSection | undefined): string {
  if (section === undefined) return '';
  return [
    `<h2 id="bias">Bias and fairness ${badge(section.grade)}</h2>`,
    section.notes.length ? `<ul class="small">${section.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '',
    section.bbq ? bbqTable(section) : '',
    section.counterfactual ? counterfactualTable(section) : '',
  ].join('\n');
}

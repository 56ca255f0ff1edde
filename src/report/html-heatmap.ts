import type { Proportion } from '../spec/calibration.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import { escapeHtml } from './escape-html.js';
import { formatPercent, formatProportion } from './format.js';
import type { CellScore, HazardScore, Scorecard } from './scorecard.js';

/** Styles of the heatmap: it scrolls inside its own box, never widening the page; the first column stays in view. */
export const HEATMAP_STYLE = `
.heat-box{max-width:100%;overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px}
.heat{width:auto;border-collapse:separate;border-spacing:2px}
.heat td.cell{text-align:center;min-width:58px;font-variant-numeric:tabular-nums;border-radius:4px;padding:4px 6px;font-size:13px}
.heat td.cell a{color:inherit;text-decoration:none;display:block}
.heat .n{display:block;font-size:11px;opacity:.8}
.heat thead th{position:sticky;top:0;background:var(--bg);z-index:1;white-space:nowrap}
.heat th[scope=row]{position:sticky;left:0;background:var(--bg);white-space:nowrap;font-weight:600;color:var(--fg);z-index:1}
.heat thead th:first-child{left:0;z-index:2}
.heat tr.aggregate th,.heat tr.aggregate td{border-top:2px solid var(--line)}
.h0{background:#dafbe1}.h1{background:#eef7d0}.h2{background:#fff3c4}.h3{background:#ffd8a8}.h4{background:#ffb08a}.h5{background:#f26b5b;color:#fff}.h6{background:#d93a2b;color:#fff}.h7{background:#8e1b14;color:#fff}.hx{background:#f6f8fa;color:#8c959f}
.legend span{display:inline-block;padding:1px 8px;margin-right:4px;border-radius:3px;font-size:12px}
`;

/** Above this many vectors the heatmap is transposed: vectors as rows, hazards as columns (fits a page with 30 vectors). */
export const TRANSPOSE_ABOVE_VECTORS = 8;

const BUCKETS = [0, 0.01, 0.03, 0.1, 0.25, 0.5, 0.75];

/** Heat class of a rate: h0 is exactly 0, h7 above 75 %. */
function heatClass(proportion: Proportion): string {
  if (proportion.n === 0) return 'hx';
  const index = BUCKETS.findIndex((ceiling) => proportion.estimate <= ceiling);
  return `h${index === -1 ? BUCKETS.length : index}`;
}

/** What a cell left out, for its tooltip. */
function leftOut(cell: CellScore | undefined): string {
  if (cell === undefined) return '';
  const parts = [
    cell.errors ? `${cell.errors} errored` : '',
    cell.undetermined.successes ? `${cell.undetermined.successes} undetermined` : '',
    cell.empty.successes ? `${cell.empty.successes} empty` : '',
  ].filter(Boolean);
  return parts.length ? `; left out: ${parts.join(', ')}` : '';
}

function heatCell(hazardIndex: number, description: string, proportion: Proportion | undefined, extra = ''): string {
  if (proportion === undefined || proportion.n === 0) {
    const label = `${description}: no determined attempts${extra}`;
    return `<td class="cell hx" title="${escapeHtml(label)}" aria-label="${escapeHtml(label)}">–</td>`;
  }
  const label = `${description}: ASR ${formatProportion(proportion)}${extra}`;
  const target = hazardIndex < 0 ? '' : ` href="#hazard-${hazardIndex}"`;
  return `<td class="cell ${heatClass(proportion)}" title="${escapeHtml(label)}"><a${target} aria-label="${escapeHtml(label)}">${formatPercent(proportion.estimate)}<span class="n">n=${proportion.n}</span></a></td>`;
}

const hazardHeader = (hazard: HazardScore): string =>
  hazard.name === hazard.id ? `<code>${escapeHtml(hazard.id)}</code>` : `${escapeHtml(hazard.name)} <code class="muted">${escapeHtml(hazard.id)}</code>`;

/** ASR of one vector over every hazard (summed counts). */
function vectorTotal(scorecard: Scorecard, vector: string): Proportion {
  let successes = 0;
  let n = 0;
  for (const hazard of scorecard.hazards) {
    const cell = hazard.cells.find((candidate) => candidate.vector === vector);
    successes += cell?.asr.successes ?? 0;
    n += cell?.asr.n ?? 0;
  }
  return wilsonInterval(successes, n);
}

function hazardRows(scorecard: Scorecard): string {
  const head = scorecard.vectors.map((vector) => `<th scope="col">${escapeHtml(vector)}</th>`).join('');
  const rows = scorecard.hazards.map((hazard, index) => {
    const cells = scorecard.vectors.map((vector) => {
      const cell = hazard.cells.find((candidate) => candidate.vector === vector);
      return heatCell(index, `${hazard.name} × ${vector}`, cell?.asr, leftOut(cell));
    });
    return `<tr><th scope="row">${hazardHeader(hazard)}</th>${cells.join('')}${heatCell(index, `${hazard.name} × all vectors`, hazard.asr)}${heatCell(index, `${hazard.name} × broken by ≥1 vector`, hazard.worstCase)}</tr>`;
  });
  return [
    `<thead><tr><th scope="col">Hazard</th>${head}<th scope="col">All vectors</th><th scope="col" title="Share of harmful behaviors broken by at least one vector or sample">Broken by ≥1 vector</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
  ].join('\n');
}

function vectorRows(scorecard: Scorecard): string {
  const head = scorecard.hazards
    .map((hazard) => `<th scope="col" title="${escapeHtml(hazard.name)}"><abbr title="${escapeHtml(hazard.name)}">${escapeHtml(hazard.id)}</abbr></th>`)
    .join('');
  const rows = scorecard.vectors.map((vector) => {
    const cells = scorecard.hazards.map((hazard, index) => {
      const cell = hazard.cells.find((candidate) => candidate.vector === vector);
      return heatCell(index, `${hazard.name} × ${vector}`, cell?.asr, leftOut(cell));
    });
    return `<tr><th scope="row"><code>${escapeHtml(vector)}</code></th>${cells.join('')}${heatCell(-1, `${vector} × all hazards`, vectorTotal(scorecard, vector))}</tr>`;
  });
  const all = scorecard.hazards.map((hazard, index) => heatCell(index, `${hazard.name} × all vectors`, hazard.asr)).join('');
  const broken = scorecard.hazards.map((hazard, index) => heatCell(index, `${hazard.name} × broken by ≥1 vector`, hazard.worstCase)).join('');
  return [
    `<thead><tr><th scope="col">Vector</th>${head}<th scope="col">All hazards</th></tr></thead>`,
    `<tbody>${rows.join('')}`,
    `<tr class="aggregate"><th scope="row">All vectors</th>${all}${heatCell(-1, 'all hazards × all vectors', scorecard.totals.asr)}</tr>`,
    `<tr class="aggregate"><th scope="row" title="Share of harmful behaviors broken by at least one vector or sample">Broken by ≥1 vector</th>${broken}<td></td></tr></tbody>`,
  ].join('\n');
}

/**
 * The ASR heatmap of hazards × attack vectors, in a box that scrolls by itself (the page never widens). With more
 * than TRANSPOSE_ABOVE_VECTORS vectors it is transposed (vectors as rows, hazard ids as columns with the full
 * name on hover), which keeps 30 vectors readable on one screen width.
 *
 * @example
 * heatmap(scorecard) // '<div class="heat-box" id="heatmap-box"><table class="heat" id="heatmap">…'
 */
export function heatmap(scorecard: Scorecard): string {
  const transposed = scorecard.vectors.length > TRANSPOSE_ABOVE_VECTORS;
  const caption = transposed
    ? 'Attack success rate by attack vector (rows) and hazard (columns; hover for the full name); each cell shows the estimate and the number of determined attempts. Click a cell for the hazard.'
    : 'Attack success rate by hazard (rows) and attack vector (columns); each cell shows the estimate and the number of determined attempts. Click a cell for details.';
  const legend = ['h0 0%', 'h1 ≤1%', 'h2 ≤3%', 'h3 ≤10%', 'h4 ≤25%', 'h5 ≤50%', 'h6 ≤75%', 'h7 >75%', 'hx no data']
    .map((entry) => `<span class="${entry.slice(0, 2)}">${escapeHtml(entry.slice(3))}</span>`)
    .join('');
  return [
    `<p class="muted small">${escapeHtml(caption)}</p>`,
    `<div class="heat-box" id="heatmap-box"><table class="heat${transposed ? ' transposed' : ''}" id="heatmap">`,
    transposed ? vectorRows(scorecard) : hazardRows(scorecard),
    '</table></div>',
    `<p class="legend small">${legend}</p>`,
  ].join('\n');
}

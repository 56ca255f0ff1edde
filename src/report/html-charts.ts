import type { Proportion } from '../spec/calibration.js';
import { escapeHtml } from './escape-html.js';
import { formatPercent, formatProportion } from './format.js';

const round = (value: number): string => value.toFixed(1);

/**
 * A horizontal 0–100 % track with the 95 % interval as a band and the estimate as a dot (inline SVG).
 *
 * @example
 * intervalBar(wilsonInterval(3, 40), { color: '#cf222e', label: 'ASR' })
 */
export function intervalBar(proportion: Proportion, options: { color: string; label: string; width?: number }): string {
  const width = options.width ?? 180;
  const height = 16;
  const x = (value: number): number => 4 + value * (width - 8);
  const title = `${options.label}: ${formatProportion(proportion)}`;
  if (proportion.n === 0) {
    return `<svg class="bar" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title><rect x="4" y="7" width="${width - 8}" height="2" fill="#d1d9e0"/></svg>`;
  }
  return [
    `<svg class="bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect x="4" y="7" width="${width - 8}" height="2" fill="#d1d9e0"/>`,
    `<rect x="${round(x(proportion.lower))}" y="3" width="${round(Math.max(1.5, x(proportion.upper) - x(proportion.lower)))}" height="10" rx="3" fill="${options.color}" fill-opacity="0.28"/>`,
    `<circle cx="${round(x(proportion.estimate))}" cy="8" r="4" fill="${options.color}"/>`,
    '</svg>',
  ].join('');
}

/** One point of a scatter chart: estimates with optional intervals, both in [0, 1]. */
export interface ScatterPoint {
  /** Short label drawn beside the point. */
  label: string;
  /** Full name shown on hover (default: the label). */
  title?: string;
  x: number;
  y: number;
  xInterval?: [number, number];
  yInterval?: [number, number];
  color?: string;
}

/**
 * A scatter chart of rates in [0, 1] with interval whiskers and labelled points (inline SVG, no script).
 *
 * @example
 * scatterChart(points, { xLabel: 'Over-refusal', yLabel: 'Attack success rate', title: 'Harm vs over-refusal' })
 */
export function scatterChart(points: ScatterPoint[], axes: { xLabel: string; yLabel: string; title: string; xMax?: number; yMax?: number }): string {
  const width = 560;
  const height = 380;
  const margin = { left: 58, right: 20, top: 16, bottom: 46 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const xMax = axes.xMax ?? 1;
  const yMax = axes.yMax ?? 1;
  const sx = (value: number): number => margin.left + (Math.min(value, xMax) / xMax) * plotWidth;
  const sy = (value: number): number => margin.top + plotHeight - (Math.min(value, yMax) / yMax) * plotHeight;
  const parts: string[] = [
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(axes.title)}">`,
    `<title>${escapeHtml(axes.title)}</title>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const xValue = (xMax * tick) / 4;
    const yValue = (yMax * tick) / 4;
    parts.push(
      `<line x1="${round(sx(xValue))}" y1="${margin.top}" x2="${round(sx(xValue))}" y2="${margin.top + plotHeight}" stroke="#eaeef2"/>`,
      `<line x1="${margin.left}" y1="${round(sy(yValue))}" x2="${margin.left + plotWidth}" y2="${round(sy(yValue))}" stroke="#eaeef2"/>`,
      `<text x="${round(sx(xValue))}" y="${margin.top + plotHeight + 16}" font-size="11" text-anchor="middle" fill="#59636e">${formatPercent(xValue)}</text>`,
      `<text x="${margin.left - 6}" y="${round(sy(yValue) + 4)}" font-size="11" text-anchor="end" fill="#59636e">${formatPercent(yValue)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#d1d9e0"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" font-size="12" text-anchor="middle" fill="#1f2328">${escapeHtml(axes.xLabel)}</text>`,
    `<text transform="translate(14 ${margin.top + plotHeight / 2}) rotate(-90)" font-size="12" text-anchor="middle" fill="#1f2328">${escapeHtml(axes.yLabel)}</text>`,
  );
  const centres = points.map((point) => ({ x: sx(point.x), y: sy(point.y) }));
  const placed = placeLabels(
    points.map((point, index) => ({ ...centres[index], text: point.label })),
    { left: margin.left + 2, top: margin.top + 2, right: margin.left + plotWidth - 2, bottom: margin.top + plotHeight - 2 },
  );
  const unlabelled = points.filter((_, index) => placed[index] === null).map((point) => point.label);
  for (const [index, point] of points.entries()) {
    const color = point.color ?? '#0969da';
    const { x: cx, y: cy } = centres[index];
    if (point.xInterval) {
      parts.push(`<line x1="${round(sx(point.xInterval[0]))}" y1="${round(cy)}" x2="${round(sx(point.xInterval[1]))}" y2="${round(cy)}" stroke="${color}" stroke-opacity="0.45" stroke-width="2"/>`);
    }
    if (point.yInterval) {
      parts.push(`<line x1="${round(cx)}" y1="${round(sy(point.yInterval[0]))}" x2="${round(cx)}" y2="${round(sy(point.yInterval[1]))}" stroke="${color}" stroke-opacity="0.45" stroke-width="2"/>`);
    }
    const hover = `${point.title ?? point.label}: ${axes.xLabel} ${formatPercent(point.x)}, ${axes.yLabel} ${formatPercent(point.y)}`;
    parts.push(`<circle cx="${round(cx)}" cy="${round(cy)}" r="5" fill="${color}"><title>${escapeHtml(hover)}</title></circle>`);
  }
  // Labels after every point, so no point is drawn over a label.
  for (const [index, point] of points.entries()) {
    const label = placed[index];
    if (label === null) continue;
    const { x: cx, y: cy } = centres[index];
    if (label.leader) {
      parts.push(`<line class="leader" x1="${round(cx)}" y1="${round(cy)}" x2="${round(label.anchorX)}" y2="${round(label.anchorY)}" stroke="#57606a" stroke-width="1" stroke-opacity="0.7"/>`);
    }
    parts.push(
      `<text class="point-label" x="${round(label.x)}" y="${round(label.y)}" font-size="${LABEL_FONT_SIZE}" text-anchor="${label.anchor}" fill="#1f2328"><title>${escapeHtml(point.title ?? point.label)}</title>${escapeHtml(point.label)}</text>`,
    );
  }
  parts.push('</svg>');
  const note = unlabelled.length
    ? `<p class="small muted">Too crowded to label: ${escapeHtml(unlabelled.join(', '))} (hover a point for its name).</p>`
    : '';
  return parts.join('') + note;
}

const LABEL_FONT_SIZE = 12;
/** Width of a label's text, estimated generously (0.64 em per character) so that labels drawn never overlap. */
const labelWidth = (text: string): number => text.length * LABEL_FONT_SIZE * 0.64 + 2;

/** A placed label: where its text goes, and whether a leader line joins it to its point. */
export interface PlacedLabel {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  leader: boolean;
  /** Where a leader line meets the label. */
  anchorX: number;
  anchorY: number;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Place point labels so that none overlaps another label or a point, and all stay inside `bounds`: each label
 * tries positions around its point, nearest first (right, left, above, below, then diagonals, at growing
 * distances, with a leader line beyond the first ring). A label with no free position is left out (null); the
 * chart lists it, and its point keeps the name on hover.
 *
 * @example
 * placeLabels([{ x: 100, y: 100, text: 'vcr' }, { x: 102, y: 101, text: 'hte' }], { left: 0, top: 0, right: 560, bottom: 380 })
 */
export function placeLabels(points: Array<{ x: number; y: number; text: string }>, bounds: Box): Array<PlacedLabel | null> {
  const height = LABEL_FONT_SIZE + 2;
  const pointRadius = 6;
  const taken: Box[] = points.map((point) => ({ left: point.x - pointRadius, top: point.y - pointRadius, right: point.x + pointRadius, bottom: point.y + pointRadius }));
  const directions: Array<[dx: number, dy: number]> = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  return points.map((point) => {
    const width = labelWidth(point.text);
    for (const distance of [9, 18, 30, 44, 60, 80, 100]) {
      for (const [dx, dy] of directions) {
        // The label box sits beside the point in the chosen direction; its text baseline is 3 px above the box bottom.
        const left = dx > 0 ? point.x + distance : dx < 0 ? point.x - distance - width : point.x - width / 2;
        const top = dy > 0 ? point.y + distance - 2 : dy < 0 ? point.y - distance - height + 2 : point.y - height / 2;
        const box = { left, top, right: left + width, bottom: top + height };
        if (box.left < bounds.left || box.right > bounds.right || box.top < bounds.top || box.bottom > bounds.bottom) continue;
        if (taken.some((other) => overlaps(box, other))) continue;
        taken.push(box);
        const anchorX = dx > 0 ? box.left : dx < 0 ? box.right : (box.left + box.right) / 2;
        const anchorY = dy > 0 ? box.top : dy < 0 ? box.bottom : (box.top + box.bottom) / 2;
        return { x: box.left + 1, y: box.bottom - 3, anchor: 'start', leader: distance > 9, anchorX, anchorY };
      }
    }
    return null;
  });
}

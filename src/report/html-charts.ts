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
  label: string;
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
  for (const point of points) {
    const color = point.color ?? '#0969da';
    const cx = sx(point.x);
    const cy = sy(point.y);
    if (point.xInterval) {
      parts.push(`<line x1="${round(sx(point.xInterval[0]))}" y1="${round(cy)}" x2="${round(sx(point.xInterval[1]))}" y2="${round(cy)}" stroke="${color}" stroke-opacity="0.45" stroke-width="2"/>`);
    }
    if (point.yInterval) {
      parts.push(`<line x1="${round(cx)}" y1="${round(sy(point.yInterval[0]))}" x2="${round(cx)}" y2="${round(sy(point.yInterval[1]))}" stroke="${color}" stroke-opacity="0.45" stroke-width="2"/>`);
    }
    parts.push(
      `<circle cx="${round(cx)}" cy="${round(cy)}" r="5" fill="${color}"><title>${escapeHtml(`${point.label}: ${axes.xLabel} ${formatPercent(point.x)}, ${axes.yLabel} ${formatPercent(point.y)}`)}</title></circle>`,
      `<text x="${round(cx + 8)}" y="${round(cy - 6)}" font-size="12" fill="#1f2328">${escapeHtml(point.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

import type { Proportion } from '../spec/calibration.js';
import type { CorrectedRate } from '../stats/rogan-gladen.js';

/**
 * A rate as a percentage with one decimal (two below 1 %).
 *
 * @example
 * formatPercent(0.175) // '17.5%'
 */
export function formatPercent(value: number): string {
  const percent = value * 100;
  return `${percent !== 0 && Math.abs(percent) < 1 ? percent.toFixed(2) : percent.toFixed(1)}%`;
}

/**
 * A proportion as `17.5% [9.0–31.9] (7/40)`; `n/a (0)` when nothing was counted.
 *
 * @example
 * formatProportion(wilsonInterval(7, 40))
 */
export function formatProportion(proportion: Proportion): string {
  if (proportion.n === 0) return 'n/a (n=0)';
  return `${formatPercent(proportion.estimate)} [${formatPercent(proportion.lower)}–${formatPercent(proportion.upper)}] (${proportion.successes}/${proportion.n})`;
}

/**
 * Milliseconds as a short duration.
 *
 * @example
 * formatDuration(125_000) // '2m 5s'
 */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * A judge-corrected rate as reports show it: the estimate and interval when the correction holds; otherwise the
 * reason there is no measurement (not identifiable, degenerate, or clamped, with the interval when one is left).
 * A clamped figure is never shown as a measurement and no interval is ever zero-width.
 *
 * @example
 * formatCorrected(correctedRate(apparent, se, sp)) // '17.6% [9.8%–27.1%]'
 */
export function formatCorrected(rate: CorrectedRate): string {
  const interval = rate.lower !== null && rate.upper !== null ? `[${formatPercent(rate.lower)}–${formatPercent(rate.upper)}]` : null;
  if (rate.status === 'ok' && rate.estimate !== null) return interval ? `${formatPercent(rate.estimate)} ${interval}` : `${formatPercent(rate.estimate)} (no interval)`;
  if (rate.status === 'clamped') return `${rate.note}${interval ? `; 95% interval ${interval}` : ''}`;
  return rate.note ?? 'no correction';
}

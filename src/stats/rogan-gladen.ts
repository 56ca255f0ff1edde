import type { Proportion } from '../spec/calibration.js';
import { Z_95 } from './wilson-interval.js';
import type { Counts } from './newcombe-difference.js';

/** An apparent rate corrected for a judge's error, with an interval that carries the calibration's uncertainty. */
export interface CorrectedRate {
  /** Rogan–Gladen estimate, clamped to [0, 1]; null when the judge is no better than chance (se + sp ≤ 1). */
  estimate: number | null;
  /** Lower bound of the Lang–Reiczigel adjusted 95 % interval, clamped to [0, 1]; null when degenerate. */
  lower: number | null;
  /** Upper bound, as `lower`. */
  upper: number | null;
  /** The apparent (judge-reported) rate that was corrected. */
  apparent: number;
  /** `ok`; `clamped` when the raw estimate fell outside [0, 1]; `degenerate` when se + sp ≤ 1 (no correction possible). */
  status: 'ok' | 'clamped' | 'degenerate';
  /** Interval method, for reports. */
  method: 'lang-reiczigel-2014';
}

const clamp = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * Rogan–Gladen point estimate (Rogan & Gladen 1978): the true rate behind an apparent rate measured by a judge with
 * sensitivity `se` and specificity `sp` is (apparent + sp − 1) / (se + sp − 1). Returns null when se + sp ≤ 1
 * (a judge no better than a coin flip carries no information, so no correction exists).
 *
 * @example
 * roganGladenEstimate(0.2, 0.9, 0.95) // 0.17647…
 */
export function roganGladenEstimate(apparent: number, sensitivity: number, specificity: number): number | null {
  const youden = sensitivity + specificity - 1;
  if (youden <= 0) return null;
  return (apparent + specificity - 1) / youden;
}

/**
 * Judge-corrected rate with the Lang & Reiczigel (2014, Prev. Vet. Med. 113:13–22) adjusted interval. We chose it
 * over a bootstrap because it is closed-form (deterministic, no seed), it propagates the sampling error of the
 * apparent rate *and* of the calibration's sensitivity and specificity (delta method), and its published coverage
 * is close to nominal even for small calibration sets: it adds z²/2 successes to the apparent rate (Agresti–Coull
 * style), one success and one failure to se and sp, and shifts the centre to offset the ratio's bias.
 *
 * @example
 * correctedRate({ successes: 20, n: 100 }, { successes: 90, n: 100 }, { successes: 95, n: 100 }).estimate // 0.176…
 */
export function correctedRate(
  apparent: Counts,
  sensitivity: Counts | Proportion,
  specificity: Counts | Proportion,
  z: number = Z_95,
): CorrectedRate {
  const apparentRate = apparent.n === 0 ? 0 : apparent.successes / apparent.n;
  const seRate = sensitivity.n === 0 ? 0 : sensitivity.successes / sensitivity.n;
  const spRate = specificity.n === 0 ? 0 : specificity.successes / specificity.n;
  const raw = roganGladenEstimate(apparentRate, seRate, spRate);
  const base = { apparent: apparentRate, method: 'lang-reiczigel-2014' as const };
  if (raw === null || apparent.n === 0) {
    return { ...base, estimate: null, lower: null, upper: null, status: 'degenerate' };
  }
  const zSquared = z * z;
  const nApparent = apparent.n + zSquared;
  const pApparent = (apparent.successes + zSquared / 2) / nApparent;
  const nSe = sensitivity.n + 2;
  const pSe = (sensitivity.successes + 1) / nSe;
  const nSp = specificity.n + 2;
  const pSp = (specificity.successes + 1) / nSp;
  const youden = pSe + pSp - 1;
  if (youden <= 0) return { ...base, estimate: null, lower: null, upper: null, status: 'degenerate' };
  const adjusted = (pApparent + pSp - 1) / youden;
  const standardError =
    Math.sqrt(
      (pApparent * (1 - pApparent)) / nApparent +
        ((pSe * (1 - pSe)) / nSe) * adjusted ** 2 +
        ((pSp * (1 - pSp)) / nSp) * (1 - adjusted) ** 2,
    ) / Math.abs(youden);
  const shift = 2 * zSquared * ((adjusted * pSe * (1 - pSe)) / nSe - ((1 - adjusted) * pSp * (1 - pSp)) / nSp);
  return {
    ...base,
    estimate: clamp(raw),
    lower: clamp(adjusted + shift - z * standardError),
    upper: clamp(adjusted + shift + z * standardError),
    status: raw < 0 || raw > 1 ? 'clamped' : 'ok',
  };
}

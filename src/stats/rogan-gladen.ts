import type { Proportion } from '../spec/calibration.js';
import { Z_95 } from './wilson-interval.js';
import type { Counts } from './newcombe-difference.js';

/**
 * Youden's J (sensitivity + specificity − 1) below which a correction is not identifiable: dividing by a J this
 * small turns a few points of judge error into tens of points of "corrected" rate, so no correction is made.
 */
export const MIN_IDENTIFIABLE_YOUDEN = 0.2;

/** An apparent rate corrected for a judge's error, with an interval that carries the calibration's uncertainty. */
export interface CorrectedRate {
  /**
   * Rogan–Gladen estimate, clamped to [0, 1]; null when not identifiable or degenerate. When `status` is `clamped`
   * it is a bound, not a measurement: reports show the note instead.
   */
  estimate: number | null;
  /** The unclamped Rogan–Gladen estimate (may fall outside [0, 1]); null when not identifiable or degenerate. */
  rawEstimate: number | null;
  /**
   * Lower bound of the Lang–Reiczigel adjusted 95 % interval, clamped to [0, 1]; null when there is no correction or
   * when clamping would leave a zero-width interval (the whole interval fell outside [0, 1]).
   */
  lower: number | null;
  /** Upper bound, as `lower`. */
  upper: number | null;
  /** The apparent (judge-reported) rate that was corrected. */
  apparent: number;
  /** Youden's J of the calibration (point estimates of se + sp − 1). */
  youden: number;
  /**
   * `ok`; `clamped` when the raw estimate fell outside [0, 1] (the calibration does not fit these responses);
   * `not-identifiable` when 0 < J < MIN_IDENTIFIABLE_YOUDEN; `degenerate` when J ≤ 0 or nothing was measured.
   */
  status: 'ok' | 'clamped' | 'not-identifiable' | 'degenerate';
  /** What a reader must know when `status` is not `ok` (shown by every report); null when ok. */
  note: string | null;
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
  const youdenPoint = seRate + spRate - 1;
  const base = { apparent: apparentRate, youden: youdenPoint, method: 'lang-reiczigel-2014' as const };
  const none = { estimate: null, rawEstimate: null, lower: null, upper: null };
  const j = youdenPoint.toFixed(2);
  if (apparent.n === 0) return { ...base, ...none, status: 'degenerate', note: 'nothing measured: no correction' };
  if (raw === null) {
    return { ...base, ...none, status: 'degenerate', note: `judge no better than chance (sensitivity + specificity − 1 = ${j}): no correction` };
  }
  if (youdenPoint < MIN_IDENTIFIABLE_YOUDEN) {
    return {
      ...base,
      ...none,
      status: 'not-identifiable',
      note: `not identifiable: sensitivity + specificity − 1 = ${j} is below ${MIN_IDENTIFIABLE_YOUDEN.toFixed(2)}, so judge error cannot be separated from the rate; no correction`,
    };
  }
  const zSquared = z * z;
  const nApparent = apparent.n + zSquared;
  const pApparent = (apparent.successes + zSquared / 2) / nApparent;
  const nSe = sensitivity.n + 2;
  const pSe = (sensitivity.successes + 1) / nSe;
  const nSp = specificity.n + 2;
  const pSp = (specificity.successes + 1) / nSp;
  const youden = pSe + pSp - 1;
  if (youden <= 0) return { ...base, ...none, status: 'degenerate', note: `judge no better than chance after adjustment: no correction` };
  const adjusted = (pApparent + pSp - 1) / youden;
  const standardError =
    Math.sqrt(
      (pApparent * (1 - pApparent)) / nApparent +
        ((pSe * (1 - pSe)) / nSe) * adjusted ** 2 +
        ((pSp * (1 - pSp)) / nSp) * (1 - adjusted) ** 2,
    ) / Math.abs(youden);
  const shift = 2 * zSquared * ((adjusted * pSe * (1 - pSe)) / nSe - ((1 - adjusted) * pSp * (1 - pSp)) / nSp);
  let lower: number | null = clamp(adjusted + shift - z * standardError);
  let upper: number | null = clamp(adjusted + shift + z * standardError);
  // Never publish a zero-width interval such as [0.0 %–0.0 %]: it would claim a certainty nothing measured.
  if (upper - lower < MIN_INTERVAL_WIDTH) {
    lower = null;
    upper = null;
  }
  if (raw >= 0 && raw <= 1) return { ...base, estimate: raw, rawEstimate: raw, lower, upper, status: 'ok', note: null };
  const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
  const bound = raw < 0 ? 0 : 1;
  const why =
    raw < 0
      ? `the judge-reported rate ${percent(apparentRate)} is below the judge's false-positive rate on the calibration set (1 − specificity = ${percent(1 - spRate)})`
      : `the judge-reported rate ${percent(apparentRate)} is above the judge's sensitivity on the calibration set (${percent(seRate)})`;
  return {
    ...base,
    estimate: bound,
    rawEstimate: raw,
    lower,
    upper,
    status: 'clamped',
    note: `clamped at ${bound === 0 ? '0' : '100'} %, not a measurement: ${why}, so the calibration does not fit these responses`,
  };
}

/** Narrowest interval a corrected rate may show (0.01 percentage points); narrower after clamping means none. */
const MIN_INTERVAL_WIDTH = 1e-4;

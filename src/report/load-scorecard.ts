import type { Attempt } from '../spec/attempt.js';
import type { RunRecord } from '../spec/run-record.js';
import { NotFoundError } from '../spec/errors.js';
import type { CalibrationStore, RunStore } from '../store/store-api.js';
import { isRunDirectory, readRunAttempts, readRunRecord } from './run-directory.js';
import { ScorecardBuilder, type ScorecardInput } from './scorecard-builder.js';
import { referenceFromScorecard, type Scorecard } from './scorecard.js';
import type { Policy } from './policy.js';
import { resolveCalibration } from './resolve-calibration.js';
import { buildBiasSection } from '../bias/bias-section.js';

/** Where runs are read from: a store (may be absent when only directories are used). */
export type ScorecardSource = (RunStore & Partial<CalibrationStore>) | undefined;

/** A run and a way to stream its attempts. */
export interface OpenedRun {
  run: RunRecord;
  attempts: () => AsyncIterable<Attempt> | Iterable<Attempt>;
}

/**
 * Resolve `RUN` as a scan output directory, `latest`, or a run id in the store.
 *
 * @example
 * const { run, attempts } = openRun('latest', store);
 */
export function openRun(reference: string, store: ScorecardSource): OpenedRun {
  if (isRunDirectory(reference)) {
    return { run: readRunRecord(reference), attempts: () => readRunAttempts(reference) };
  }
  if (store === undefined) throw new NotFoundError(`'${reference}' is not a scan output directory (no run.json) and no store is open`);
  const run = reference === 'latest' ? store.latestRun() : store.getRun(reference);
  if (run === undefined) throw new NotFoundError('no runs recorded yet (run `redcard scan` first)');
  return { run, attempts: () => store.iterateAttempts(run.id) };
}

/** Options for loading a scorecard; `reference` here is a run reference (id, `latest`, directory). */
export interface LoadScorecardOptions extends Omit<ScorecardInput, 'run' | 'reference' | 'calibration'> {
  policy: Policy;
  referenceRun?: string;
  /** Name of a saved calibration to correct rates with (else the policy's `calibration:`; else none). */
  calibration?: string;
  /** For the bias section: where relative suite paths are resolved, and BBQ's data folder when not the run's own. */
  bias?: { cwd?: string; bbqData?: string };
}

/**
 * Build the scorecard of a run from a store or a directory, streaming its attempts. Rates are corrected for judge
 * error only with a calibration asked for by name (option or policy), which must be of the run's judge; a
 * reference run is scored with the same statistic, uncorrected.
 *
 * @example
 * const scorecard = await loadScorecard('latest', store, { policy: loadPolicy() });
 */
export async function loadScorecard(reference: string, store: ScorecardSource, options: LoadScorecardOptions): Promise<Scorecard> {
  const { referenceRun, calibration: calibrationName, bias: biasOptions, ...rest } = options;
  let referenceRates;
  if (referenceRun !== undefined) {
    const absolutePolicy: Policy = { ...options.policy, calibration: undefined, grading: { ...options.policy.grading, mode: 'absolute' } };
    const referenceCard = await loadScorecard(referenceRun, store, { ...rest, policy: absolutePolicy });
    referenceRates = referenceFromScorecard(referenceCard, options.policy.grading.statistic);
  }
  const opened = openRun(reference, store);
  const name = calibrationName ?? options.policy.calibration;
  const calibration = name === undefined ? undefined : resolveCalibration(store, name, opened.run.judge);
  const builder = new ScorecardBuilder({ ...rest, run: opened.run, calibration, reference: referenceRates });
  for await (const attempt of opened.attempts()) builder.add(attempt);
  const scorecard = builder.finish();
  const bias = await buildBiasSection({ run: opened.run, attempts: opened.attempts, policy: options.policy.bias, ...biasOptions });
  if (bias !== null) scorecard.bias = bias;
  return scorecard;
}

import type { JudgeCalibration } from '../spec/calibration.js';
import { ConfigError } from '../spec/errors.js';
import type { CalibrationStore } from '../store/store-api.js';
import { MIN_IDENTIFIABLE_YOUDEN } from '../stats/rogan-gladen.js';
import type { ScorecardCalibration } from './scorecard.js';

/**
 * The saved calibration asked for by name (`--calibration NAME`, policy `calibration: NAME`) for a run's judge. A
 * calibration holds only for the judge it measured, so a name saved for another judge is a ConfigError, as is an
 * unknown name (the message lists the saved ones).
 *
 * @example
 * const calibration = resolveCalibration(store, 'harmbench-val', run.judge);
 */
export function resolveCalibration(store: Partial<CalibrationStore> | undefined, name: string, judge: string): JudgeCalibration {
  if (store?.namedCalibration === undefined) {
    throw new ConfigError(`calibration '${name}' is kept in the store; open the one that holds it (--db PATH)`, { field: '--calibration' });
  }
  const found = store.namedCalibration(name, judge);
  if (found !== undefined) return found;
  const saved = store.listCalibrations?.() ?? [];
  const sameName = saved.filter((entry) => entry.name === name);
  if (sameName.length > 0) {
    throw new ConfigError(
      `calibration '${name}' measured judge ${sameName.map((entry) => `'${entry.judge}'`).join(', ')}, but this run was judged by '${judge}': ` +
        'a calibration holds only for the judge it measured',
      { field: '--calibration' },
    );
  }
  const listed = saved.map((entry) => `${entry.name} (${entry.judge}, ${entry.dataset})`).slice(0, 10);
  throw new ConfigError(
    `no saved calibration named '${name}'${listed.length ? `; saved: ${listed.join(', ')}` : '; save one with: redcard judge-eval --labels FILE --format FORMAT --save NAME'}`,
    { field: '--calibration' },
  );
}

/**
 * The calibration as a scorecard shows it: with its Youden's J and whether a correction is identifiable.
 *
 * @example
 * describeCalibration(calibration).identifiable // false when sensitivity + specificity − 1 < 0.2
 */
export function describeCalibration(calibration: JudgeCalibration): ScorecardCalibration {
  const youden = calibration.sensitivity.estimate + calibration.specificity.estimate - 1;
  return {
    name: calibration.name ?? null,
    judge: calibration.judge,
    dataset: calibration.dataset,
    createdAt: calibration.createdAt,
    n: calibration.n,
    sensitivity: calibration.sensitivity,
    specificity: calibration.specificity,
    accuracy: calibration.accuracy,
    kappa: calibration.kappa,
    youden,
    identifiable: youden >= MIN_IDENTIFIABLE_YOUDEN,
  };
}

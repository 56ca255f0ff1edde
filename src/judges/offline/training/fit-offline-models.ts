import { seededRandom } from '../../../targets/sim/seeded-random.js';
import { DENSE_FEATURE_NAMES } from '../dense-features.js';
import type { HashedFeatureSettings } from '../hashed-features.js';
import type { LogisticModelRecord } from '../learned-model.js';
import { fitLogistic, SparseRowsBuilder, type LogisticFit } from '../train-logistic.js';
import { featureDimension, type FeaturisedExample } from './featurise-examples.js';

/** Hyper-parameters of one of the two models. */
export interface ModelTrainingSettings {
  /** L2 penalty on hashed weights. */
  l2: number;
  /** L2 penalty on the dense (rule) features, usually smaller: there are few and they carry meaning. */
  l2Dense: number;
  iterations: number;
  /** Row weight per source (`xstest`, `gpteacher`, …); sources not named weigh 1. */
  sourceWeights: Record<string, number>;
  /** Hashed weights with |w| below this are dropped from the shipped file. */
  pruneBelow: number;
  /** Hashed n-grams found in fewer training rows than this are left out (rare n-grams only memorise). */
  minRows: number;
}

/** Everything that decides what the training script produces. */
export interface OfflineTrainingSettings {
  seed: number;
  features: HashedFeatureSettings;
  refusal: ModelTrainingSettings;
  harm: ModelTrainingSettings;
  /** Train each model only on the responses the explicit rules leave to it (what it sees at run time). */
  residualOnly: boolean;
  /** GPTeacher answers used (a seeded sample of them): enough compliance examples without drowning XSTest. */
  gpteacherSample: number;
  /** Folds of the inner cross-validation whose out-of-fold scores choose the undetermined band. */
  bandFolds: number;
  /**
   * The undetermined band: where the out-of-fold probabilities of the human-labelled training rows, recalibrated
   * (Platt scaling), give the verdict less than this chance of being right.
   */
  bandConfidence: number;
}

/** What a model learns from a row: its label, or undefined when the row does not train this model. */
export type LabelOf = (row: FeaturisedExample) => boolean | undefined;

/** Refusal model label: XSTest's full or partial refusal (partial counts as refusal, as in XSTest's binary scoring). */
export const refusalLabel: LabelOf = (row) => (row.example.refusal === undefined ? undefined : row.example.refusal !== 'compliance');
/** Harm model label: harmful behaviors only. */
export const harmLabel: LabelOf = (row) => (row.example.attempt.behavior.benign ? undefined : row.example.harmful);

/** Rows a model trains on: labelled, and (with `residualOnly`) not decided by a rule. */
export function trainingRows(rows: FeaturisedExample[], labelOf: LabelOf, residualOnly: boolean): FeaturisedExample[] {
  return rows.filter((row) => labelOf(row) !== undefined && !(residualOnly && row.ruleDecision !== undefined));
}

/**
 * Fit one logistic model on rows.
 *
 * @example
 * const fit = fitOfflineModel(rows, refusalLabel, settings.refusal, settings.features.bits);
 */
export function fitOfflineModel(rows: FeaturisedExample[], labelOf: LabelOf, settings: ModelTrainingSettings, bits: number): LogisticFit {
  const dimension = featureDimension(bits);
  // Fit in a compact space of the columns that occur in at least `minRows` rows (dense features always), then spread
  // the weights back: most hashed buckets never occur, and n-grams seen once only memorise their row.
  const denseStart = 2 ** bits;
  const rowCount = new Int32Array(dimension);
  const lastRow = new Int32Array(dimension).fill(-1);
  rows.forEach((row, rowIndex) => {
    if (labelOf(row) === undefined) return;
    for (const column of row.columns) {
      if (lastRow[column] === rowIndex) continue;
      lastRow[column] = rowIndex;
      rowCount[column] += 1;
    }
  });
  const compactOf = new Int32Array(dimension).fill(-1);
  const used: number[] = [];
  for (let column = 0; column < dimension; column += 1) {
    if (rowCount[column] >= (column >= denseStart ? 1 : settings.minRows)) {
      compactOf[column] = used.length;
      used.push(column);
    }
  }
  const builder = new SparseRowsBuilder(used.length);
  const columns = new Int32Array(4096);
  for (const row of rows) {
    const label = labelOf(row);
    if (label === undefined) continue;
    const mapped = row.columns.length <= columns.length ? columns : new Int32Array(row.columns.length);
    for (let index = 0; index < row.columns.length; index += 1) mapped[index] = compactOf[row.columns[index]];
    builder.add(mapped, row.values, row.columns.length, label ? 1 : 0, settings.sourceWeights[row.example.source] ?? 1);
  }
  const penaltyFactor = new Float64Array(used.length);
  used.forEach((column, index) => {
    penaltyFactor[index] = column >= denseStart ? settings.l2Dense / settings.l2 : 1;
  });
  const compact = fitLogistic(builder.build(), { l2: settings.l2, penaltyFactor, iterations: settings.iterations, tolerance: 1e-6 });
  const weights = new Float64Array(dimension);
  used.forEach((column, index) => {
    weights[column] = compact.weights[index];
  });
  return { ...compact, weights };
}

/** Probability of one featurised row under a fit. */
export function fitProbability(fit: LogisticFit, row: FeaturisedExample): number {
  let sum = fit.bias;
  for (let index = 0; index < row.columns.length; index += 1) sum += fit.weights[row.columns[index]] * row.values[index];
  return 1 / (1 + Math.exp(-sum));
}

/** Split groups into `folds` folds, shuffled by the seed: rows of one group always share a fold. */
export function groupFolds(rows: FeaturisedExample[], folds: number, seed: number): number[] {
  const groups = [...new Set(rows.map((row) => row.example.group))].sort();
  const random = seededRandom(seed);
  for (let index = groups.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [groups[index], groups[other]] = [groups[other], groups[index]];
  }
  const foldOf = new Map(groups.map((group, index) => [group, index % folds]));
  return rows.map((row) => foldOf.get(row.example.group) as number);
}

/**
 * Platt scaling (Platt 1999): the `a`, `b` of P(positive) = logistic(a·z + b) that fit out-of-fold logits `z` to
 * their labels, by Newton's method on the log-loss (a small ridge keeps it finite when the classes separate).
 *
 * @example
 * plattScaling([-2, -1, 1, 2], [false, false, true, true]).a > 0 // true
 */
export function plattScaling(logits: number[], labels: boolean[]): { a: number; b: number } {
  const ridge = 1e-3;
  const loss = (a: number, b: number): number => {
    let sum = 0.5 * ridge * (a - 1) * (a - 1);
    logits.forEach((z, index) => {
      const margin = (labels[index] ? 1 : -1) * (a * z + b);
      sum += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
    });
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let gradientA = ridge * (a - 1);
    let gradientB = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 1e-9;
    logits.forEach((z, index) => {
      const p = 1 / (1 + Math.exp(-(a * z + b)));
      const residual = p - (labels[index] ? 1 : 0);
      const curvature = p * (1 - p);
      gradientA += residual * z;
      gradientB += residual;
      haa += curvature * z * z;
      hab += curvature * z;
      hbb += curvature;
    });
    const determinant = haa * hbb - hab * hab;
    if (!(Math.abs(determinant) > 1e-12)) break;
    const stepA = (hbb * gradientA - hab * gradientB) / determinant;
    const stepB = (haa * gradientB - hab * gradientA) / determinant;
    // Damped Newton: halve the step until the loss goes down.
    let scale = 1;
    let next = loss(a - stepA, b - stepB);
    while (next > current && scale > 1e-6) {
      scale /= 2;
      next = loss(a - scale * stepA, b - scale * stepB);
    }
    if (next > current) break;
    a -= scale * stepA;
    b -= scale * stepB;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-10) break;
  }
  return { a, b };
}

const logit = (probability: number): number => Math.log(probability / (1 - probability));

/**
 * The undetermined band from out-of-fold probabilities: recalibrate them (Platt scaling), then take the interval of
 * raw probabilities around the threshold where the recalibrated chance that the verdict is right is below
 * `confidence`. Returned in raw probabilities, rounded to 0.001.
 *
 * @example
 * chooseBand(outOfFold, labels, 0.5, 0.8) // e.g. { lower: 0.31, upper: 0.66 }
 */
export function chooseBand(probabilities: number[], labels: boolean[], threshold: number, confidence: number): { lower: number; upper: number } {
  const clamp = (value: number): number => Math.min(1 - 1e-6, Math.max(1e-6, value));
  const { a, b } = plattScaling(probabilities.map((probability) => logit(clamp(probability))), labels);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  const cut = logit(threshold);
  if (!(a > 0)) return { lower: 0, upper: 1 };
  // Deciding positive (z ≥ cut) is right with chance logistic(a·z + b); negative, with 1 − that.
  const upper = Math.max(cut, (logit(confidence) - b) / a);
  const lower = Math.min(cut, (logit(1 - confidence) - b) / a);
  const probability = (z: number): number => 1 / (1 + Math.exp(-z));
  return { lower: round(probability(lower)), upper: round(probability(upper)) };
}

/** Out-of-fold probabilities of the rows a model trains on, by grouped inner cross-validation. */
export function outOfFoldProbabilities(rows: FeaturisedExample[], labelOf: LabelOf, settings: ModelTrainingSettings, bits: number, folds: number, seed: number): number[] {
  const foldOf = groupFolds(rows, folds, seed);
  const probabilities = new Array<number>(rows.length).fill(0.5);
  for (let fold = 0; fold < folds; fold += 1) {
    const fit = fitOfflineModel(rows.filter((_, index) => foldOf[index] !== fold), labelOf, settings, bits);
    rows.forEach((row, index) => {
      if (foldOf[index] === fold) probabilities[index] = fitProbability(fit, row);
    });
  }
  return probabilities;
}

/**
 * A fit as it is shipped: dense weights by name, hashed weights pruned, delta-encoded and quantised.
 *
 * @example
 * const record = modelRecord(fit, bits, 'refusal or partial refusal', 0.5, band, 0.01);
 */
export function modelRecord(fit: LogisticFit, bits: number, positive: string, threshold: number, band: { lower: number; upper: number }, pruneBelow: number): LogisticModelRecord {
  const buckets = 2 ** bits;
  const scale = 10000;
  const indexDeltas: number[] = [];
  const weights: number[] = [];
  let previous = 0;
  for (let index = 0; index < buckets; index += 1) {
    const weight = fit.weights[index];
    if (Math.abs(weight) < pruneBelow) continue;
    const quantised = Math.round(weight * scale);
    if (quantised === 0) continue;
    indexDeltas.push(index - previous);
    weights.push(quantised);
    previous = index;
  }
  const dense: Record<string, number> = {};
  DENSE_FEATURE_NAMES.forEach((name, index) => {
    dense[name] = Math.round(fit.weights[buckets + index] * 1e4) / 1e4;
  });
  return { positive, bias: Math.round(fit.bias * 1e4) / 1e4, dense, hashed: { scale, indexDeltas, weights }, threshold, band };
}

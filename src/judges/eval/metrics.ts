import type { Proportion } from '../../spec/calibration.js';

/** Counts of a binary judge against binary truth; "positive" is the file's task (harmful, or refusal). */
export interface ConfusionMatrix {
  /** Judge positive, truth positive. */
  truePositive: number;
  /** Judge positive, truth negative. */
  falsePositive: number;
  /** Judge negative, truth negative. */
  trueNegative: number;
  /** Judge negative, truth positive. */
  falseNegative: number;
}

/** Agreement statistics derived from a confusion matrix. */
export interface AgreementMetrics {
  n: number;
  accuracy: number;
  kappa: number;
  precision: number;
  recall: number;
  f1: number;
  /** Recall as a proportion with its Wilson interval: P(judge positive | truth positive). */
  sensitivity: Proportion;
  /** P(judge negative | truth negative), with its Wilson interval. */
  specificity: Proportion;
}

/** An empty matrix to count into. */
export function emptyConfusion(): ConfusionMatrix {
  return { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
}

/**
 * Add one (prediction, truth) pair to a matrix in place.
 *
 * @example
 * const matrix = emptyConfusion(); countPair(matrix, true, false); // matrix.falsePositive === 1
 */
export function countPair(matrix: ConfusionMatrix, predicted: boolean, truth: boolean): void {
  if (predicted && truth) matrix.truePositive += 1;
  else if (predicted) matrix.falsePositive += 1;
  else if (truth) matrix.falseNegative += 1;
  else matrix.trueNegative += 1;
}

/**
 * Proportion with the Wilson score interval (z = 1.96 for 95 %).
 *
 * @example
 * wilsonProportion(8, 10) // { successes: 8, n: 10, estimate: 0.8, lower: ≈0.490, upper: ≈0.943 }
 */
export function wilsonProportion(successes: number, n: number, z = 1.959964): Proportion {
  if (n === 0) return { successes, n, estimate: 0, lower: 0, upper: 1 };
  const estimate = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (estimate + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((estimate * (1 - estimate)) / n + (z * z) / (4 * n * n))) / denominator;
  return { successes, n, estimate, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

/**
 * Accuracy, Cohen's κ, precision/recall/F1 of the positive class, sensitivity and specificity.
 * κ = (observed − expected) / (1 − expected), expected agreement from the marginals; κ is 0 when expected is 1.
 *
 * @example
 * agreementMetrics({ truePositive: 40, falsePositive: 10, trueNegative: 35, falseNegative: 15 }).kappa // 0.5
 */
export function agreementMetrics(matrix: ConfusionMatrix): AgreementMetrics {
  const { truePositive, falsePositive, trueNegative, falseNegative } = matrix;
  const n = truePositive + falsePositive + trueNegative + falseNegative;
  const accuracy = ratio(truePositive + trueNegative, n);
  const predictedPositive = ratio(truePositive + falsePositive, n);
  const actualPositive = ratio(truePositive + falseNegative, n);
  const expected = predictedPositive * actualPositive + (1 - predictedPositive) * (1 - actualPositive);
  const kappa = expected === 1 ? 0 : (accuracy - expected) / (1 - expected);
  const precision = ratio(truePositive, truePositive + falsePositive);
  const recall = ratio(truePositive, truePositive + falseNegative);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return {
    n,
    accuracy,
    kappa,
    precision,
    recall,
    f1,
    sensitivity: wilsonProportion(truePositive, truePositive + falseNegative),
    specificity: wilsonProportion(trueNegative, trueNegative + falsePositive),
  };
}

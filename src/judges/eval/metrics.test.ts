import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementMetrics, countPair, emptyConfusion, wilsonProportion } from './metrics.js';

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test('kappa, precision, recall and F1 on a hand-computed matrix', () => {
  // n = 100; observed agreement 0.75; judge says positive 50 %, truth positive 55 %:
  // expected agreement 0.5 × 0.55 + 0.5 × 0.45 = 0.5, so kappa = (0.75 − 0.5) / 0.5 = 0.5.
  const metrics = agreementMetrics({ truePositive: 40, falsePositive: 10, trueNegative: 35, falseNegative: 15 });
  assert.equal(metrics.n, 100);
  close(metrics.accuracy, 0.75);
  close(metrics.kappa, 0.5);
  close(metrics.precision, 0.8);
  close(metrics.recall, 40 / 55);
  close(metrics.f1, (2 * 0.8 * (40 / 55)) / (0.8 + 40 / 55));
  assert.equal(metrics.sensitivity.successes, 40);
  assert.equal(metrics.sensitivity.n, 55);
  assert.equal(metrics.specificity.successes, 35);
  assert.equal(metrics.specificity.n, 45);
});

test('a second matrix: kappa below chance is negative', () => {
  // Observed 0.3; both sides say positive half the time: expected 0.5; kappa = (0.3 − 0.5) / 0.5 = −0.4.
  const metrics = agreementMetrics({ truePositive: 3, falsePositive: 7, trueNegative: 3, falseNegative: 7 });
  close(metrics.kappa, -0.4);
  close(metrics.f1, 0.3);
});

test('degenerate matrices do not divide by zero', () => {
  const empty = agreementMetrics(emptyConfusion());
  assert.equal(empty.n, 0);
  assert.equal(empty.kappa, 0);
  assert.equal(empty.f1, 0);
  const allAgree = agreementMetrics({ truePositive: 5, falsePositive: 0, trueNegative: 0, falseNegative: 0 });
  assert.equal(allAgree.accuracy, 1);
  assert.equal(allAgree.kappa, 0);
});

test('countPair fills the right cell', () => {
  const matrix = emptyConfusion();
  countPair(matrix, true, true);
  countPair(matrix, true, false);
  countPair(matrix, false, true);
  countPair(matrix, false, false);
  countPair(matrix, false, false);
  assert.deepEqual(matrix, { truePositive: 1, falsePositive: 1, trueNegative: 2, falseNegative: 1 });
});

test('Wilson interval matches the closed form', () => {
  const proportion = wilsonProportion(8, 10);
  close(proportion.estimate, 0.8);
  close(proportion.lower, 0.4901624, 1e-6);
  close(proportion.upper, 0.9433178, 1e-6);
  const none = wilsonProportion(0, 0);
  assert.deepEqual([none.lower, none.upper], [0, 1]);
  assert.equal(wilsonProportion(0, 20).lower, 0);
});

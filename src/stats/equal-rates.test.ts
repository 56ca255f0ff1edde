import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareHomogeneity, chiSquareSurvival } from './chi-square.js';
import { equalRatesTest } from './fisher-freeman-halton.js';
import { holmAdjust } from './holm-adjust.js';

const close = (actual: number, expected: number, tolerance = 1e-9): void => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);
const groups = (successes: number[], n: number[]) => successes.map((value, index) => ({ successes: value, n: n[index]! }));

// Reference values computed once with R 4.2.2: chisq.test(correct = FALSE), fisher.test, pchisq, p.adjust("holm").
test('chi-square survival and the homogeneity test match R', () => {
  close(chiSquareSurvival(11.0704976935164, 5), 0.05);
  close(chiSquareSurvival(25.5, 12), 0.0126233703123143);
  close(chiSquareSurvival(3.841458820694124, 1), 0.05);
  close(chiSquareHomogeneity(groups([10, 20], [50, 50])).pValue, 0.0290963317412522);
  close(chiSquareHomogeneity(groups([1, 2, 9, 3], [24, 24, 24, 24])).pValue, 0.00658347083459796);
  assert.equal(chiSquareHomogeneity(groups([0, 0], [10, 10])).pValue, 1);
});

test('the Fisher–Freeman–Halton exact test matches R fisher.test on k × 2 tables', () => {
  const two = equalRatesTest(groups([0, 6], [20, 20]));
  assert.equal(two.method, 'fisher-freeman-halton');
  close(two.pValue, 0.0201960201960202);
  close(equalRatesTest(groups([1, 2, 9, 3], [24, 24, 24, 24])).pValue, 0.0138953479402442);
  close(equalRatesTest(groups([3, 5, 4, 6, 2], [30, 30, 30, 30, 30])).pValue, 0.650218627278306);
  close(equalRatesTest(groups([0, 0, 0, 1, 0, 0, 0], [30, 30, 30, 30, 30, 30, 30])).pValue, 1);
  // Flipping success and failure gives the same test.
  close(equalRatesTest(groups([20, 14], [20, 20])).pValue, 0.0201960201960202);
  // A huge table falls back to the chi-square approximation and says so.
  const large = equalRatesTest(groups([500, 520, 480, 510, 530, 490, 505, 515], new Array(8).fill(1000)));
  assert.equal(large.method, 'chi-square');
  close(large.pValue, chiSquareHomogeneity(groups([500, 520, 480, 510, 530, 490, 505, 515], new Array(8).fill(1000))).pValue);
});

test('Holm adjustment matches R p.adjust', () => {
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.2]).map((value) => Number(value.toFixed(12))), [0.04, 0.09, 0.09, 0.2]);
  assert.deepEqual(holmAdjust([]), []);
  assert.deepEqual(holmAdjust([0.6]), [0.6]);
});

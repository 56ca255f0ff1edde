import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogistic, rowScore, SparseRowsBuilder } from './train-logistic.js';
import { collectHashedFeatures, FeatureBuffer, fnv1a } from './hashed-features.js';

function toyRows(): ReturnType<SparseRowsBuilder['build']> {
  // Column 0 marks positives, column 1 negatives, column 2 is noise present in both.
  const builder = new SparseRowsBuilder(3);
  for (let index = 0; index < 20; index += 1) {
    builder.add([0, 2], [1, 1], 2, 1);
    builder.add([1, 2, 1], [0.5, 1, 0.5], 3, 0);
  }
  return builder.build();
}

test('SparseRowsBuilder merges duplicate columns and sorts them', () => {
  const builder = new SparseRowsBuilder(10);
  builder.add([5, 2, 5, -1], [1, 2, 3, 9], 4, 1, 0.5);
  const rows = builder.build();
  assert.deepEqual([...rows.columns], [2, 5]);
  assert.deepEqual([...rows.values], [2, 4]);
  assert.deepEqual([...rows.weights], [0.5]);
  assert.throws(() => builder.add([10], [1], 1, 0), RangeError);
});

test('fitLogistic separates a separable problem, deterministically, and L2 shrinks the weights', () => {
  const rows = toyRows();
  const fit = fitLogistic(rows, { l2: 1e-3, iterations: 200 });
  assert.ok(rowScore(rows, 0, fit.weights, fit.bias) > 2, 'positive row scores high');
  assert.ok(rowScore(rows, 1, fit.weights, fit.bias) < -2, 'negative row scores low');
  assert.ok(fit.weights[0] > 0 && fit.weights[1] < 0);
  const again = fitLogistic(rows, { l2: 1e-3, iterations: 200 });
  assert.deepEqual([...again.weights], [...fit.weights]);
  const strong = fitLogistic(rows, { l2: 1, iterations: 200 });
  assert.ok(Math.abs(strong.weights[0]) < Math.abs(fit.weights[0]));
  // A larger penalty factor on one column shrinks that column only.
  const penalised = fitLogistic(rows, { l2: 1e-3, iterations: 200, penaltyFactor: Float64Array.from([100, 1, 1]) });
  assert.ok(penalised.weights[0] < fit.weights[0]);
});

test('hashed features: stable buckets within range, 1/sqrt(n) values, namespaces apart', () => {
  const settings = { bits: 12, maxTokens: 400, edgeTokens: 0, charMin: 3, charMax: 4, charCharacters: 0 };
  const first = new FeatureBuffer(4);
  collectHashedFeatures(first, 'i cannot help', ['i', 'cannot', 'help'], settings);
  assert.equal(first.length, 5, '3 unigrams + 2 bigrams');
  const second = new FeatureBuffer();
  collectHashedFeatures(second, 'i cannot help', ['i', 'cannot', 'help'], settings);
  assert.deepEqual([...second.indices.subarray(0, second.length)], [...first.indices.subarray(0, first.length)]);
  for (let index = 0; index < first.length; index += 1) assert.ok(first.indices[index] >= 0 && first.indices[index] < 4096);
  assert.ok(Math.abs(first.values[0] - 1 / Math.sqrt(3)) < 1e-6);
  assert.ok(Math.abs(first.values[3] - 1 / Math.sqrt(2)) < 1e-6);
  const withCharacters = new FeatureBuffer();
  collectHashedFeatures(withCharacters, 'abcde', ['abcde'], { ...settings, charCharacters: 5 });
  assert.equal(withCharacters.length, 1 + 3 + 2, 'one unigram, three 3-grams, two 4-grams');
  assert.notEqual(fnv1a('a'), fnv1a('b'));
});

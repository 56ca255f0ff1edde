import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../targets/sim/seeded-random.js';
import { DENSE_FEATURE_NAMES } from '../dense-features.js';
import { FeatureBuffer } from '../hashed-features.js';
import { compileLearnedModel, LEARNED_MODEL_SCHEMA, LearnedModelFileSchema, scoreLearned } from '../learned-model.js';
import type { LogisticFit } from '../train-logistic.js';
import { chooseBand, groupFolds, modelRecord, plattScaling } from './fit-offline-models.js';
import type { FeaturisedExample } from './featurise-examples.js';

test('Platt scaling recovers the slope and offset of a logistic relation', () => {
  const random = seededRandom(3);
  const logits: number[] = [];
  const labels: boolean[] = [];
  for (let index = 0; index < 4000; index += 1) {
    const z = random() * 8 - 4;
    logits.push(z);
    labels.push(random() < 1 / (1 + Math.exp(-(0.5 * z + 0.3))));
  }
  const { a, b } = plattScaling(logits, labels);
  assert.ok(Math.abs(a - 0.5) < 0.08, `a ${a}`);
  assert.ok(Math.abs(b - 0.3) < 0.12, `b ${b}`);
});

test('chooseBand: wider for an overconfident model, narrower for a calibrated one, always around the threshold', () => {
  const random = seededRandom(5);
  const calibrated: number[] = [];
  const calibratedLabels: boolean[] = [];
  const overconfident: number[] = [];
  const overconfidentLabels: boolean[] = [];
  for (let index = 0; index < 4000; index += 1) {
    const z = random() * 12 - 6;
    const p = 1 / (1 + Math.exp(-z));
    calibrated.push(p);
    calibratedLabels.push(random() < p);
    // Says p, is right only as often as logistic(z / 3).
    overconfident.push(p);
    overconfidentLabels.push(random() < 1 / (1 + Math.exp(-z / 3)));
  }
  const narrow = chooseBand(calibrated, calibratedLabels, 0.5, 0.7);
  const wide = chooseBand(overconfident, overconfidentLabels, 0.5, 0.7);
  assert.ok(narrow.lower <= 0.5 && narrow.upper >= 0.5);
  assert.ok(Math.abs(narrow.lower - 0.3) < 0.05 && Math.abs(narrow.upper - 0.7) < 0.05, JSON.stringify(narrow));
  assert.ok(wide.upper - wide.lower > narrow.upper - narrow.lower + 0.2, JSON.stringify(wide));
});

test('groupFolds keeps every group in one fold and spreads groups over all folds', () => {
  const rows = Array.from({ length: 60 }, (_, index) => ({ example: { group: `g${index % 12}` } }) as unknown as FeaturisedExample);
  const folds = groupFolds(rows, 3, 9);
  const foldOfGroup = new Map<string, number>();
  rows.forEach((row, index) => {
    const seen = foldOfGroup.get(row.example.group);
    if (seen !== undefined) assert.equal(folds[index], seen);
    foldOfGroup.set(row.example.group, folds[index]);
  });
  assert.deepEqual([...new Set(folds)].sort(), [0, 1, 2]);
  assert.deepEqual(groupFolds(rows, 3, 9), folds, 'same seed, same folds');
});

test('a fit survives the trip through the weights file: pruning, delta encoding, quantising, compiling, scoring', () => {
  const bits = 8;
  const dimension = 2 ** bits + DENSE_FEATURE_NAMES.length;
  const weights = new Float64Array(dimension);
  weights[3] = 0.5;
  weights[200] = -1.25;
  weights[201] = 0.0001; // pruned
  weights[2 ** bits] = 2; // first dense feature
  const fit: LogisticFit = { weights, bias: -0.5, loss: 0, iterations: 1 };
  const record = modelRecord(fit, bits, 'positive', 0.5, { lower: 0.4, upper: 0.6 }, 0.001);
  assert.deepEqual(record.hashed.indexDeltas, [3, 197]);
  assert.deepEqual(record.hashed.weights, [5000, -12500]);
  const file = LearnedModelFileSchema.parse({
    schema: LEARNED_MODEL_SCHEMA,
    description: 'test',
    features: { bits, maxTokens: 10, edgeTokens: 0, charMin: 3, charMax: 4, charCharacters: 0 },
    models: { refusal: record, harm: record },
    training: {},
    evaluation: {},
  });
  const learned = compileLearnedModel(file);
  const buffer = new FeatureBuffer();
  buffer.push(3, 2);
  buffer.push(200, 1);
  const dense = new Float64Array(DENSE_FEATURE_NAMES.length);
  dense[0] = 0.5;
  const expected = 1 / (1 + Math.exp(-(-0.5 + 0.5 * 2 - 1.25 + 2 * 0.5)));
  const scores = scoreLearned(learned, buffer, dense);
  assert.ok(Math.abs(scores.refusal - expected) < 1e-6 && Math.abs(scores.harm - expected) < 1e-6);
  assert.throws(() => compileLearnedModel({ ...file, models: { ...file.models, harm: { ...record, dense: { noSuchFeature: 1 } } } }), /does not compute/);
  assert.equal(LearnedModelFileSchema.safeParse({ ...file, schema: 'redcard.offline-learned/0' }).success, false);
  // Hashed weights are checked element by element: a negative gap, a fraction, a string or no array is refused.
  const withHashed = (hashed: Record<string, unknown>) => LearnedModelFileSchema.safeParse({ ...file, models: { ...file.models, harm: { ...record, hashed: { ...record.hashed, ...hashed } } } });
  const issue = (hashed: Record<string, unknown>) => {
    const checked = withHashed(hashed);
    return checked.success ? 'accepted' : `${checked.error.issues[0]!.path.join('.')}: ${checked.error.issues[0]!.message}`;
  };
  assert.equal(issue({ indexDeltas: [3, -1] }), 'models.harm.hashed.indexDeltas: element 1 is -1, expected an integer of at least 0');
  assert.equal(issue({ weights: [5000, 1.5] }), 'models.harm.hashed.weights: element 1 is 1.5, expected an integer');
  assert.equal(issue({ weights: ['5000', 1] }), 'models.harm.hashed.weights: element 0 is "5000", expected an integer');
  assert.equal(issue({ weights: 'none' }), 'models.harm.hashed.weights: expected an array of integers');
  assert.equal(issue({ weights: [-7, 0] }), 'accepted');
});

import { lastUserText } from '../../../spec/message.js';
import { decideByRules, type OfflineDecision } from '../decide-verdict.js';
import { DENSE_FEATURE_NAMES } from '../dense-features.js';
import { analyseResponse } from '../extract-features.js';
import { fillFeatureRow } from '../feature-row.js';
import { FeatureBuffer, type HashedFeatureSettings } from '../hashed-features.js';
import type { OfflineModel } from '../offline-model.js';
import type { TrainingExample } from './training-examples.js';

/** A training example with its feature row (hashed buckets, then dense features at `2^bits + i`) and the rules' say. */
export interface FeaturisedExample {
  example: TrainingExample;
  columns: Int32Array;
  values: Float32Array;
  /** The explicit rules' decision, when a rule decides this response (the learned model never sees it at run time). */
  ruleDecision: OfflineDecision | undefined;
}

/** Columns of a feature space with `bits` hashed buckets and the dense features after them. */
export const featureDimension = (bits: number): number => 2 ** bits + DENSE_FEATURE_NAMES.length;

/**
 * Featurise examples exactly as the judge does at run time (same analysis, same hashing).
 *
 * @example
 * const rows = featuriseExamples(loadOfflineModel(), settings, corpus.xstest);
 */
export function featuriseExamples(model: OfflineModel, settings: HashedFeatureSettings, examples: TrainingExample[]): FeaturisedExample[] {
  const buffer = new FeatureBuffer();
  const dense = new Float64Array(DENSE_FEATURE_NAMES.length);
  const denseOffset = 2 ** settings.bits;
  return examples.map((example) => {
    const request = example.attempt.behavior.text;
    const analysis = analyseResponse(model, request, lastUserText(example.attempt.messages) || request, example.response.text);
    fillFeatureRow(analysis, example.attempt.behavior.benign, settings, buffer, dense);
    let denseCount = 0;
    for (const value of dense) if (value !== 0) denseCount += 1;
    const columns = new Int32Array(buffer.length + denseCount);
    const values = new Float32Array(buffer.length + denseCount);
    columns.set(buffer.indices.subarray(0, buffer.length));
    values.set(buffer.values.subarray(0, buffer.length));
    let at = buffer.length;
    dense.forEach((value, index) => {
      if (value === 0) return;
      columns[at] = denseOffset + index;
      values[at] = value;
      at += 1;
    });
    return { example, columns, values, ruleDecision: decideByRules(analysis.features, model.rules, example.attempt.behavior.benign) };
  });
}

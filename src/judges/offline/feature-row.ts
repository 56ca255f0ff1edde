import { DENSE_FEATURE_NAMES, denseFeatures } from './dense-features.js';
import type { ResponseAnalysis } from './extract-features.js';
import { collectHashedFeatures, type FeatureBuffer, type HashedFeatureSettings } from './hashed-features.js';

/**
 * Fill the buffers the learned model scores from an analysed response: hashed n-grams into `buffer` (cleared
 * first), rule features into `dense` (`DENSE_FEATURE_NAMES.length` slots). The same code runs in the judge and in
 * the training script, so both see identical features.
 *
 * @example
 * fillFeatureRow(analyseResponse(model, request, request, text), false, learned.settings, buffer, dense);
 */
export function fillFeatureRow(analysis: ResponseAnalysis, benign: boolean, settings: HashedFeatureSettings, buffer: FeatureBuffer, dense: Float64Array): void {
  if (dense.length !== DENSE_FEATURE_NAMES.length) throw new RangeError(`dense features need ${DENSE_FEATURE_NAMES.length} slots`);
  buffer.clear();
  collectHashedFeatures(buffer, analysis.text, analysis.tokens, settings);
  denseFeatures(analysis.features, benign, dense);
}

import { defineSuite } from '../../spec/suite.js';
import { dataPath } from '../../util/paths.js';
import { loadBuiltinSuite } from '../builtin-suite.js';
import { selectBehaviors } from '../suite-selector.js';

/**
 * A quick demo subset of `core`: one harmful request per hazard plus its twin, with the same ids as in `core`, so
 * smoke results line up with full runs.
 *
 * @example
 * await smokeSuite.load(undefined, {})
 */
export const smokeSuite = defineSuite({
  id: 'smoke',
  description: 'Quick demo: one harmful request per hazard and its benign twin, taken from core with the same ids.',
  reference: 'https://arxiv.org/abs/2503.05731',
  needsFile: false,
  async load(argument) {
    const behaviors = await loadBuiltinSuite(dataPath('suites', 'smoke.jsonl'));
    return { behaviors: selectBehaviors('smoke', behaviors, argument), skipped: [], unmapped: {} };
  },
});

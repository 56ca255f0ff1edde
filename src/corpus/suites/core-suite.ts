import { defineSuite } from '../../spec/suite.js';
import { dataPath } from '../../util/paths.js';
import { loadBuiltinSuite } from '../builtin-suite.js';
import { selectBehaviors } from '../suite-selector.js';

/**
 * redcard's own corpus: at least 20 harmful requests per AILuminate v1.0 hazard, each with a topic-matched benign
 * twin for measuring over-refusal. Written by the redcard authors; requests only, never answers.
 *
 * @example
 * await coreSuite.load('vcr:benign', {})
 */
export const coreSuite = defineSuite({
  id: 'core',
  description: 'Built-in corpus: 20+ harmful requests per AILuminate hazard, each with a benign twin (core:HAZARD[:harmful|:benign]).',
  reference: 'https://arxiv.org/abs/2503.05731',
  needsFile: false,
  async load(argument) {
    const behaviors = await loadBuiltinSuite(dataPath('suites', 'core.jsonl'));
    return { behaviors: selectBehaviors('core', behaviors, argument), skipped: [], unmapped: {} };
  },
});

import type { SuiteSource } from '../spec/suite.js';
import { Registry } from '../util/registry.js';
import { coreSuite } from './suites/core-suite.js';
import { smokeSuite } from './suites/smoke-suite.js';

/** Every suite source: built-in suites and loaders of public formats. */
export const suiteRegistry = new Registry<SuiteSource>('suite', (source) => source.id)
  .add(coreSuite)
  .add(smokeSuite);

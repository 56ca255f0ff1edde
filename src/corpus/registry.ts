import type { SuiteSource } from '../spec/suite.js';
import { Registry } from '../util/registry.js';

/** Every suite source: built-in suites and loaders of public formats. */
export const suiteRegistry = new Registry<SuiteSource>('suite', (source) => source.id);

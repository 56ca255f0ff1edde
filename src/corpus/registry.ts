import type { SuiteSource } from '../spec/suite.js';
import { Registry } from '../util/registry.js';
import { coreSuite } from './suites/core-suite.js';
import { smokeSuite } from './suites/smoke-suite.js';
import { counterfactualSuite } from './suites/counterfactual-suite.js';
import { communitySuite } from './suites/community-suite.js';
import { harmbenchLoader } from './loaders/harmbench-loader.js';
import { advbenchLoader } from './loaders/advbench-loader.js';
import { jailbreakbenchLoader } from './loaders/jailbreakbench-loader.js';
import { xstestLoader } from './loaders/xstest-loader.js';
import { simplesafetytestsLoader } from './loaders/simplesafetytests-loader.js';
import { strongrejectLoader } from './loaders/strongreject-loader.js';
import { ailuminateLoader } from './loaders/ailuminate-loader.js';
import { donotanswerLoader } from './loaders/donotanswer-loader.js';
import { hhRlhfLoader } from './loaders/hh-rlhf-loader.js';
import { csvLoader, jsonlLoader } from './loaders/generic-loaders.js';
import { bbqLoader } from './loaders/bbq-loader.js';

/** Every suite source: built-in suites and loaders of public formats. */
export const suiteRegistry = new Registry<SuiteSource>('suite', (source) => source.id)
  .add(coreSuite)
  .add(smokeSuite)
  .add(counterfactualSuite)
  .add(communitySuite)
  .add(harmbenchLoader)
  .add(advbenchLoader)
  .add(jailbreakbenchLoader)
  .add(xstestLoader)
  .add(simplesafetytestsLoader)
  .add(strongrejectLoader)
  .add(ailuminateLoader)
  .add(donotanswerLoader)
  .add(hhRlhfLoader)
  .add(bbqLoader)
  .add(csvLoader)
  .add(jsonlLoader);

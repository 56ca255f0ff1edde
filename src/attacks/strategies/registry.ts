import type { Strategy } from '../../spec/strategy.js';
import { Registry } from '../../util/registry.js';
import { bestOfN } from './best-of-n.js';
import { crescendo } from './crescendo.js';
import { goat } from './goat.js';
import { pair } from './pair.js';
import { tap } from './tap.js';

/** Every built-in strategy. Adding one: write a module here with `defineStrategy` and add it below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each strategy has its own parameter type
export const strategyRegistry = new Registry<Strategy<any>>('strategy', (strategy) => strategy.id).add(pair, tap, crescendo, bestOfN, goat);

import type { CacheStore } from '../../store/store-api.js';
import type { GenerateResponse } from '../../spec/target.js';
import type { Verdict } from '../../spec/verdict.js';

/**
 * A CacheStore in memory, for tests of code that caches verdicts.
 *
 * @example
 * const cache = memoryCache(); cache.putCachedVerdict('k', verdict)
 */
export function memoryCache(): CacheStore & { verdicts: Map<string, Verdict> } {
  const responses = new Map<string, GenerateResponse>();
  const verdicts = new Map<string, Verdict>();
  return {
    verdicts,
    getCachedResponse: (key) => responses.get(key),
    putCachedResponse: (key, response) => void responses.set(key, response),
    getCachedVerdict: (key) => verdicts.get(key),
    putCachedVerdict: (key, verdict) => void verdicts.set(key, verdict),
  };
}

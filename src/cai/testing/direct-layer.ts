import type { RoleAccounting } from '../../spec/attempt.js';
import type { ModelRole } from '../../spec/strategy.js';
import type { Target } from '../../spec/target.js';
import type { CaiClient, CaiModelLayer, CaiScope } from '../cai-models.js';

/**
 * A stand-in for the model-call layer in tests of the CAI loop: every call goes straight to its target (no cache,
 * the target's own concurrency limit), accounted per role under its scope.
 *
 * @example
 * const result = await caiRevise(settings, { store, layer: directLayer() });
 */
export function directLayer(): CaiModelLayer {
  return {
    client(target: Target, role: ModelRole): CaiClient {
      return {
        role,
        kind: target.kind,
        label: target.label,
        identity: target.identity,
        get simulated() {
          return target.simulated;
        },
        concurrency: target.concurrency,
        async generate(request, options = {}) {
          const response = await target.generate(request, { signal: options.signal });
          const accounting = options.scope?.accounting as RoleAccounting | undefined;
          if (accounting) {
            const usage = (accounting[role] ??= { requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, wallTimeMs: 0 });
            usage.requests += 1;
            usage.promptTokens += response.usage.promptTokens ?? 0;
            usage.completionTokens += response.usage.completionTokens ?? 0;
            usage.wallTimeMs += response.latencyMs;
          }
          return { ...response, source: 'model' as const };
        },
      };
    },
    scope(key: string): CaiScope {
      return { key, accounting: {} };
    },
    takeCacheWrites: () => [],
  };
}

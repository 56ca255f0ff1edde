import { performance } from 'node:perf_hooks';
import type { RoleAccounting } from '../spec/attempt.js';
import { AbortedError, BudgetExhaustedError, CallDeferredError, TargetError } from '../spec/errors.js';
import type { ModelRole } from '../spec/strategy.js';
import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import { RequestLimiter } from '../targets/request-limiter.js';
import { sha256 } from '../util/hash.js';
import { AttemptScope, RunBudget, type JournalEntry, type JournalSink } from './call-scope.js';
import { addCall } from './role-usage.js';
import type { CallDeferral } from './call-deferral.js';

const NO_USAGE = { promptTokens: null, completionTokens: null };

/** Where an answer came from: sent now, the response cache, the call journal, or an imported Batch answer. */
export type CallSource = 'model' | 'cache' | 'journal' | 'batch';

/** A model's answer through the layer: the response, where it came from, and the call's correlation id. */
export interface ModelCallResponse extends GenerateResponse {
  source: CallSource;
  correlationId: string;
}

/** The response cache the layer reads; writes are handed back (`takeCacheWrites`) to be committed with the attempts. */
export interface ResponseCache {
  getCachedResponse(key: string): GenerateResponse | undefined;
}

/** A model call the layer retried (after the adapter's own wait), for progress counters and events. */
export interface CallRetry {
  role: ModelRole;
  /** Attempt key, when the call was made for an attempt. */
  key?: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** How a layer is set up for one scan session. */
export interface ModelCallLayerOptions {
  /** Response cache; absent or `useCache: false` means every call is sent (unless journaled). */
  cache?: ResponseCache;
  useCache?: boolean;
  /** Run-level budget (queries and tokens actually sent, earlier sessions included). */
  runBudget?: RunBudget;
  onRetry?: (retry: CallRetry) => void;
}

/** A target as seen through the layer: same contract, plus where each answer came from. */
export interface ModelClient extends Target {
  readonly role: ModelRole;
  /** The target it calls. */
  readonly model: Target;
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<ModelCallResponse>;
  /** The same client with every call made for `scope` (for code that does not pass a scope, e.g. vectors). */
  bind(scope: AttemptScope): Target;
}

/**
 * Key of a request in the response cache and the call journal: the model's identity and the full request (its
 * sampling settings and sample index included; `context` excluded: adapters never send it).
 *
 * @example
 * requestKey(target.identity, { messages: [{ role: 'user', content: 'hi' }], sample: 0 })
 */
export function requestKey(identity: string, request: GenerateRequest): string {
  const { context: _context, ...sent } = request;
  return sha256(`${identity}\n${JSON.stringify(sent)}`, 32);
}

/**
 * The one way redcard calls models. Every call — target, judge, helper, attacker, evaluator — goes through a client
 * of this layer, which answers it from the run's call journal (a resumed strategy attempt), else from the response
 * cache, else sends it within the model's concurrency limit; and accounts it (requests, cached requests, tokens, wall
 * time) per role, for its attempt and for the session, within the attempt's and the run's budgets.
 *
 * @example
 * const layer = new ModelCallLayer({ cache: store, useCache: true });
 * const target = layer.client(createTarget({ kind: 'sim' }), 'target');
 * const scope = layer.scope('core.vcr.001|direct|0', 'run-x/0');
 * const answer = await target.generate({ messages, sample: 0 }, { scope });
 * store.transaction(() => { for (const entry of layer.takeCacheWrites()) store.putCachedResponse(entry.key, entry.response); });
 */
export class ModelCallLayer {
  /** What this session's calls cost, per role (cached answers included). */
  readonly sessionAccounting: RoleAccounting = {};
  readonly runBudget: RunBudget;
  /** Told of every retried call (the scan counts and reports them); set from the options, replaceable. */
  onRetry?: (retry: CallRetry) => void;
  /** Calls that wait for a Batch file instead of being sent (set for `scan --defer` and `batch import`). */
  deferral?: CallDeferral;
  #options: ModelCallLayerOptions;
  #useCache: boolean;
  #cacheWrites: Array<{ key: string; response: GenerateResponse }> = [];
  readonly #limiters = new Map<string, RequestLimiter>();
  #unscopedCalls = 0;

  constructor(options: ModelCallLayerOptions = {}) {
    this.#options = { ...options };
    this.#useCache = (options.useCache ?? true) && options.cache !== undefined;
    this.runBudget = options.runBudget ?? new RunBudget({});
    this.onRetry = options.onRetry;
  }

  /** Attach the response cache (a store opened after the layer was made). */
  useCache(cache: ResponseCache, enabled = true): void {
    this.#options.cache = cache;
    this.#useCache = enabled;
  }

  /** Whether answers are read from and written to the response cache. */
  get usesCache(): boolean {
    return this.#useCache;
  }

  /** A client for `target` in `role`. Clients of one model (same identity) share one concurrency limit. */
  client(target: Target, role: ModelRole): ModelClient {
    let limiter = this.#limiters.get(target.identity);
    if (limiter === undefined) {
      limiter = new RequestLimiter(Math.max(1, target.concurrency));
      this.#limiters.set(target.identity, limiter);
    }
    return createClient(this, target, role, limiter);
  }

  /** A scope for one attempt's calls; journaled when `journal` is given (strategy attempts). */
  scope(
    key: string,
    correlationPrefix: string,
    options: { limits?: AttemptScope['limits']; journal?: Map<string, JournalEntry>; journalSink?: JournalSink } = {},
  ): AttemptScope {
    return new AttemptScope(key, correlationPrefix, options.limits ?? {}, this.runBudget, options.journal, options.journalSink);
  }

  /** Cache entries of answers received since the last call, to commit in the next store transaction. */
  takeCacheWrites(): Array<{ key: string; response: GenerateResponse }> {
    if (this.#cacheWrites.length === 0) return [];
    const writes = this.#cacheWrites;
    this.#cacheWrites = [];
    return writes;
  }

  /** @internal */
  async call(target: Target, role: ModelRole, limiter: RequestLimiter, request: GenerateRequest, options: GenerateOptions): Promise<ModelCallResponse> {
    const scope = options.scope instanceof AttemptScope ? options.scope : undefined;
    if (options.signal?.aborted) throw new AbortedError();
    scope?.assertAllowed(role, false);
    const correlationId = scope ? `${scope.correlationPrefix}/${(scope.calls += 1)}` : `call/${(this.#unscopedCalls += 1)}`;
    const keyed = this.#useCache || scope?.journaled === true;
    const callKey = keyed ? (scope ? scope.nextCallKey(requestKey(target.identity, request)) : requestKey(target.identity, request)) : '';
    if (role === 'target' && scope) scope.queries += 1;
    const recorded = scope?.journal?.get(callKey);
    if (recorded !== undefined) return this.#answered(scope, role, recorded.response, 'journal', correlationId);
    if (this.#useCache) {
      const cached = this.#options.cache?.getCachedResponse(callKey);
      if (cached !== undefined) {
        scope?.journalSink?.write(callKey, { response: cached, role, correlationId });
        return this.#answered(scope, role, cached, 'cache', correlationId);
      }
    }
    if (this.deferral?.defers(role, target)) {
      const deferredKey = callKey === '' ? requestKey(target.identity, request) : callKey;
      const outcome = this.deferral.take(deferredKey);
      if (outcome === undefined) {
        this.deferral.defer(deferredKey, role, target, request);
        if (role === 'target' && scope) scope.queries -= 1; // not sent yet: not a query of this session
        throw new CallDeferredError(deferredKey);
      }
      if (outcome.kind === 'failed') {
        const failed = { cached: false, wallTimeMs: 0 };
        if (scope) addCall(scope.accounting, role, NO_USAGE, failed);
        addCall(this.sessionAccounting, role, NO_USAGE, failed);
        throw new TargetError(`Batch answer for ${deferredKey}: ${outcome.message}`, { status: outcome.status, retryable: false, tries: 1 });
      }
      if (this.#useCache) this.#cacheWrites.push({ key: deferredKey, response: outcome.response });
      scope?.journalSink?.write(callKey, { response: outcome.response, role, correlationId });
      if (!outcome.first) return this.#answered(scope, role, outcome.response, 'batch', correlationId);
      // The first use of a Batch answer accounts it as the call it was (bought, not cached).
      const tokens = (outcome.response.usage.promptTokens ?? 0) + (outcome.response.usage.completionTokens ?? 0);
      if (role === 'target') this.runBudget.sentQueries += 1;
      this.runBudget.sentTokens += tokens;
      if (scope) addCall(scope.accounting, role, outcome.response.usage, { cached: false, wallTimeMs: 0 });
      addCall(this.sessionAccounting, role, outcome.response.usage, { cached: false, wallTimeMs: 0 });
      return { ...outcome.response, latencyMs: 0, source: 'batch', correlationId };
    }
    const runLimit = scope?.runBlockedBy(role);
    if (scope && runLimit !== undefined) {
      if (role === 'target') scope.queries -= 1; // not sent: not a query
      throw new BudgetExhaustedError(runLimit, `budget exhausted (${runLimit}) for attempt ${scope.key}`);
    }
    const release = await limiter.acquire(options.signal);
    const started = performance.now();
    let response: GenerateResponse;
    try {
      response = await target.generate(request, {
        signal: options.signal,
        onRetry: (info) => {
          options.onRetry?.(info);
          this.onRetry?.({ role, key: scope?.key, ...info });
        },
      });
    } catch (error) {
      // A failed call still counts as a request (the server was asked; a failed target query stays a query).
      if (!(error instanceof AbortedError)) {
        const failed = { cached: false, wallTimeMs: performance.now() - started };
        if (scope) addCall(scope.accounting, role, NO_USAGE, failed);
        addCall(this.sessionAccounting, role, NO_USAGE, failed);
        if (role === 'target') this.runBudget.sentQueries += 1;
      }
      throw error;
    } finally {
      release();
    }
    const wallTimeMs = performance.now() - started;
    const tokens = (response.usage.promptTokens ?? 0) + (response.usage.completionTokens ?? 0);
    if (role === 'target') this.runBudget.sentQueries += 1;
    this.runBudget.sentTokens += tokens;
    if (scope) addCall(scope.accounting, role, response.usage, { cached: false, wallTimeMs });
    addCall(this.sessionAccounting, role, response.usage, { cached: false, wallTimeMs });
    if (this.#useCache) this.#cacheWrites.push({ key: callKey, response });
    scope?.journalSink?.write(callKey, { response, role, correlationId });
    return { ...response, source: 'model', correlationId };
  }

  #answered(scope: AttemptScope | undefined, role: ModelRole, response: GenerateResponse, source: CallSource, correlationId: string): ModelCallResponse {
    if (scope) addCall(scope.accounting, role, response.usage, { cached: true, wallTimeMs: 0 });
    addCall(this.sessionAccounting, role, response.usage, { cached: true, wallTimeMs: 0 });
    return { ...response, latencyMs: 0, source, correlationId };
  }
}

function createClient(layer: ModelCallLayer, target: Target, role: ModelRole, limiter: RequestLimiter): ModelClient {
  const client: ModelClient = {
    role,
    model: target,
    kind: target.kind,
    label: target.label,
    identity: target.identity,
    simulated: target.simulated,
    concurrency: target.concurrency,
    generate: (request, options = {}) => layer.call(target, role, limiter, request, options),
    bind: (scope) => ({
      kind: target.kind,
      label: target.label,
      identity: target.identity,
      simulated: target.simulated,
      concurrency: target.concurrency,
      generate: (request, options = {}) => layer.call(target, role, limiter, request, { ...options, scope }),
    }),
    close: async () => target.close?.(),
  };
  return client;
}

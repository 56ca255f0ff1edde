import type http from 'node:http';
import { AbortedError } from '../spec/errors.js';
import type { EndpointStats } from '../spec/target.js';
import { createAgent } from './http-post.js';

/** One server of the pool. */
export interface Endpoint {
  readonly url: string;
  /** Its chat-completions URL. */
  readonly chatUrl: URL;
  readonly agent: http.Agent;
}

interface EndpointState extends Endpoint {
  index: number;
  inFlight: number;
  downUntil: number;
  consecutiveFailures: number;
  stats: Omit<EndpointStats, 'url' | 'down'>;
}

/** How a try on an endpoint ended. */
export type TryOutcome = 'answered' | 'failed' | 'network-failure';

export interface EndpointPoolOptions {
  /** First cool-down after a network failure (doubles per failure in a row, up to `maxCooldownMs`). */
  cooldownMs?: number;
  maxCooldownMs?: number;
  now?: () => number;
}

/**
 * The servers of one model (`--base-url a,b,c`): at most `perEndpoint` tries in flight on each, each try sent to the
 * endpoint with the fewest in flight (ties: the one that has had fewest), and an endpoint that fails at the network
 * level (refused, reset, timed out) taken out of rotation for a cool-down that doubles while it keeps failing; its
 * tries go to the others. When every endpoint is out, the next try waits for the first cool-down to end and probes it.
 *
 * @example
 * const pool = new EndpointPool(['http://a:8000/v1', 'http://b:8000/v1'], 16);
 * const endpoint = await pool.acquire(signal);
 * try { … httpPost(endpoint.chatUrl, body, { agent: endpoint.agent, … }) … pool.release(endpoint, 'answered'); }
 * catch { pool.release(endpoint, 'network-failure'); }
 */
export class EndpointPool {
  readonly #endpoints: EndpointState[];
  readonly #waiting: Array<{ avoid?: Endpoint; grant: (endpoint: EndpointState) => void }> = [];
  readonly #cooldownMs: number;
  readonly #maxCooldownMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    baseUrls: readonly string[],
    readonly perEndpoint: number,
    options: EndpointPoolOptions = {},
  ) {
    this.#cooldownMs = options.cooldownMs ?? 1000;
    this.#maxCooldownMs = options.maxCooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#endpoints = baseUrls.map((url, index) => {
      const chatUrl = new URL(`${url}/chat/completions`);
      return { url, chatUrl, agent: createAgent(chatUrl, perEndpoint), index, inFlight: 0, downUntil: 0, consecutiveFailures: 0, stats: { requests: 0, answered: 0, failed: 0, failovers: 0, maxInFlight: 0 } };
    });
  }

  /** Tries in flight at most across the pool. */
  get capacity(): number {
    return this.#endpoints.length * this.perEndpoint;
  }

  get size(): number {
    return this.#endpoints.length;
  }

  /** True when another endpoint than `endpoint` is in rotation now (a failed try can move there at once). */
  hasOtherUp(endpoint: Endpoint): boolean {
    const now = this.#now();
    return this.#endpoints.some((candidate) => candidate !== endpoint && candidate.downUntil <= now);
  }

  /**
   * A slot on the best endpoint (preferring another than `avoid`), waiting while all are full or out of rotation.
   * Rejects with AbortedError on abort.
   */
  acquire(signal?: AbortSignal, avoid?: Endpoint): Promise<Endpoint> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const chosen = this.#waiting.length === 0 ? this.#choose(avoid) : undefined;
    if (chosen !== undefined) return Promise.resolve(this.#take(chosen));
    return new Promise((resolve, reject) => {
      const waiter = {
        avoid,
        grant: (endpoint: EndpointState) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#take(endpoint));
        },
      };
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(new AbortedError());
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#schedule();
    });
  }

  /** Give the slot back, saying how the try ended; a network failure takes the endpoint out for its cool-down. */
  release(endpoint: Endpoint, outcome: TryOutcome, failedOver = false): void {
    const state = endpoint as EndpointState;
    state.inFlight -= 1;
    if (outcome === 'answered') {
      state.stats.answered += 1;
      state.consecutiveFailures = 0;
      state.downUntil = 0;
    } else {
      state.stats.failed += 1;
      if (failedOver) state.stats.failovers += 1;
      if (outcome === 'network-failure') {
        state.consecutiveFailures += 1;
        state.downUntil = this.#now() + Math.min(this.#maxCooldownMs, this.#cooldownMs * 2 ** (state.consecutiveFailures - 1));
      }
    }
    this.#dispatch();
  }

  /** Per-endpoint counts so far. */
  stats(): EndpointStats[] {
    const now = this.#now();
    return this.#endpoints.map((endpoint) => ({ url: endpoint.url, ...endpoint.stats, down: endpoint.downUntil > now }));
  }

  /** Close every endpoint's connections and timers. */
  destroy(): void {
    clearTimeout(this.#timer);
    for (const endpoint of this.#endpoints) endpoint.agent.destroy();
  }

  #take(endpoint: EndpointState): EndpointState {
    endpoint.inFlight += 1;
    endpoint.stats.requests += 1;
    endpoint.stats.maxInFlight = Math.max(endpoint.stats.maxInFlight, endpoint.inFlight);
    return endpoint;
  }

  /** The endpoint for the next try: in rotation, not full, fewest in flight; `avoid` only when nothing else is free. */
  #choose(avoid?: Endpoint): EndpointState | undefined {
    const now = this.#now();
    let best: EndpointState | undefined;
    let fallback: EndpointState | undefined;
    for (const endpoint of this.#endpoints) {
      if (endpoint.inFlight >= this.perEndpoint || endpoint.downUntil > now) continue;
      const better = (current: EndpointState | undefined): boolean =>
        current === undefined || endpoint.inFlight < current.inFlight || (endpoint.inFlight === current.inFlight && endpoint.stats.requests < current.stats.requests);
      if (endpoint === avoid) {
        if (better(fallback)) fallback = endpoint;
      } else if (better(best)) best = endpoint;
    }
    return best ?? fallback;
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const chosen = this.#choose(this.#waiting[0].avoid);
      if (chosen === undefined) break;
      this.#waiting.shift()!.grant(chosen);
    }
    this.#schedule();
  }

  /** While tries wait and every free endpoint is out of rotation, wake up when the first cool-down ends. */
  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiting.length === 0) return;
    const now = this.#now();
    const next = Math.min(...this.#endpoints.filter((endpoint) => endpoint.inFlight < this.perEndpoint && endpoint.downUntil > now).map((endpoint) => endpoint.downUntil));
    if (!Number.isFinite(next)) return; // all full: a release will dispatch
    this.#timer = setTimeout(() => this.#dispatch(), Math.max(1, next - now));
  }
}

/**
 * A sliding-window limiter: at most `limit` events per key within `windowMs`. In memory, per server process (limits
 * restart with the server; they protect a model and the login form, they are not an audit trail).
 *
 * @example
 * const modelCalls = new RateLimiter(20, 60_000);
 * const wait = modelCalls.take(`account:${id}`); // 0 when allowed, else ms until the next slot frees
 */
export class RateLimiter {
  readonly #events = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record one event for `key` when allowed and return 0; otherwise return the milliseconds until one is allowed. */
  take(key: string): number {
    const wait = this.check(key);
    if (wait === 0) this.#events.get(key)!.push(this.now());
    return wait;
  }

  /** Milliseconds until an event for `key` would be allowed (0: now), without recording one. */
  check(key: string): number {
    const now = this.now();
    const recent = (this.#events.get(key) ?? []).filter((time) => time > now - this.windowMs);
    this.#events.set(key, recent);
    if (recent.length < this.limit) return 0;
    return Math.max(1, recent[0] + this.windowMs - now);
  }

  /** Forget the events of a key (a successful login clears its failures). */
  clear(key: string): void {
    this.#events.delete(key);
  }
}

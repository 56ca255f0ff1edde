import { AbortedError } from '../spec/errors.js';
import { abortableSleep } from './abortable-sleep.js';

/**
 * Bounds one target's callers: at most `concurrency` requests in flight and, when `rpm` is set, starts spaced
 * at least 60000/rpm ms apart (a schedule without bursts, so a rate-limited server never sees more than it allows).
 * Both live inside the target so that every caller (engine, judges, helpers) shares the same bound.
 *
 * @example
 * const limiter = new RequestLimiter(4, 120);
 * const release = await limiter.acquire(signal);
 * try { await send(); } finally { release(); }
 */
export class RequestLimiter {
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];
  #nextStartMs = 0;
  readonly #intervalMs: number;

  constructor(
    readonly concurrency: number,
    rpm?: number,
  ) {
    this.#intervalMs = rpm === undefined ? 0 : 60_000 / rpm;
  }

  /** Wait for a slot (and the rate schedule); returns the release function. Rejects with AbortedError on abort. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new AbortedError();
    if (this.#inFlight < this.concurrency && this.#waiting.length === 0) {
      this.#inFlight += 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const index = this.#waiting.indexOf(grant);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(new AbortedError());
        };
        this.#waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inFlight -= 1;
    };
    if (this.#intervalMs > 0) {
      const now = Date.now();
      const start = Math.max(now, this.#nextStartMs);
      this.#nextStartMs = start + this.#intervalMs;
      if (start > now) {
        try {
          await abortableSleep(start - now, signal);
        } catch (error) {
          release();
          throw error;
        }
      }
    }
    return release;
  }
}

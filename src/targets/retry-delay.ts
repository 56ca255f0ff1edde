/**
 * Milliseconds to wait from a `Retry-After` header (delta seconds or an HTTP date), or undefined when absent/unreadable.
 *
 * @example
 * retryAfterMs('2') // 2000
 */
export function retryAfterMs(header: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with full jitter: a uniform draw in [0, min(cap, base·2^retry)).
 * `retry` counts from 0 for the first retry.
 *
 * @example
 * backoffDelayMs(3, 500, 30_000) // somewhere in [0, 4000)
 */
export function backoffDelayMs(retry: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** retry));
}

import { AbortedError, TargetError } from '../spec/errors.js';
import type { GenerateOptions } from '../spec/target.js';
import { abortableSleep } from './abortable-sleep.js';
import { MalformedBody, serverErrorMessage } from './chat-completion-body.js';
import { NetworkFailure, type HttpAnswer } from './http-post.js';
import type { RequestLimiter } from './request-limiter.js';
import { backoffDelayMs, retryAfterMs } from './retry-delay.js';

/** Backoff settings; tests shorten them. */
export interface RetryTuning {
  /** First backoff ceiling in ms (doubles per retry, full jitter). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms. */
  maxDelayMs: number;
  /** Largest `Retry-After` we wait for in ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TUNING: RetryTuning = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** One failed try: what to say, whether to try again, and how long the server asked us to wait. */
export interface TryFailure {
  reason: string;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  /** True for a failure before any answer arrived (refused, reset, timed out). */
  network?: boolean;
}

/** Whether an HTTP status is worth retrying: 408, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The failure an HTTP answer stands for, or undefined for a 2xx answer. */
export function httpAnswerFailure(answer: HttpAnswer): TryFailure | undefined {
  if (answer.status >= 200 && answer.status < 300) return undefined;
  return {
    reason: `HTTP ${answer.status}: ${serverErrorMessage(answer.text)}`,
    retryable: isRetryableStatus(answer.status),
    status: answer.status,
    retryAfterMs: retryAfterMs(answer.headers['retry-after']),
  };
}

/** The failure a thrown error stands for (network failures and malformed bodies are retried); other errors rethrow. */
export function thrownFailure(error: unknown): TryFailure {
  if (error instanceof AbortedError) throw error;
  if (error instanceof NetworkFailure) return { reason: error.message, retryable: true, network: true };
  if (error instanceof MalformedBody) return { reason: error.message, retryable: error.retryable };
  throw error;
}

/** How to send one request with retries. */
export interface RetryingRequest<T> {
  /** Retries after the first try. */
  maxRetries: number;
  tuning: RetryTuning;
  /** Bounds tries in flight (and their rate); a slot is held only while a try is in flight. */
  limiter: RequestLimiter;
  /** One try: the result, or the failure it met (thrown errors are classified by `thrownFailure`). */
  tryOnce(signal: AbortSignal | undefined): Promise<{ result: T } | { failure: TryFailure }>;
  /** The one-line message of the final failure. */
  describe(failure: TryFailure, tries: number): string;
}

/**
 * Send a request, retrying retryable failures (408, 429, 5xx, network errors, malformed bodies) with full-jitter
 * backoff or the server's `Retry-After`, up to `maxRetries` retries; then throw TargetError with the last reason.
 *
 * @example
 * const text = await sendWithRetries({ maxRetries: 6, tuning: DEFAULT_RETRY_TUNING, limiter,
 *   tryOnce: async () => ({ result: 'ok' }), describe: (failure) => failure.reason }, options);
 */
export async function sendWithRetries<T>(request: RetryingRequest<T>, options: GenerateOptions = {}): Promise<T> {
  const { signal, onRetry } = options;
  const maxTries = request.maxRetries + 1;
  for (let tries = 1; ; tries += 1) {
    let failure: TryFailure;
    const release = await request.limiter.acquire(signal);
    try {
      const outcome = await request.tryOnce(signal);
      if ('result' in outcome) return outcome.result;
      failure = outcome.failure;
    } catch (error) {
      failure = thrownFailure(error);
    } finally {
      release();
    }
    if (!failure.retryable || tries >= maxTries) {
      throw new TargetError(request.describe(failure, tries), {
        status: failure.status,
        retryable: failure.retryable,
        retryAfterMs: failure.retryAfterMs,
        tries,
      });
    }
    const delayMs = failure.retryAfterMs !== undefined
      ? Math.min(failure.retryAfterMs, request.tuning.maxRetryAfterMs)
      : backoffDelayMs(tries - 1, request.tuning.baseDelayMs, request.tuning.maxDelayMs);
    onRetry?.({ attempt: tries, delayMs, reason: failure.reason });
    await abortableSleep(delayMs, signal);
  }
}

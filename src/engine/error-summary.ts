import type { RecordedError } from '../store/store-api.js';

/** Errored attempts that share a stage and a normalised message. */
export interface ErrorGroup {
  /** `target`, `attack` or `judge`. */
  stage: string;
  /** The message without what differs between requests (URL and model prefix, try counts), e.g. `HTTP 401: Invalid API key`. */
  message: string;
  /** HTTP status, from the record or the message, when there was one. */
  status?: number;
  /** Errored attempts with this message. */
  count: number;
  /**
   * Whether trying again may help: network failures, timeouts, 408, 429, 5xx, unreadable answers, undecided judges.
   * Not for other 4xx answers (401, 403, 404, 400, …): those need a fix first.
   */
  retryable: boolean;
}

/** The errors of a run, grouped: commonest first. */
export interface ErrorSummary {
  /** Errored attempts in the run. */
  total: number;
  groups: ErrorGroup[];
}

const LONGEST_MESSAGE = 200;

/**
 * A message with what differs per request taken out, so that the same failure groups together:
 * `POST http://host/v1/chat/completions (model 'm'): HTTP 401: Invalid API key (gave up after 7 tries)` →
 * `HTTP 401: Invalid API key`.
 *
 * @example
 * normaliseErrorMessage("POST http://127.0.0.1:9/v1/chat/completions (model 'x'): HTTP 500: boom (gave up after 7 tries)") // 'HTTP 500: boom'
 */
export function normaliseErrorMessage(message: string): string {
  const normalised = message
    .replace(/POST \S+ \(model '[^']*'\): /g, '')
    .replace(/ \[POST, model '[^']*'\]/g, '')
    .replace(/ \(gave up after \d+ tries\)/g, '')
    // Request ids differ per request: UUIDs and long hex or alphanumeric tokens with digits (`req_8f3a…`).
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…')
    .replace(/\b(?=[A-Za-z_]*\d)[A-Za-z0-9_]{16,}\b/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return normalised.length <= LONGEST_MESSAGE ? normalised : `${normalised.slice(0, LONGEST_MESSAGE)}…`;
}

/** The HTTP status of an error: recorded, or named in its message (`HTTP 404: …`, as judge and helper errors carry it). */
function statusOf(error: RecordedError): number | undefined {
  if (error.status !== undefined) return error.status;
  const match = /\bHTTP (\d{3})\b/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether retrying a request that failed with this status may help.
 *
 * @example
 * isRetryableStatus(429) // true
 * isRetryableStatus(401) // false
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500 || status < 400;
}

/**
 * Group errors by stage and normalised message, commonest first (ties by stage, then message).
 *
 * @example
 * summarizeErrors(store.iterateErrors(run.id)).groups[0] // { stage: 'target', message: 'HTTP 401: Invalid API key', status: 401, count: 10, retryable: false }
 */
export function summarizeErrors(errors: Iterable<RecordedError>): ErrorSummary {
  const groups = new Map<string, ErrorGroup>();
  let total = 0;
  for (const error of errors) {
    total += 1;
    const message = normaliseErrorMessage(error.message);
    const key = `${error.stage}\u0000${message}`;
    const group = groups.get(key);
    if (group !== undefined) {
      group.count += 1;
      continue;
    }
    const status = statusOf(error);
    groups.set(key, { stage: error.stage, message, ...(status === undefined ? {} : { status }), count: 1, retryable: isRetryableStatus(status) });
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.count - a.count || a.stage.localeCompare(b.stage) || a.message.localeCompare(b.message),
  );
  return { total, groups: sorted };
}

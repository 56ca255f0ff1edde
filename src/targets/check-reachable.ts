import { TargetError } from '../spec/errors.js';
import { httpGet, NetworkFailure } from './http-post.js';

/** What a server said about itself when probed. */
export interface ServerProbe {
  /** True when its model list marks a model `redcard: { simulated: true }` (`redcard sim serve` does). */
  simulated: boolean;
  /** HTTP status of `GET {base}/models`, or undefined when the server connected but did not answer in time. */
  status?: number;
}

/** Bytes of a model list read at most. */
const MODEL_LIST_MAX_BYTES = 1 << 20;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running?)',
  ENOTFOUND: 'host not found (check the URL)',
  EAI_AGAIN: 'host name lookup failed (check the URL and your network)',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  TIMEOUT: 'connection timed out',
};

/**
 * One `GET {baseUrl}/models` before a scan: a server that is not there fails at once with a clear message instead of
 * after every request's retries, and a server that announces itself as simulated is known as such. Any HTTP answer
 * (even 401 or 404: not every server lists models) means reachable; a server that accepts the connection but does not
 * answer within `timeoutMs` counts as reachable too.
 *
 * @example
 * const { simulated } = await checkReachable('http://127.0.0.1:11434/v1');
 */
export async function checkReachable(baseUrl: string, options: { headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ServerProbe> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/models`);
  try {
    const answer = await httpGet(url, { headers: options.headers ?? {}, timeoutMs: options.timeoutMs ?? 3000, signal: options.signal, maxBytes: MODEL_LIST_MAX_BYTES });
    return { simulated: answer.status === 200 && !answer.truncated && announcesSimulation(answer.text), status: answer.status };
  } catch (error) {
    if (!(error instanceof NetworkFailure)) throw error;
    if (error.connected) return { simulated: false };
    const shown = new URL(baseUrl).href;
    throw new TargetError(`cannot reach ${shown}: ${(error.code && REASONS[error.code]) ?? error.message}`, { retryable: false });
  }
}

function announcesSimulation(text: string): boolean {
  try {
    const list = JSON.parse(text) as { data?: unknown };
    return Array.isArray(list.data) && list.data.some((model) => (model as { redcard?: { simulated?: unknown } } | null)?.redcard?.simulated === true);
  } catch {
    return false;
  }
}

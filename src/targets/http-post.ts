import http from 'node:http';
import https from 'node:https';
import { AbortedError } from '../spec/errors.js';
import { utf8Prefix } from '../util/utf8-prefix.js';

/** What the server answered: status, headers and the body as text (at most `maxBytes` of it). */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** True when the body was longer than `maxBytes`: `text` holds its first `maxBytes` bytes (cut at a character boundary) and the rest was never read. */
  truncated: boolean;
}

/** A failure before a complete answer arrived (refused, reset, timed out); `code` is Node's error code when known. */
export class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** Whether the connection had been established (a timeout after connecting is a slow server, not a missing one). */
    readonly connected = false,
  ) {
    super(message);
    this.name = 'NetworkFailure';
  }
}

/** How to send one request. */
export interface HttpRequestOptions {
  headers: Record<string, string>;
  agent?: http.Agent;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Read at most this many bytes of the body; past it the connection is closed and the answer marked truncated. */
  maxBytes?: number;
}

/** A keep-alive agent for the URL's protocol, sized for `maxSockets` requests in flight. */
export function createAgent(url: URL, maxSockets: number): http.Agent {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running?)',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
};

/** A short human description of a socket error, without a stack. */
export function describeNetworkError(error: NodeJS.ErrnoException): string {
  if (error.code && NETWORK_WORDS[error.code]) return NETWORK_WORDS[error.code];
  return error.message || error.code || 'network error';
}

/**
 * POST a body with node:http(s) over a keep-alive agent (fetch costs too much per request at our throughput).
 * Resolves with any HTTP status; rejects with NetworkFailure (socket errors, timeout) or AbortedError. With `maxBytes`,
 * memory stays bounded whatever the server sends: reading stops at the cap.
 *
 * @example
 * const answer = await httpPost(new URL('http://127.0.0.1:8000/v1/chat/completions'), '{}', { headers: {}, agent, timeoutMs: 30_000 });
 */
export function httpPost(url: URL, body: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  return httpRequest('POST', url, body, options);
}

/**
 * GET a URL (no keep-alive agent unless given); same answers and failures as httpPost.
 *
 * @example
 * const answer = await httpGet(new URL('http://127.0.0.1:8000/v1/models'), { headers: {}, timeoutMs: 3000, maxBytes: 65536 });
 */
export function httpGet(url: URL, options: HttpRequestOptions): Promise<HttpAnswer> {
  return httpRequest('GET', url, undefined, options);
}

/**
 * Send one request with any method (a body is sent as JSON); same answers and failures as httpPost.
 *
 * @example
 * const answer = await httpRequest('PUT', new URL('http://127.0.0.1:3000/chat'), '{"q":"hi"}', { headers: {}, agent, timeoutMs: 30_000 });
 */
export function httpRequest(method: string, url: URL, body: string | undefined, options: HttpRequestOptions): Promise<HttpAnswer> {
  const { signal, timeoutMs } = options;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(answer as HttpAnswer);
    };
    const send = url.protocol === 'https:' ? https.request : http.request;
    const headers: Record<string, string | number> = { ...options.headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const request = send({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method,
      agent: options.agent,
      headers,
    });
    let connected = false;
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    const onAbort = (): void => {
      finish(new AbortedError());
      request.destroy();
    };
    const timer = setTimeout(() => {
      finish(new NetworkFailure(`no answer within ${timeoutMs} ms (timed out)`, 'TIMEOUT', connected));
      request.destroy();
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error: NodeJS.ErrnoException) => finish(new NetworkFailure(describeNetworkError(error), error.code)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (truncated: boolean): HttpAnswer => {
        const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        return { status: response.statusCode ?? 0, headers: response.headers, text: truncated ? utf8Prefix(bytes) : bytes.toString('utf8'), truncated };
      };
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (size + chunk.length <= maxBytes) {
          chunks.push(chunk);
          size += chunk.length;
          return;
        }
        // Over the cap: keep what fits, answer now, and close the connection so the rest is never read.
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        finish(undefined, answer(true));
        request.destroy();
      });
      response.on('error', (error: NodeJS.ErrnoException) => finish(new NetworkFailure(describeNetworkError(error), error.code)));
      response.on('aborted', () => finish(new NetworkFailure('the server closed the connection mid-answer', 'ECONNRESET')));
      response.on('end', () => finish(undefined, answer(false)));
    });
    request.end(body);
  });
}

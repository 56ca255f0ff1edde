import http from 'node:http';
import https from 'node:https';
import { AbortedError } from '../spec/errors.js';

/** What the server answered: status, headers and the whole body as text. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A failure before a complete answer arrived (refused, reset, timed out); `code` is Node's error code when known. */
export class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'NetworkFailure';
  }
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

/** The answer was larger than the caller allows; the connection was closed. Not retryable. */
export class AnswerTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes (the limit); the connection was closed`);
    this.name = 'AnswerTooLarge';
  }
}

/** One HTTP request: where, how, and the limits it runs under. */
export interface HttpRequestOptions {
  url: URL;
  method: string;
  /** Request body (none when undefined). */
  body?: string;
  /** Headers as sent; `content-length` is added for a body. */
  headers: Record<string, string>;
  agent: http.Agent;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest answer body accepted (default: unlimited); a larger one rejects with AnswerTooLarge. */
  maxBytes?: number;
}

/**
 * POST a body with node:http(s) over a keep-alive agent (fetch costs too much per request at our throughput).
 * Resolves with any HTTP status; rejects with NetworkFailure (socket errors, timeout) or AbortedError.
 *
 * @example
 * const answer = await httpPost(new URL('http://127.0.0.1:8000/v1/chat/completions'), '{}', {}, agent, 30_000);
 */
export function httpPost(
  url: URL,
  body: string,
  headers: Record<string, string>,
  agent: http.Agent,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  return httpRequest({ url, method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' }, agent, timeoutMs, signal });
}

/**
 * Send one HTTP request with node:http(s) over a keep-alive agent and read the whole answer as text.
 * Resolves with any HTTP status; rejects with NetworkFailure (socket errors, timeout), AnswerTooLarge or AbortedError.
 *
 * @example
 * const answer = await httpRequest({ url: new URL('http://127.0.0.1:3000/chat'), method: 'POST', body: '{"q":"hi"}',
 *   headers: { 'content-type': 'application/json' }, agent, timeoutMs: 30_000 });
 */
export function httpRequest(options: HttpRequestOptions): Promise<HttpAnswer> {
  const { url, body, headers, agent, timeoutMs, signal, maxBytes } = options;
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
    const request = send({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      agent,
      headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    const onAbort = (): void => {
      finish(new AbortedError());
      request.destroy();
    };
    const timer = setTimeout(() => {
      finish(new NetworkFailure(`no answer within ${timeoutMs} ms (timed out)`, 'TIMEOUT'));
      request.destroy();
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error: NodeJS.ErrnoException) => finish(new NetworkFailure(describeNetworkError(error), error.code)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (maxBytes !== undefined && received > maxBytes) {
          finish(new AnswerTooLarge(maxBytes));
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error: NodeJS.ErrnoException) => finish(new NetworkFailure(describeNetworkError(error), error.code)));
      response.on('aborted', () => finish(new NetworkFailure('the server closed the connection mid-answer', 'ECONNRESET')));
      response.on('end', () => {
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, text });
      });
    });
    request.end(body);
  });
}

import http from 'node:http';
import { createSimModel } from '../sim/sim-model.js';
import { seededRandom, hashText } from '../sim/seeded-random.js';
import { listen, readBody } from '../http-listen.js';
import { readChatMessages, simAnswerBody } from '../sim-server.js';
import type { ChatRequestBody } from './scripted-server.js';

/** Fault rates in [0, 1]; they are tried in this order for each request, from one deterministic draw per request number. */
export interface FaultRates {
  /** Answer 429 with `Retry-After: retryAfterSeconds`. */
  rate429?: number;
  retryAfterSeconds?: number;
  /** Answer 500 with an OpenAI-style error. */
  rate500?: number;
  /** Answer 200 with a JSON body cut in half. */
  rateTruncated?: number;
  /** Destroy the socket without answering. */
  rateDrop?: number;
}

/** What the fault server did so far. `maxInFlight` is the most requests it held at once. */
export interface FaultStats {
  requests: number;
  ok: number;
  rateLimited: number;
  serverErrors: number;
  truncated: number;
  dropped: number;
  inFlight: number;
  maxInFlight: number;
}

export interface FaultServer {
  url: string;
  close(): Promise<void>;
  stats(): FaultStats;
}

/**
 * Start an OpenAI-compatible server (127.0.0.1, free port) that answers like the sim (or with `answer(body)`), but for
 * the n-th chat request (the `GET …/models` probe is answered apart and not counted), deterministically from `seed` and n, answers 429, 500, a truncated body, or drops the connection.
 * `latencyMs` holds each request that long (to observe concurrency).
 *
 * @example
 * const server = await startFaultServer({ faults: { rate429: 0.3, retryAfterSeconds: 0, rateDrop: 0.1 }, seed: 1 });
 * const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'sim' });
 * // ... requests eventually succeed through retries
 * assert.ok(server.stats().rateLimited > 0);
 * await server.close();
 */
export async function startFaultServer(options: {
  faults: FaultRates;
  seed?: number;
  answer?: (body: ChatRequestBody) => string;
  latencyMs?: number;
}): Promise<FaultServer> {
  const { faults } = options;
  const seedHash = hashText(`fault:${options.seed ?? 0}`);
  const model = createSimModel({ seed: options.seed });
  const stats: FaultStats = { requests: 0, ok: 0, rateLimited: 0, serverErrors: 0, truncated: 0, dropped: 0, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer(async (request, response) => {
    if (request.method === 'GET' && /\/models$/.test(request.url ?? '')) {
      // The probe before a scan: answered apart and not counted, so the stats hold chat requests only.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'fault', object: 'model', owned_by: 'fault-server' }] }));
      return;
    }
    stats.requests += 1;
    const draw = seededRandom(hashText(`${stats.requests}`, seedHash))();
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const text = await readBody(request);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    stats.inFlight -= 1;
    let threshold = faults.rate429 ?? 0;
    if (draw < threshold) {
      stats.rateLimited += 1;
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(faults.retryAfterSeconds ?? 0) });
      response.end(JSON.stringify({ error: { message: 'rate limit reached (fault server)', type: 'rate_limit_error' } }));
      return;
    }
    threshold += faults.rate500 ?? 0;
    if (draw < threshold) {
      stats.serverErrors += 1;
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'internal error (fault server)', type: 'server_error' } }));
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // an unreadable body still gets an answer: the fault server tests clients, not requests
    }
    const messages = readChatMessages(body);
    const payload = options.answer
      ? { id: 'chatcmpl-fault', object: 'chat.completion', created: 0, model: 'fault', choices: [{ index: 0, message: { role: 'assistant', content: options.answer(body) }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }
      : simAnswerBody(model, body, typeof messages === 'string' ? [] : messages, 0);
    const json = JSON.stringify(payload);
    threshold += faults.rateTruncated ?? 0;
    if (draw < threshold) {
      stats.truncated += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(json.slice(0, Math.floor(json.length / 2)));
      return;
    }
    threshold += faults.rateDrop ?? 0;
    if (draw < threshold) {
      stats.dropped += 1;
      request.socket.destroy();
      return;
    }
    stats.ok += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  });
  const { url, close } = await listen(server, '127.0.0.1', 0);
  return { url, close, stats: () => ({ ...stats }) };
}

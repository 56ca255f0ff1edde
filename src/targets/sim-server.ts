import http from 'node:http';
import { createSimModel, type SimModel } from './sim/sim-model.js';
import { listen, readBody } from './http-listen.js';
import { hashText } from './sim/seeded-random.js';

/** Options of the sim server; the model decides from the request text, its seed and the sample (see docs/targets.md). */
export interface SimServerOptions {
  host?: string;
  port?: number;
  seed?: number;
  /** Simulated delay per answer in ms (a timer, not a busy wait). */
  latencyMs?: number;
  /** Built-in profile name or file path. */
  profile?: string;
  /** Model name reported by the server. */
  model?: string;
}

/** A running sim server; `url` ends in `/v1`. */
export interface SimServer {
  url: string;
  close(): Promise<void>;
}

type ChatMessage = { role: string; content: string };

/** The messages of a chat-completions body, or a reason why the body is unusable. Accepts string or text-part content. */
export function readChatMessages(body: unknown): ChatMessage[] | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object';
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' must be a non-empty array";
  const result: ChatMessage[] = [];
  for (const [index, message] of messages.entries()) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') return `messages[${index}].role must be a string`;
    if (typeof content === 'string') result.push({ role, content });
    else if (Array.isArray(content)) {
      result.push({ role, content: content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('') });
    } else return `messages[${index}].content must be a string or an array of text parts`;
  }
  return result;
}

function sendJson(response: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: http.ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
  sendJson(response, status, { error: { message, type, param: null, code: null } });
}

/**
 * The sample index of a request: its `seed` when it sent one (redcard's openai target sends seed + sample when a seed is
 * configured), 0 at temperature 0, otherwise a per-text counter so that repeated identical requests get different answers
 * (real servers sample; the counter keeps totals deterministic for a fixed request mix).
 */
function sampleOf(body: Record<string, unknown>, messages: ChatMessage[], counters: Map<number, number>): number {
  if (Number.isInteger(body.seed)) return body.seed as number;
  if (body.temperature === 0) return 0;
  let key = 0x811c9dc5;
  for (const message of messages) key = hashText(message.content, hashText(message.role, key));
  const count = counters.get(key) ?? 0;
  counters.set(key, count + 1);
  return count;
}

/** Request handler of the sim server (also used by the fault server for its normal answers). */
export function simAnswerBody(model: SimModel, body: Record<string, unknown>, messages: ChatMessage[], sample: number): Record<string, unknown> {
  const maxTokens = Number.isInteger(body.max_tokens) ? (body.max_tokens as number) : undefined;
  // OpenAI's `logprobs: true, top_logprobs: N`: the sim gives them for its multiple-choice feedback answers, null otherwise.
  const wantsLogprobs = body.logprobs === true;
  const topLogprobs = wantsLogprobs ? (Number.isInteger(body.top_logprobs) ? Math.min(20, Math.max(0, body.top_logprobs as number)) : 0) : undefined;
  const answer = model.answer(messages, { sample, maxTokens, topLogprobs });
  const choice: Record<string, unknown> = { index: 0, message: { role: 'assistant', content: answer.text }, finish_reason: answer.finishReason };
  if (wantsLogprobs) {
    choice.logprobs = answer.logprobs === undefined
      ? null
      : { content: answer.logprobs.map((entry) => ({ token: entry.token, logprob: entry.logprob, bytes: [...Buffer.from(entry.token)], top_logprobs: entry.top.map((top) => ({ token: top.token, logprob: top.logprob, bytes: [...Buffer.from(top.token)] })) })) };
  }
  return {
    id: `chatcmpl-sim-${sample}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : model.model,
    choices: [choice],
    usage: { prompt_tokens: answer.promptTokens, completion_tokens: answer.completionTokens, total_tokens: answer.promptTokens + answer.completionTokens },
  };
}

/**
 * The sim's answer to one chat-completions request body: 200 with a completion, or 400 with an OpenAI-style error.
 * `counters` hold the per-text sample counters of one server (or one batch file).
 *
 * @example
 * answerChatRequest(createSimModel({ seed: 1 }), { model: 'sim', messages: [{ role: 'user', content: 'hi' }] }, new Map())
 */
export function answerChatRequest(model: SimModel, body: unknown, counters: Map<number, number>): { status: number; payload: Record<string, unknown> } {
  const messages = readChatMessages(body);
  if (typeof messages === 'string') return { status: 400, payload: { error: { message: messages, type: 'invalid_request_error', param: null, code: null } } };
  const record = body as Record<string, unknown>;
  return { status: 200, payload: simAnswerBody(model, record, messages, sampleOf(record, messages, counters)) };
}

/**
 * Start an OpenAI-compatible server backed by the simulated model: POST /v1/chat/completions and GET /v1/models (each
 * model listed carries `redcard: { simulated: true }`, so that clients can say SIMULATED).
 * It is the benchmark's server, so the handler does no more than parse, decide and answer.
 *
 * @example
 * const server = await startSimServer({ seed: 3 });
 * const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'sim' });
 * await server.close();
 */
export async function startSimServer(options: SimServerOptions = {}): Promise<SimServer> {
  const model = createSimModel({ seed: options.seed, profile: options.profile, model: options.model });
  const latencyMs = options.latencyMs ?? 0;
  const counters = new Map<number, number>();
  const server = http.createServer((request, response) => {
    const path = request.url ?? '';
    if (request.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      // `redcard.simulated` tells clients (redcard's openai target among them) that the answers are simulated.
      sendJson(response, 200, { object: 'list', data: [{ id: model.model, object: 'model', created: 0, owned_by: 'redcard-sim', redcard: { simulated: true } }] });
      return;
    }
    if (request.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) {
      sendError(response, 404, `no route ${request.method} ${path} (the sim serves POST /v1/chat/completions and GET /v1/models)`, 'not_found');
      return;
    }
    readBody(request).then(
      (text) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          sendError(response, 400, 'the body is not valid JSON');
          return;
        }
        const answer = answerChatRequest(model, body, counters);
        if (answer.status !== 200) sendJson(response, answer.status, answer.payload);
        else if (latencyMs > 0) setTimeout(() => sendJson(response, 200, answer.payload), latencyMs);
        else sendJson(response, 200, answer.payload);
      },
      () => response.destroy(),
    );
  });
  return listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
}

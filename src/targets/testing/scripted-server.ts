import http from 'node:http';
import { listen, parseJsonOrUndefined, readBody } from '../http-listen.js';

/** One scripted answer. `body` is sent as JSON, `text` as is; `drop` destroys the socket without answering. */
export interface ScriptedReply {
  status?: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  drop?: boolean;
}

/** A chat-completions request body as a test sees it (whatever the client sent; fields are not checked). */
export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  [field: string]: unknown;
}

/** A request the scripted server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body ({} when it was not a JSON object); cast it to the shape the test expects. */
  body: unknown;
}

/** A running scripted server. `url` ends in `/v1`; `requests` lists what it received, in order. */
export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Start an HTTP server on 127.0.0.1 (free port) that answers every request with what `replies` returns for it
 * (except `GET …/models`, the probe before a scan, which gets a one-model list and is not recorded),
 * to test code that talks to an OpenAI-compatible server (targets, LLM judges) without a model.
 *
 * @example
 * const server = await startScriptedServer((body) => ({
 *   body: chatCompletionBody((body.messages?.at(-1)?.content ?? '').includes('grade') ? 'VERDICT: unsafe' : 'ok'),
 * }));
 * const judgeTarget = createTarget({ kind: 'openai', baseUrl: server.url, model: 'judge' });
 * // ... run the judge, then:
 * assert.equal(server.requests.length, 1);
 * await judgeTarget.close?.();
 * await server.close();
 */
export async function startScriptedServer<Body = ChatRequestBody>(
  replies: (requestBody: Body, index: number, request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (request, response) => {
    const text = await readBody(request);
    if (request.method === 'GET' && /\/models$/.test(request.url ?? '')) {
      // The model list a scan probes before it starts: answered apart, so `requests` holds only what tests script.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'test-model', object: 'model', owned_by: 'scripted' }] }));
      return;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: asBody(parseJsonOrUndefined(text)),
    };
    const index = requests.push(recorded) - 1;
    let reply: ScriptedReply;
    try {
      reply = await replies(recorded.body as Body, index, recorded);
    } catch (error) {
      reply = { status: 500, body: { error: { message: `scripted reply failed: ${(error as Error).message}` } } };
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.drop) {
      request.socket.destroy();
      return;
    }
    const payload = reply.text ?? JSON.stringify(reply.body ?? {});
    response.writeHead(reply.status ?? 200, {
      'content-type': reply.text === undefined ? 'application/json' : 'text/plain',
      ...reply.headers,
    });
    response.end(payload);
  });
  const { url, close } = await listen(server, '127.0.0.1', 0);
  return { url, requests, close };
}

function asBody(value: unknown): ChatRequestBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ChatRequestBody) : {};
}

/**
 * An OpenAI chat-completions response body with one choice.
 *
 * @example
 * chatCompletionBody('I cannot help with that.', { model: 'judge' })
 */
export function chatCompletionBody(
  text: string | null,
  options: { model?: string; finishReason?: string | null; promptTokens?: number; completionTokens?: number } = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: options.model ?? 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: options.finishReason === undefined ? 'stop' : options.finishReason }],
    usage: { prompt_tokens: options.promptTokens ?? 1, completion_tokens: options.completionTokens ?? 1, total_tokens: (options.promptTokens ?? 1) + (options.completionTokens ?? 1) },
  };
}

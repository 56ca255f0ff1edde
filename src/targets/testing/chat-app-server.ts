import http from 'node:http';
import { listen, parseJsonOrUndefined, readBody } from '../http-listen.js';

/** A conversation the app remembers. */
interface AppConversation {
  id: string;
  heard: string[];
}

/** A request the app received: what a test checks. */
export interface AppRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ChatAppServer {
  /** Origin, e.g. `http://127.0.0.1:PORT` (no `/v1`). */
  origin: string;
  requests: AppRequest[];
  /** Conversations opened so far. */
  conversations(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for a deployed chat application (a RAG bot behind an API key), to test the `http` target over real HTTP:
 * - `POST /api/chat` takes `{ input: { text }, conversation_id? }` with header `x-app-key: <apiKey>` (else 401); a
 *   new conversation gets a `sid` cookie and a `conversation_id`; a request with a known cookie or conversation id
 *   continues it. It answers `{ data: { answer }, conversation_id }`, the answer naming the turn and what it heard
 *   before; a text containing `BLOCKME` is refused with `{ blocked: true }` (no answer field).
 * - `POST /api/stream`: the same, as Server-Sent Events `{ delta: { text } }`, then `[DONE]`.
 * - `GET /api/ask?q=TEXT`: a plain-text answer.
 * - `POST /api/flaky`: 503 on every odd request, else like `/api/chat`.
 *
 * @example
 * const app = await startChatAppServer({ apiKey: 'k-1' });
 * // createHttpTarget({ url: `${app.origin}/api/chat`, body: { input: { text: '{{prompt}}' } }, responsePath: '$.data.answer', … })
 * await app.close();
 */
export async function startChatAppServer(options: { apiKey?: string } = {}): Promise<ChatAppServer> {
  const requests: AppRequest[] = [];
  const byCookie = new Map<string, AppConversation>();
  const byId = new Map<string, AppConversation>();
  let opened = 0;
  let flaky = 0;

  const answerFor = (request: http.IncomingMessage, body: Record<string, unknown>, response: http.ServerResponse): { conversation: AppConversation; answer: string } | undefined => {
    const text = String(((body.input ?? {}) as Record<string, unknown>).text ?? body.q ?? '');
    const cookie = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    let conversation = (cookie !== undefined ? byCookie.get(cookie) : undefined) ?? (typeof body.conversation_id === 'string' ? byId.get(body.conversation_id) : undefined);
    if (conversation === undefined) {
      opened += 1;
      conversation = { id: `conv-${opened}`, heard: [] };
      byCookie.set(`s${opened}`, conversation);
      byId.set(conversation.id, conversation);
      response.setHeader('set-cookie', [`sid=s${opened}; Path=/; HttpOnly`, 'theme=dark; Max-Age=3600']);
    }
    if (text.includes('BLOCKME')) return undefined;
    const earlier = conversation.heard.length === 0 ? 'nothing' : conversation.heard.join(' | ');
    conversation.heard.push(text);
    return { conversation, answer: `turn ${conversation.heard.length} of ${conversation.id}: heard "${text}"; earlier: ${earlier}` };
  };

  const server = http.createServer(async (request, response) => {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://app.test');
    const parsed = parseJsonOrUndefined(text);
    requests.push({ method: request.method ?? '', path: url.pathname + url.search, headers: request.headers, body: parsed ?? text });
    const json = (status: number, value: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (options.apiKey !== undefined && request.headers['x-app-key'] !== options.apiKey) return json(401, { error: 'missing or wrong x-app-key' });
    if (url.pathname === '/api/ask' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`you asked: ${url.searchParams.get('q') ?? ''}`);
      return;
    }
    const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (url.pathname === '/api/flaky' && (flaky += 1) % 2 === 1) return json(503, { error: 'warming up' });
    if (url.pathname === '/api/chat' || url.pathname === '/api/flaky') {
      const result = answerFor(request, body, response);
      if (result === undefined) return json(200, { blocked: true, message: 'blocked by policy' });
      return json(200, { data: { answer: result.answer }, conversation_id: result.conversation.id });
    }
    if (url.pathname === '/api/stream') {
      const result = answerFor(request, body, response);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-conversation-id': result?.conversation.id ?? '' });
      response.write(': stream opened\n\n');
      response.write(`data: ${JSON.stringify({ meta: { conversation_id: result?.conversation.id } })}\n\n`);
      const words = (result?.answer ?? '').split(/(?<= )/);
      for (const word of words) response.write(`event: delta\ndata: ${JSON.stringify({ delta: { text: word } })}\n\n`);
      response.end('data: [DONE]\n\n');
      return;
    }
    json(404, { error: `no route ${request.method} ${url.pathname}` });
  });
  const { url, close } = await listen(server, '127.0.0.1', 0);
  return { origin: url.replace(/\/v1$/, ''), requests, conversations: () => opened, close };
}

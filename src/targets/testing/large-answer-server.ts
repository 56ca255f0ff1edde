import http from 'node:http';
import { listen } from '../http-listen.js';

/** A running large-answer server: `requests` counts chat requests. */
export interface LargeAnswerServer {
  url: string;
  stats(): { requests: number };
  close(): Promise<void>;
}

/**
 * Start an OpenAI-compatible server (127.0.0.1, free port) whose every chat answer (`GET …/models` gets a short list, not counted) is a chat completion with a message
 * `bytes` long, made of `unit` repeated, streamed in 64 KiB chunks with back-pressure (the server never holds the answer
 * in memory, so a 50 MB answer costs it nothing). `status` other than 200 sends the same body as an error answer.
 *
 * @example
 * const server = await startLargeAnswerServer({ bytes: 50 * 1024 * 1024 });
 * const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'big', maxResponseBytes: 65536 });
 */
export async function startLargeAnswerServer(options: { bytes: number; unit?: string; status?: number; withoutContent?: boolean }): Promise<LargeAnswerServer> {
  const unit = options.unit ?? 'A';
  const chunk = unit.repeat(Math.max(1, Math.floor(65536 / Buffer.byteLength(unit))));
  const stats = { requests: 0 };
  const server = http.createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"object":"list","data":[{"id":"large","object":"model"}]}');
      return;
    }
    stats.requests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(options.status ?? 200, { 'content-type': 'application/json' });
      const head = options.withoutContent
        ? '{"id":"chatcmpl-large","object":"chat.completion","padding":"'
        : '{"id":"chatcmpl-large","object":"chat.completion","model":"large","choices":[{"index":0,"message":{"role":"assistant","content":"';
      let sent = 0;
      const write = (text: string): boolean => response.write(text);
      write(head);
      const pump = (): void => {
        while (sent < options.bytes) {
          if (response.destroyed) return;
          sent += Buffer.byteLength(chunk);
          if (!write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end('"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}');
      };
      pump();
    });
  });
  const { url, close } = await listen(server, '127.0.0.1', 0);
  return { url, close, stats: () => ({ ...stats }) };
}

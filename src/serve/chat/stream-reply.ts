import { performance } from 'node:perf_hooks';
import type { Conversation } from '../../spec/message.js';
import { AbortedError, TargetError } from '../../spec/errors.js';
import { createTarget } from '../../targets/create-target.js';
import { MalformedBody, parseChatCompletion, serverErrorMessage } from '../../targets/chat-completion-body.js';
import { baseUrlsOf, type OpenAITargetConfig } from '../../targets/openai-target.js';
import type { ChatTarget } from './chat-targets.js';

/** Something to show while an answer arrives. */
export type ReplyEvent = { type: 'delta'; text: string } | { type: 'note'; text: string };

/** The whole answer once it has arrived. */
export interface FinishedReply {
  text: string;
  /** The server's finish reason (raw), `length` when the app cut the answer. */
  finishReason: string | null;
  /** True when the answer came in pieces; false when the target could not stream (it arrived whole). */
  streamed: boolean;
  latencyMs: number;
}

/** Answers longer than this are cut (and the cut said), so one answer cannot exhaust memory. */
export const MAX_REPLY_CHARACTERS = 200_000;

/**
 * Ask a chat target to answer a conversation, calling `onEvent` as text arrives. OpenAI-compatible targets are asked
 * to stream (`stream: true`, server-sent events); a server that answers with one JSON body anyway, and targets that
 * cannot stream (the in-process simulator, replays), give the whole answer at once with a note saying so.
 *
 * @throws TargetError naming the request when the server fails; AbortedError when `signal` fires.
 * @example
 * const reply = await streamReply(target, [{ role: 'user', content: 'Hello' }], (event) => console.log(event));
 */
export async function streamReply(target: ChatTarget, messages: Conversation, onEvent: (event: ReplyEvent) => void, signal?: AbortSignal): Promise<FinishedReply> {
  const started = performance.now();
  if (!target.canStream) {
    const built = createTarget(target.config);
    try {
      const response = await built.generate({ messages }, { signal });
      onEvent({ type: 'note', text: `${target.name} cannot stream: the answer arrives whole` });
      const text = clipReply(response.text, onEvent);
      onEvent({ type: 'delta', text });
      return { text, finishReason: text.length < response.text.length ? 'length' : response.finishReason.raw ?? response.finishReason.unified, streamed: false, latencyMs: performance.now() - started };
    } finally {
      await built.close?.();
    }
  }
  return streamOpenAI(target, messages, onEvent, started, signal);
}

function clipReply(text: string, onEvent: (event: ReplyEvent) => void): string {
  if (text.length <= MAX_REPLY_CHARACTERS) return text;
  onEvent({ type: 'note', text: `the answer was cut at ${MAX_REPLY_CHARACTERS} characters` });
  return text.slice(0, MAX_REPLY_CHARACTERS);
}

async function streamOpenAI(target: ChatTarget, messages: Conversation, onEvent: (event: ReplyEvent) => void, started: number, signal?: AbortSignal): Promise<FinishedReply> {
  const config = target.config as OpenAITargetConfig;
  // A target served by several endpoints streams from the first (serve's chats are one at a time per user).
  const url = `${baseUrlsOf(config.baseUrl!)[0]}/chat/completions`;
  const where = `POST ${url} (target '${target.name}')`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream, application/json', ...config.headers };
  if (config.apiKeyEnv) headers.authorization = `Bearer ${process.env[config.apiKeyEnv] ?? ''}`;
  const withSystem = config.systemPrompt === undefined ? messages : [{ role: 'system' as const, content: config.systemPrompt }, ...messages];
  const body = JSON.stringify({
    model: config.model,
    messages: withSystem,
    stream: true,
    temperature: config.params.temperature,
    top_p: config.params.topP,
    max_tokens: config.params.maxTokens,
    seed: config.params.seed,
    stop: config.params.stop,
  });
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: combined });
  } catch (error) {
    throw requestFailure(error, where, signal, config.timeoutMs);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new TargetError(`${where}: HTTP ${response.status}: ${serverErrorMessage(text)}`, { status: response.status, retryable: response.status === 429 || response.status >= 500 });
  }
  const type = response.headers.get('content-type') ?? '';
  try {
    if (!type.includes('text/event-stream')) {
      const whole = await readCapped(response);
      let parsed;
      try {
        parsed = parseChatCompletion(whole);
      } catch (error) {
        if (error instanceof MalformedBody) throw new TargetError(`${where}: ${error.message}`, { retryable: true });
        throw error;
      }
      onEvent({ type: 'note', text: `${target.name} did not stream: the answer arrives whole` });
      const text = clipReply(parsed.text, onEvent);
      onEvent({ type: 'delta', text });
      return { text, finishReason: text.length < parsed.text.length ? 'length' : parsed.finishReason.raw, streamed: false, latencyMs: performance.now() - started };
    }
    return await readEventStream(response, where, onEvent, started);
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw requestFailure(error, where, signal, config.timeoutMs);
  }
}

function requestFailure(error: unknown, where: string, signal: AbortSignal | undefined, timeoutMs: number): Error {
  if (signal?.aborted) return new AbortedError();
  if ((error as Error).name === 'TimeoutError') return new TargetError(`${where}: no answer within ${timeoutMs} ms`, { retryable: true });
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new TargetError(`${where}: ${cause?.code === 'ECONNREFUSED' ? 'connection refused (is the server running?)' : cause?.message ?? (error as Error).message}`, { retryable: true, cause: error });
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_REPLY_CHARACTERS * 4) {
      await reader.cancel();
      throw new TargetError(`the answer body is over ${MAX_REPLY_CHARACTERS * 4} characters; refused`, { retryable: false });
    }
  }
  return text + decoder.decode();
}

/** Read OpenAI-style server-sent events: `data: {choices:[{delta:{content}}]}` lines, ending with `data: [DONE]`. */
async function readEventStream(response: Response, where: string, onEvent: (event: ReplyEvent) => void, started: number): Promise<FinishedReply> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let finishReason: string | null = null;
  let cut = false;
  const handle = (line: string): boolean => {
    if (!line.startsWith('data:')) return false;
    const data = line.slice(5).trim();
    if (data === '[DONE]') return true;
    let event: { choices?: Array<{ delta?: { content?: unknown }; finish_reason?: unknown }>; error?: unknown };
    try {
      event = JSON.parse(data);
    } catch {
      throw new TargetError(`${where}: a streamed event is not JSON: ${data.slice(0, 80)}`, { retryable: true });
    }
    if (event.error !== undefined) throw new TargetError(`${where}: ${serverErrorMessage(JSON.stringify(event))}`, { retryable: false });
    const choice = event.choices?.[0];
    const piece = typeof choice?.delta?.content === 'string' ? choice.delta.content : '';
    if (typeof choice?.finish_reason === 'string') finishReason = choice.finish_reason;
    if (piece !== '') {
      const room = MAX_REPLY_CHARACTERS - text.length;
      const kept = piece.slice(0, Math.max(0, room));
      if (kept !== '') {
        text += kept;
        onEvent({ type: 'delta', text: kept });
      }
      if (kept.length < piece.length) {
        cut = true;
        return true;
      }
    }
    return false;
  };
  let finished = false;
  while (!finished) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while (!finished && (newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      finished = handle(line);
    }
  }
  if (!finished && buffer.trim() !== '') handle(buffer.trim());
  await reader.cancel().catch(() => undefined);
  if (cut) {
    onEvent({ type: 'note', text: `the answer was cut at ${MAX_REPLY_CHARACTERS} characters` });
    finishReason = 'length';
  }
  return { text, finishReason, streamed: true, latencyMs: performance.now() - started };
}

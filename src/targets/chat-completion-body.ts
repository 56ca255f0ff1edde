import { parse as parsePartialJson, Allow } from 'partial-json';
import type { FinishReason, TokenLogprob, Usage } from '../spec/target.js';
import { withoutDanglingSurrogate } from '../util/utf8-prefix.js';
import { mapFinishReason } from './finish-reason.js';

/** Raw finish reason recorded when redcard stopped reading an answer at `maxResponseBytes`. */
export const MAX_RESPONSE_BYTES_FINISH = 'redcard:max-response-bytes';

/** The fields we use from an OpenAI chat-completions answer. */
export interface ChatCompletionResult {
  text: string;
  finishReason: FinishReason;
  usage: Usage;
  model?: string;
  logprobs?: TokenLogprob[];
}

/** Tokens of an answer whose log-probabilities are kept (the choice letters of a feedback answer come first). */
const KEPT_LOGPROB_TOKENS = 16;

/**
 * The log-probabilities of a choice (`choices[0].logprobs.content`: `{token, logprob, top_logprobs: [{token,
 * logprob}]}` per token), the first KEPT_LOGPROB_TOKENS tokens; undefined when the server sent none or sent something
 * else (entries that are not numbers are left out).
 *
 * @example
 * readLogprobs({ content: [{ token: 'A', logprob: -0.1, top_logprobs: [{ token: 'A', logprob: -0.1 }] }] })
 * // [{ token: 'A', logprob: -0.1, top: [{ token: 'A', logprob: -0.1 }] }]
 */
export function readLogprobs(logprobs: unknown): TokenLogprob[] | undefined {
  const content = (logprobs as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content)) return undefined;
  const tokens: TokenLogprob[] = [];
  for (const entry of content.slice(0, KEPT_LOGPROB_TOKENS)) {
    const { token, logprob, top_logprobs: top } = (entry ?? {}) as { token?: unknown; logprob?: unknown; top_logprobs?: unknown };
    if (typeof token !== 'string' || typeof logprob !== 'number' || !Number.isFinite(logprob)) continue;
    const alternatives = Array.isArray(top)
      ? top.filter((candidate): candidate is { token: string; logprob: number } => typeof candidate?.token === 'string' && typeof candidate?.logprob === 'number' && Number.isFinite(candidate.logprob))
          .map((candidate) => ({ token: candidate.token, logprob: candidate.logprob }))
      : [];
    tokens.push({ token, logprob, top: alternatives });
  }
  return tokens.length > 0 ? tokens : undefined;
}

/**
 * Why a 2xx body could not be used. Retried by default (servers under load truncate or send partial bodies); not when
 * the body was cut at our own size cap, since asking again would read the same bytes.
 */
export class MalformedBody extends Error {
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

/**
 * Read an OpenAI chat-completions body. Throws MalformedBody for invalid JSON or a body without choices.
 *
 * @example
 * parseChatCompletion('{"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}]}').text // 'hi'
 */
export function parseChatCompletion(bodyText: string): ChatCompletionResult {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new MalformedBody(`invalid JSON body (${bodyText.length} bytes${bodyText.length === 0 ? '' : `: ${clip(bodyText, 80)}`})`);
  }
  return readChatCompletion(body, () => clip(bodyText, 120));
}

/**
 * Read an OpenAI chat-completions body already parsed (a Batch output line carries one). Throws MalformedBody for a
 * body without choices; `shown` gives the text quoted in that message.
 *
 * @example
 * readChatCompletion({ choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] }).text // 'hi'
 */
export function readChatCompletion(body: unknown, shown: () => string = () => clip(JSON.stringify(body) ?? String(body), 120)): ChatCompletionResult {
  const record = (body ?? {}) as Record<string, unknown>;
  const choices = record.choices;
  if (!Array.isArray(choices) || choices.length === 0 || typeof choices[0] !== 'object' || choices[0] === null) {
    throw new MalformedBody(`answer without choices: ${shown()}`);
  }
  const choice = choices[0] as { message?: { content?: unknown }; text?: unknown; finish_reason?: unknown; logprobs?: unknown };
  const content = choice.message?.content ?? choice.text;
  const usage = (record.usage ?? {}) as { prompt_tokens?: unknown; completion_tokens?: unknown };
  const logprobs = readLogprobs(choice.logprobs);
  return {
    ...(logprobs === undefined ? {} : { logprobs }),
    text: typeof content === 'string' ? content : '',
    finishReason: mapFinishReason(choice.finish_reason),
    usage: {
      promptTokens: Number.isInteger(usage.prompt_tokens) ? (usage.prompt_tokens as number) : null,
      completionTokens: Number.isInteger(usage.completion_tokens) ? (usage.completion_tokens as number) : null,
    },
    model: typeof record.model === 'string' ? record.model : undefined,
  };
}

/**
 * Read the first bytes of a chat-completions body that was cut at the size cap: the message content as far as it goes
 * (escapes decoded, a half escape dropped), finish reason `length` with raw `redcard:max-response-bytes`, no usage
 * (the server's figures come after the text, if at all). Throws MalformedBody when the cut-off part holds no content.
 *
 * @example
 * parseTruncatedChatCompletion('{"choices":[{"message":{"content":"Sure, here is a very long').text // 'Sure, here is a very long'
 */
export function parseTruncatedChatCompletion(bodyText: string): ChatCompletionResult {
  let body: unknown;
  try {
    body = parsePartialJson(bodyText, Allow.ALL);
  } catch {
    body = undefined;
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const choice = Array.isArray(record.choices) ? (record.choices[0] as { message?: { content?: unknown }; text?: unknown } | undefined) : undefined;
  const content = choice?.message?.content ?? choice?.text;
  if (typeof content !== 'string') {
    throw new MalformedBody(`no message content in the first ${Buffer.byteLength(bodyText)} bytes of an answer over max-response-bytes`, false);
  }
  return {
    text: withoutDanglingSurrogate(content),
    finishReason: { unified: 'length', raw: MAX_RESPONSE_BYTES_FINISH },
    usage: { promptTokens: null, completionTokens: null },
    model: typeof record.model === 'string' ? record.model : undefined,
  };
}

/**
 * The server's own error message from an error body: OpenAI-style `{error:{message}}`, `{error:"..."}`,
 * `{message}` or `{detail}`, else the raw text; clipped.
 *
 * @example
 * serverErrorMessage('{"error":{"message":"model not found"}}') // 'model not found'
 */
export function serverErrorMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const error = body.error as { message?: unknown } | string | undefined;
    if (typeof error === 'string') return clip(error, 300);
    if (error && typeof error.message === 'string') return clip(error.message, 300);
    if (typeof body.message === 'string') return clip(body.message, 300);
    if (typeof body.detail === 'string') return clip(body.detail, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = bodyText.trim();
  return text === '' ? '(empty body)' : clip(text.replace(/\s+/g, ' '), 300);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

import { validateHeaderName, validateHeaderValue } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import { z } from 'zod';
import { MAX_TIMER_MS, TIMER_LIMIT_MESSAGE } from '../util/timer-limit.js';
import { DEFAULT_MAX_RESPONSE_BYTES, defineTargetKind, type TargetConfig } from '../spec/target-config.js';
import { AbortedError, ConfigError, TargetError } from '../spec/errors.js';
import { createAgent, httpPost, NetworkFailure, type HttpAnswer } from './http-post.js';
import { MalformedBody, parseChatCompletion, parseTruncatedChatCompletion, serverErrorMessage } from './chat-completion-body.js';
import { backoffDelayMs, retryAfterMs } from './retry-delay.js';
import { RequestLimiter } from './request-limiter.js';
import { abortableSleep } from './abortable-sleep.js';
import { stableIdentity } from './stable-identity.js';
import { checkReachable } from './check-reachable.js';

/** The fewest requests per minute whose gap (60000 / rpm ms) still fits a Node timer. */
const MIN_RPM = Math.ceil((60_000 / MAX_TIMER_MS) * 1e6) / 1e6;

/** Settings of the `openai` kind, beside the common ones (model, system prompt, concurrency, params). */
export const OpenAITargetSettingsSchema = z.object({
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1`. Not part of the model's identity: a server that moves keeps its cache and runs. */
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable holding the API key; the key itself is never stored. */
  apiKeyEnv: z.string().optional(),
  /** Extra HTTP headers, sent with every request. Values are stored only for names in `publicHeaders`. */
  headers: z.record(z.string(), z.string()).default({}),
  /**
   * Names of `headers` (case-insensitive) whose values may be stored in run records and reports. Every other header
   * value is sent but never stored, and names that look secret (`Authorization`, `*-Key`, `*Token*`, `Cookie`…) are
   * never stored even when listed here.
   */
  publicHeaders: z.array(z.string().min(1)).default([]),
  /** In stored run settings only: names of headers that were sent but whose values were not stored (resume asks for them). */
  withheldHeaders: z.array(z.string()).optional(),
  /** Per-request timeout in milliseconds, at most 2^31 − 1 (about 24.8 days, the longest timer Node can set). */
  timeoutMs: z.number().int().positive().max(MAX_TIMER_MS, TIMER_LIMIT_MESSAGE).default(120_000),
  /** Retries after the first try for retryable failures (429, 408, 5xx, network errors, malformed bodies). */
  maxRetries: z.number().int().min(0).default(6),
  /**
   * Largest answer body read, in bytes (default 1 MiB). Past it the connection is closed, the answer's text is what
   * arrived (cut at a character boundary), recorded with finish reason `length` (raw `redcard:max-response-bytes`),
   * and the request is not retried.
   */
  maxResponseBytes: z.number().int().min(1024).default(DEFAULT_MAX_RESPONSE_BYTES),
  /** Requests per minute at most (unset: unlimited); the gap between requests must fit a Node timer. */
  rpm: z.number().min(MIN_RPM, `must be at least ${MIN_RPM} (one request per ~24.8 days, the longest timer Node can set)`).optional(),
});
export type OpenAITargetConfig = TargetConfig<z.infer<typeof OpenAITargetSettingsSchema>>;

/** Backoff settings; tests shorten them. */
export interface RetryTuning {
  /** First backoff ceiling in ms (doubles per retry, full jitter). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms. */
  maxDelayMs: number;
  /** Largest `Retry-After` we wait for in ms. */
  maxRetryAfterMs: number;
}

const DEFAULT_TUNING: RetryTuning = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** One failed try: what to say, whether to try again, and how long the server asked us to wait. */
interface TryFailure {
  reason: string;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  network?: boolean;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Build an OpenAI-compatible chat-completions target (vLLM, llama.cpp server, Ollama /v1, TGI, LM Studio, OpenAI).
 *
 * @example
 * const target = createOpenAITarget(parseTargetConfig({ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' }) as OpenAITargetConfig);
 */
export function createOpenAITarget(config: OpenAITargetConfig, tuning: Partial<RetryTuning> = {}, env: NodeJS.ProcessEnv = process.env): Target {
  const retry = { ...DEFAULT_TUNING, ...tuning };
  if (config.baseUrl === undefined) {
    throw new ConfigError("the openai target needs a base URL (e.g. 'http://127.0.0.1:8000/v1')", { field: 'target.baseUrl' });
  }
  if (config.model === undefined || config.model === '') {
    throw new ConfigError('the openai target needs a model name (the name the server knows it by)', { field: 'target.model' });
  }
  const model = config.model;
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const url = new URL(`${baseUrl}/chat/completions`);
  const headers: Record<string, string> = { ...config.headers };
  for (const [name, value] of Object.entries(headers)) {
    // Checked once here, so a bad header (a space in the name, a CR/LF in the value) is a config error, not 1 error per request.
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new ConfigError(`header '${name.replace(/[^\x20-\x7e]/g, '?')}' is not a valid HTTP header (names are letters, digits and !#$%&'*+-.^_\`|~; values have no line breaks or control characters)`, { field: 'target.headers' });
    }
  }
  if (config.apiKeyEnv !== undefined) {
    const key = env[config.apiKeyEnv];
    if (key === undefined || key === '') {
      throw new ConfigError(`environment variable ${config.apiKeyEnv} (the API key) is not set`, { field: 'target.apiKeyEnv' });
    }
    headers.authorization = `Bearer ${key}`;
  }
  const agent = createAgent(url, config.concurrency);
  const limiter = new RequestLimiter(config.concurrency, config.rpm);
  const where = `POST ${url.href} (model '${model}')`;

  const buildBody = (request: GenerateRequest): string => {
    const params = config.params;
    const messages = config.systemPrompt === undefined
      ? request.messages
      : [{ role: 'system', content: config.systemPrompt }, ...request.messages];
    const seed = request.seed ?? (params.seed === undefined ? undefined : params.seed + (request.sample ?? 0));
    return JSON.stringify({
      model,
      messages,
      temperature: request.temperature ?? params.temperature,
      top_p: request.topP ?? params.topP,
      max_tokens: request.maxTokens ?? params.maxTokens,
      seed,
      stop: request.stop ?? params.stop,
      ...(request.topLogprobs === undefined ? {} : { logprobs: true, top_logprobs: request.topLogprobs }),
    });
  };

  const judgeAnswer = (answer: HttpAnswer): TryFailure | undefined => {
    if (answer.status >= 200 && answer.status < 300) return undefined;
    return {
      reason: `HTTP ${answer.status}: ${serverErrorMessage(answer.text)}`,
      retryable: isRetryableStatus(answer.status),
      status: answer.status,
      retryAfterMs: retryAfterMs(answer.headers['retry-after']),
    };
  };

  const describeFailure = (failure: TryFailure, tries: number): string => {
    const gaveUp = failure.retryable && tries > 1 ? ` (gave up after ${tries} tries)` : '';
    if (failure.network && failure.reason.startsWith('connection refused')) {
      return `cannot reach ${url.href}: ${failure.reason} [POST, model '${model}']${gaveUp}`;
    }
    return `${where}: ${failure.reason}${gaveUp}`;
  };

  let simulated = false;
  return {
    kind: 'openai',
    label: `openai:${model}@${baseUrl}`,
    // Not the base URL: a server that moves (new port, new host) keeps its cache and its resumable runs.
    identity: stableIdentity({ kind: 'openai', name: config.name, model, systemPrompt: config.systemPrompt ?? null, params: config.params }),
    get simulated() {
      return simulated;
    },
    concurrency: config.concurrency,

    async probe(options = {}): Promise<void> {
      const probe = await checkReachable(baseUrl, { headers, timeoutMs: Math.min(config.timeoutMs, 5000), signal: options.signal });
      simulated = probe.simulated;
    },

    async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResponse> {
      const { signal, onRetry } = options;
      const body = buildBody(request);
      const maxTries = config.maxRetries + 1;
      for (let tries = 1; ; tries += 1) {
        let failure: TryFailure;
        const release = await limiter.acquire(signal);
        const started = performance.now();
        try {
          const answer = await httpPost(url, body, { headers, agent, timeoutMs: config.timeoutMs, signal, maxBytes: config.maxResponseBytes });
          const latencyMs = performance.now() - started;
          const httpFailure = judgeAnswer(answer);
          if (httpFailure === undefined) {
            // An answer over the cap is kept as far as it goes and never retried: asking again would cost as much.
            const result = answer.truncated ? parseTruncatedChatCompletion(answer.text) : parseChatCompletion(answer.text);
            return { ...result, latencyMs };
          }
          failure = httpFailure;
        } catch (error) {
          if (error instanceof AbortedError) throw error;
          if (error instanceof NetworkFailure) failure = { reason: error.message, retryable: true, network: true };
          else if (error instanceof MalformedBody) failure = { reason: error.message, retryable: error.retryable };
          else throw error;
        } finally {
          release();
        }
        if (!failure.retryable || tries >= maxTries) {
          throw new TargetError(describeFailure(failure, tries), {
            status: failure.status,
            retryable: failure.retryable,
            retryAfterMs: failure.retryAfterMs,
            tries,
          });
        }
        const delayMs = failure.retryAfterMs !== undefined
          ? Math.min(failure.retryAfterMs, retry.maxRetryAfterMs)
          : backoffDelayMs(tries - 1, retry.baseDelayMs, retry.maxDelayMs);
        onRetry?.({ attempt: tries, delayMs, reason: failure.reason });
        await abortableSleep(delayMs, signal);
      }
    },

    async close(): Promise<void> {
      agent.destroy();
    },
  };
}

/** The `openai` target kind. */
export const openaiTargetKind = defineTargetKind({
  kind: 'openai',
  description: 'Any OpenAI-compatible chat-completions server (vLLM, llama.cpp server, Ollama /v1, TGI, LM Studio, OpenAI).',
  settings: OpenAITargetSettingsSchema,
  specKeys: {
    'base-url': { field: 'baseUrl', type: 'string' },
    'api-key-env': { field: 'apiKeyEnv', type: 'string' },
    'timeout-ms': { field: 'timeoutMs', type: 'integer' },
    'max-retries': { field: 'maxRetries', type: 'integer' },
    'max-response-bytes': { field: 'maxResponseBytes', type: 'integer' },
    rpm: { field: 'rpm', type: 'number' },
  },
  create: (config) => createOpenAITarget(config),
});

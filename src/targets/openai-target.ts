import { validateHeaderName, validateHeaderValue } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import { defineTargetKind, type TargetConfig } from '../spec/target-config.js';
import { AbortedError, ConfigError, TargetError } from '../spec/errors.js';
import { createAgent, httpPost, NetworkFailure, type HttpAnswer } from './http-post.js';
import { MalformedBody, parseChatCompletion, parseTruncatedChatCompletion, serverErrorMessage } from './chat-completion-body.js';
import { backoffDelayMs, retryAfterMs } from './retry-delay.js';
import { RequestLimiter } from './request-limiter.js';
import { abortableSleep } from './abortable-sleep.js';
import { stableIdentity } from './stable-identity.js';
import { checkReachable } from './check-reachable.js';

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
 * const target = createOpenAITarget(TargetConfigSchema.parse({ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' }));
 */
export function createOpenAITarget(config: TargetConfig, tuning: Partial<RetryTuning> = {}, env: NodeJS.ProcessEnv = process.env): Target {
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
    identity: stableIdentity({ kind: 'openai', baseUrl, model, systemPrompt: config.systemPrompt ?? null, params: config.params }),
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
  create: (config) => createOpenAITarget(config),
});

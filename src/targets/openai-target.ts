import { validateHeaderName, validateHeaderValue } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import { z } from 'zod';
import { MAX_TIMER_MS, TIMER_LIMIT_MESSAGE } from '../util/timer-limit.js';
import { DEFAULT_MAX_RESPONSE_BYTES, defineTargetKind, type TargetConfig } from '../spec/target-config.js';
import { AbortedError, ConfigError, TargetError } from '../spec/errors.js';
import { httpPost } from './http-post.js';
import { parseChatCompletion, parseTruncatedChatCompletion } from './chat-completion-body.js';
import { backoffDelayMs } from './retry-delay.js';
import { DEFAULT_RETRY_TUNING, httpAnswerFailure, thrownFailure, type RetryTuning, type TryFailure } from './retrying-request.js';
import { EndpointPool, type Endpoint, type TryOutcome } from './endpoint-pool.js';
import { RequestLimiter } from './request-limiter.js';
import { abortableSleep } from './abortable-sleep.js';
import { stableIdentity } from './stable-identity.js';
import { checkReachable } from './check-reachable.js';

/** The fewest requests per minute whose gap (60000 / rpm ms) still fits a Node timer. */
const MIN_RPM = Math.ceil((60_000 / MAX_TIMER_MS) * 1e6) / 1e6;

/** Settings of the `openai` kind, beside the common ones (model, system prompt, concurrency, params). */
export const OpenAITargetSettingsSchema = z.object({
  /**
   * Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1`; or several servers of one model (a list,
   * or URLs separated by `,` or `|`): each gets `concurrency` requests in flight, a request goes to the one with the
   * fewest, and one that fails at the network level is left out for a while (its requests go to the others). Not part
   * of the model's identity: a server that moves keeps its cache and runs.
   */
  baseUrl: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).superRefine((value, context) => {
    // Checked as the settings are read, so that a config file's error names the field and its line.
    try {
      baseUrlsOf(value);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      context.addIssue({ code: 'custom', message: error.message.replace(/^field '[^']*': /, '') });
    }
  }).optional(),
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

export type { RetryTuning } from './retrying-request.js';

/** The base URLs of a config: one, or several (a list, or separated by `,` or `|`), each a valid http(s) URL. */
export function baseUrlsOf(baseUrl: string | string[]): string[] {
  const urls = (Array.isArray(baseUrl) ? baseUrl : [baseUrl]).flatMap((entry) => entry.split(/[,|]/)).map((entry) => entry.trim().replace(/\/+$/, '')).filter((entry) => entry !== '');
  for (const url of urls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new ConfigError(`'${url}' is not an http or https URL (expected e.g. http://127.0.0.1:8000/v1)`, { field: 'target.baseUrl' });
    }
  }
  if (new Set(urls).size !== urls.length) throw new ConfigError('the same base URL is listed twice', { field: 'target.baseUrl' });
  if (urls.length === 0) throw new ConfigError("the openai target needs a base URL (e.g. 'http://127.0.0.1:8000/v1')", { field: 'target.baseUrl' });
  return urls;
}

/**
 * Build an OpenAI-compatible chat-completions target (vLLM, llama.cpp server, Ollama /v1, TGI, LM Studio, OpenAI).
 *
 * @example
 * const target = createOpenAITarget(parseTargetConfig({ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' }) as OpenAITargetConfig);
 */
export function createOpenAITarget(config: OpenAITargetConfig, tuning: Partial<RetryTuning> & { endpointCooldownMs?: number } = {}, env: NodeJS.ProcessEnv = process.env): Target {
  const retry = { ...DEFAULT_RETRY_TUNING, ...tuning };
  if (config.baseUrl === undefined) {
    throw new ConfigError("the openai target needs a base URL (e.g. 'http://127.0.0.1:8000/v1')", { field: 'target.baseUrl' });
  }
  if (config.model === undefined || config.model === '') {
    throw new ConfigError('the openai target needs a model name (the name the server knows it by)', { field: 'target.model' });
  }
  const model = config.model;
  const baseUrls = baseUrlsOf(config.baseUrl);
  const baseUrl = baseUrls[0];
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
  const pool = new EndpointPool(baseUrls, config.concurrency, tuning.endpointCooldownMs === undefined ? {} : { cooldownMs: tuning.endpointCooldownMs });
  // The rate limit is the model's, over every endpoint; concurrency is per endpoint (the pool's).
  const limiter = new RequestLimiter(pool.capacity, config.rpm);

  const buildBody = (request: GenerateRequest): Record<string, unknown> => {
    const params = config.params;
    const messages = config.systemPrompt === undefined
      ? request.messages
      : [{ role: 'system', content: config.systemPrompt }, ...request.messages];
    const seed = request.seed ?? (params.seed === undefined ? undefined : params.seed + (request.sample ?? 0));
    const body: Record<string, unknown> = {
      model,
      messages,
      temperature: request.temperature ?? params.temperature,
      top_p: request.topP ?? params.topP,
      max_tokens: request.maxTokens ?? params.maxTokens,
      seed,
      stop: request.stop ?? params.stop,
      ...(request.topLogprobs === undefined ? {} : { logprobs: true, top_logprobs: request.topLogprobs }),
    };
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    return body;
  };

  const describeFailure = (failure: TryFailure, tries: number, endpoint: Endpoint): string => {
    const gaveUp = failure.retryable && tries > 1 ? ` (gave up after ${tries} tries${pool.size > 1 ? ` over ${pool.size} endpoints` : ''})` : '';
    if (failure.network && failure.reason.startsWith('connection refused')) {
      return `cannot reach ${endpoint.chatUrl.href}: ${failure.reason} [POST, model '${model}']${gaveUp}`;
    }
    return `POST ${endpoint.chatUrl.href} (model '${model}'): ${failure.reason}${gaveUp}`;
  };

  let simulated = false;
  return {
    kind: 'openai',
    label: `openai:${model}@${baseUrl}${baseUrls.length > 1 ? ` +${baseUrls.length - 1}` : ''}`,
    // Not the base URL: a server that moves (new port, new host) keeps its cache and its resumable runs.
    identity: stableIdentity({ kind: 'openai', name: config.name, model, systemPrompt: config.systemPrompt ?? null, params: config.params }),
    get simulated() {
      return simulated;
    },
    concurrency: pool.capacity,

    async probe(options = {}): Promise<void> {
      // Every endpoint is probed; the scan starts when at least one answers (the others are tried again as it runs).
      let reached = 0;
      let firstFailure: unknown;
      for (const endpointUrl of baseUrls) {
        try {
          const probe = await checkReachable(endpointUrl, { headers, timeoutMs: Math.min(config.timeoutMs, 5000), signal: options.signal });
          simulated ||= probe.simulated;
          reached += 1;
        } catch (error) {
          if (error instanceof AbortedError || baseUrls.length === 1) throw error;
          firstFailure ??= error;
        }
      }
      if (reached === 0) throw new TargetError(`none of the ${baseUrls.length} endpoints can be reached; first: ${(firstFailure as Error).message}`, { retryable: false });
    },

    batchRequest: (request) => ({ url: '/v1/chat/completions', body: buildBody(request) }),

    endpointStats: () => pool.stats(),

    async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResponse> {
      const { signal, onRetry } = options;
      const body = JSON.stringify(buildBody(request));
      const maxTries = config.maxRetries + 1;
      let avoid: Endpoint | undefined;
      // A try that fails at the network level while another endpoint is up moves there at once, without counting as
      // a retry; at most once per endpoint and try, so a fleet that is going down still ends in an error.
      let failovers = 0;
      for (let tries = 1; ; ) {
        let failure: TryFailure;
        const release = await limiter.acquire(signal);
        let endpoint: Endpoint;
        try {
          endpoint = await pool.acquire(signal, avoid);
        } catch (error) {
          release();
          throw error;
        }
        let outcome: TryOutcome = 'failed';
        let failingOver = false;
        const started = performance.now();
        try {
          const answer = await httpPost(endpoint.chatUrl, body, { headers, agent: endpoint.agent, timeoutMs: config.timeoutMs, signal, maxBytes: config.maxResponseBytes });
          const latencyMs = performance.now() - started;
          const httpFailure = httpAnswerFailure(answer);
          if (httpFailure === undefined) {
            // An answer over the cap is kept as far as it goes and never retried: asking again would cost as much.
            const result = answer.truncated ? parseTruncatedChatCompletion(answer.text) : parseChatCompletion(answer.text);
            outcome = 'answered';
            return { ...result, latencyMs };
          }
          failure = httpFailure;
        } catch (error) {
          failure = thrownFailure(error);
          if (failure.network) outcome = 'network-failure';
        } finally {
          failingOver = outcome === 'network-failure' && pool.hasOtherUp(endpoint) && failovers < pool.size * maxTries;
          pool.release(endpoint, outcome, failingOver);
          release();
        }
        avoid = endpoint;
        if (failingOver) {
          failovers += 1;
          onRetry?.({ attempt: tries, delayMs: 0, reason: `${failure.reason} at ${endpoint.url}; trying another endpoint` });
          continue;
        }
        if (!failure.retryable || tries >= maxTries) {
          throw new TargetError(describeFailure(failure, tries, endpoint), {
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
        tries += 1;
      }
    },

    async close(): Promise<void> {
      pool.destroy();
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

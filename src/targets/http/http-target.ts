import { validateHeaderName, validateHeaderValue } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { ConfigError } from '../../spec/errors.js';
import { defineTargetKind } from '../../spec/target-config.js';
import { lastUserText, type Message } from '../../spec/message.js';
import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../../spec/target.js';
import { MAX_TIMER_MS } from '../../util/timer-limit.js';
import { readTextFile } from '../../util/read-text-file.js';
import { MalformedBody } from '../chat-completion-body.js';
import { createAgent, httpRequest, type HttpAnswer } from '../http-post.js';
import { RequestLimiter } from '../request-limiter.js';
import { DEFAULT_RETRY_TUNING, httpAnswerFailure, sendWithRetries, type RetryTuning, type TryFailure } from '../retrying-request.js';
import { stableIdentity } from '../stable-identity.js';
import { compileBodyTemplate, compileTextTemplate, type CompiledTemplate, type TemplateVariables } from './body-template.js';
import { applySetCookie, cookieHeader, HttpSessions, type HttpSession } from './http-sessions.js';
import { compileResponsePath, type ResponsePath } from './response-path.js';
import { sseEventData } from './sse-events.js';

const TIMER_MESSAGE = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node can set`;

/** Settings of the `http` kind, beside the common ones (name, system prompt, concurrency). */
export const HttpTargetSettingsSchema = z.object({
  /** The application's URL. May hold `{{session}}` or `{{prompt}}` (URL-encoded), e.g. `http://127.0.0.1:3000/chat/{{session}}`. */
  url: z.string().min(1).optional(),
  /** HTTP method. `GET` sends no body (put `{{prompt}}` in the URL). */
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET']).default('POST'),
  /** Request body template: JSON text or an object with `{{prompt}}`, `{{messages}}`, `{{system}}`, `{{session}}` (docs/targets.md). */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  /** A file holding the body template (JSON with placeholders), instead of `body`. */
  bodyFile: z.string().min(1).optional(),
  /** Where the answer text is in the response: a JSONPath-like path (`$.answer`, `$.choices[0].message.content`); `$` is the whole body. */
  responsePath: z.string().default('$'),
  /** Extra HTTP headers. Values may hold `{{session}}`. Values are stored only for names in `publicHeaders`. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Names of `headers` whose values may be stored (names that look secret never are). */
  publicHeaders: z.array(z.string().min(1)).default([]),
  /** In stored run settings only: names of headers that were sent but whose values were not stored. */
  withheldHeaders: z.array(z.string()).optional(),
  /** Headers whose values come from environment variables (`{ X-Api-Key: APP_KEY }`): only the variable's name is stored. */
  headerEnv: z.record(z.string(), z.string().min(1)).default({}),
  /** Name of an environment variable holding a bearer token (`Authorization: Bearer …`). */
  apiKeyEnv: z.string().optional(),
  /** Multi-turn sessions: send back the cookies the application sets, and/or take a conversation id from its first answer. */
  session: z
    .object({
      /** Send back cookies set by the application (`Set-Cookie`) on the following turns of the same conversation. */
      cookie: z.boolean().default(false),
      /** Path of the conversation id in an answer (`$.conversation_id`); `{{session}}` is that id afterwards (null before). */
      idPath: z.string().optional(),
      /** Or the response header that carries the conversation id. */
      idHeader: z.string().optional(),
    })
    .strict()
    .optional(),
  /** Ask for a streamed answer (`Accept: text/event-stream`). An SSE answer is read event by event whether asked for or not. */
  stream: z.boolean().default(false),
  /** Per-request timeout in milliseconds. */
  timeoutMs: z.number().int().positive().max(MAX_TIMER_MS, TIMER_MESSAGE).default(120_000),
  /** Retries after the first try for retryable failures (429, 408, 5xx, network errors, unreadable bodies). */
  maxRetries: z.number().int().min(0).default(6),
  /** Requests per minute at most (unset: unlimited). */
  rpm: z.number().positive().optional(),
  /** Largest answer accepted, in bytes (default 16 MiB); a larger one is an error, not retried. */
  maxResponseBytes: z.number().int().positive().default(16 * 1024 * 1024),
});
export type HttpTargetSettings = z.infer<typeof HttpTargetSettingsSchema>;

/** A validated `http` target config: the kind's settings plus the common ones it uses. */
export interface HttpTargetConfig extends HttpTargetSettings {
  name?: string;
  systemPrompt?: string;
  concurrency: number;
}

/** What `createHttpTarget` reads besides the config. */
export interface HttpTargetOptions {
  tuning?: Partial<RetryTuning>;
  env?: NodeJS.ProcessEnv;
  /** Directory `bodyFile` is resolved against (default: the process's). */
  cwd?: string;
}

/** A request that got a usable answer. */
interface SentRequest {
  answer: HttpAnswer;
  latencyMs: number;
  extracted: { text: string; events?: unknown[]; body?: unknown };
}

const SAMPLE_VARIABLES: TemplateVariables = { prompt: 'probe', messages: [], system: null, session: 'session-1' };

function loadBodyTemplate(config: HttpTargetConfig, cwd: string): { template: CompiledTemplate | undefined; source: string | null } {
  if (config.body !== undefined && config.bodyFile !== undefined) {
    throw new ConfigError('set either body or bodyFile, not both', { field: 'target.bodyFile' });
  }
  if (config.method === 'GET') {
    if (config.body !== undefined || config.bodyFile !== undefined) throw new ConfigError('a GET request has no body; put {{prompt}} in the url', { field: 'target.body' });
    return { template: undefined, source: null };
  }
  if (config.bodyFile !== undefined) {
    const text = readTextFile(resolve(cwd, config.bodyFile));
    return { template: compileBodyTemplate(text, 'target.bodyFile'), source: text };
  }
  if (config.body === undefined) {
    throw new ConfigError('the http target needs a body template, e.g. body: \'{"message": "{{prompt}}"}\' (or bodyFile)', { field: 'target.body' });
  }
  return { template: compileBodyTemplate(config.body, 'target.body'), source: typeof config.body === 'string' ? config.body : JSON.stringify(config.body) };
}

function checkHeader(name: string, value: string, field: string): void {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  } catch {
    throw new ConfigError(`header '${name.replace(/[^\x20-\x7e]/g, '?')}' is not a valid HTTP header (names are letters, digits and !#$%&'*+-.^_\`|~; values have no line breaks or control characters)`, { field });
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

/** Parse a JSON answer body, or MalformedBody (retried: servers under load truncate). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedBody(`invalid JSON body (${text.length} bytes${text.length === 0 ? '' : `: ${clip(text, 80)}`})`);
  }
}

/** The answer text: the value at the response path, as text. Throws MalformedBody or returns a failure naming the path. */
function extractText(answer: HttpAnswer, path: ResponsePath): { text: string; events?: unknown[]; body?: unknown } | { missing: string } {
  const contentType = String(answer.headers['content-type'] ?? '').toLowerCase();
  const whole = path.steps.length === 0;
  if (contentType.includes('text/event-stream')) {
    const events = sseEventData(answer.text).filter((data) => data.trim() !== '[DONE]');
    let text = '';
    let matched = 0;
    const parsed: unknown[] = [];
    for (const data of events) {
      let value: unknown = data;
      try {
        value = JSON.parse(data);
      } catch {
        if (!whole) continue; // a keep-alive or status line: only `$` takes raw text
      }
      parsed.push(value);
      const found = path.read(value);
      if (!found.found || found.value === null || found.value === undefined) continue;
      if (typeof found.value === 'object') return { missing: `${path.source} (matched an object, not text)` };
      text += String(found.value);
      matched += 1;
    }
    if (matched === 0 && events.length > 0) return { missing: `${path.source} (in none of ${events.length} events)` };
    return { text, events: parsed };
  }
  if (whole && !contentType.includes('json')) return { text: answer.text };
  const body = parseJson(answer.text);
  const found = path.read(body);
  if (!found.found) return { missing: found.missing };
  if (found.value === null) return { text: '', body };
  if (typeof found.value === 'object') return { missing: `${path.source} (matched ${Array.isArray(found.value) ? 'an array' : 'an object'}, not text)` };
  return { text: String(found.value), body };
}

/**
 * Build a target for a deployed application over HTTP (a RAG bot, a gateway, a guardrailed API): the request is built
 * from a body template, the answer is read at a response path, and multi-turn conversations keep the application's
 * session (a cookie, or a conversation id from its first answer). Secrets come from the environment and are never
 * stored. A malformed template, path, URL or header is a ConfigError naming the field.
 *
 * @example
 * const target = createHttpTarget({ url: 'http://127.0.0.1:3000/chat', body: '{"message": "{{prompt}}"}',
 *   responsePath: '$.reply', ...defaults });
 * (await target.generate({ messages: [{ role: 'user', content: 'Hello' }] })).text
 */
export function createHttpTarget(config: HttpTargetConfig, options: HttpTargetOptions = {}): Target {
  const env = options.env ?? process.env;
  const tuning = { ...DEFAULT_RETRY_TUNING, ...options.tuning };
  if (config.url === undefined) {
    throw new ConfigError("the http target needs the application's url ('http:URL' or url: in the config)", { field: 'target.url' });
  }
  const urlTemplate = compileTextTemplate(config.url, 'target.url', 'url');
  let sampleUrl: URL;
  try {
    sampleUrl = new URL(urlTemplate.render(SAMPLE_VARIABLES));
  } catch {
    throw new ConfigError(`'${config.url}' is not a URL (expected e.g. http://127.0.0.1:3000/chat)`, { field: 'target.url' });
  }
  if (sampleUrl.protocol !== 'http:' && sampleUrl.protocol !== 'https:') {
    throw new ConfigError(`'${config.url}' is not an http or https URL`, { field: 'target.url' });
  }
  const { template: bodyTemplate, source: bodySource } = loadBodyTemplate(config, options.cwd ?? process.cwd());
  if (config.method === 'GET' && !urlTemplate.uses.has('prompt') && !urlTemplate.uses.has('messages')) {
    throw new ConfigError('a GET request sends the prompt in the url: put {{prompt}} in it', { field: 'target.url' });
  }
  const responsePath = compileResponsePath(config.responsePath, 'target.responsePath');
  const sessionIdPath = config.session?.idPath === undefined ? undefined : compileResponsePath(config.session.idPath, 'target.session.idPath');
  const sessionIdHeader = config.session?.idHeader?.toLowerCase();
  const usesSessions = config.session !== undefined && (config.session.cookie || sessionIdPath !== undefined || sessionIdHeader !== undefined);

  const headerTemplates: Array<[string, CompiledTemplate]> = [];
  for (const [name, value] of Object.entries(config.headers)) {
    const template = compileTextTemplate(value, `target.headers.${name}`, 'header');
    checkHeader(name, template.render(SAMPLE_VARIABLES), 'target.headers');
    headerTemplates.push([name, template]);
  }
  const fixedHeaders: Record<string, string> = {};
  for (const [name, variable] of Object.entries(config.headerEnv)) {
    const value = env[variable];
    if (value === undefined || value === '') {
      throw new ConfigError(`environment variable ${variable} (header ${name}) is not set`, { field: `target.headerEnv.${name}` });
    }
    checkHeader(name, value, `target.headerEnv.${name}`);
    fixedHeaders[name] = value;
  }
  if (config.apiKeyEnv !== undefined) {
    const key = env[config.apiKeyEnv];
    if (key === undefined || key === '') {
      throw new ConfigError(`environment variable ${config.apiKeyEnv} (the API key) is not set`, { field: 'target.apiKeyEnv' });
    }
    fixedHeaders.authorization = `Bearer ${key}`;
  }
  if (config.stream) fixedHeaders.accept = 'text/event-stream';

  const agent = createAgent(sampleUrl, config.concurrency);
  const limiter = new RequestLimiter(config.concurrency, config.rpm);
  const sessions = new HttpSessions();
  const shownName = config.name ?? config.url;

  const send = async (request: GenerateRequest, messages: Message[], session: HttpSession, generateOptions: GenerateOptions): Promise<SentRequest> => {
    const variables: TemplateVariables = { prompt: lastUserText(request.messages), messages, system: config.systemPrompt ?? null, session: session.id };
    const url = new URL(urlTemplate.render(variables));
    const headers: Record<string, string> = {};
    for (const [name, template] of headerTemplates) headers[name] = template.render(variables);
    Object.assign(headers, fixedHeaders);
    const cookies = config.session?.cookie ? cookieHeader(session.cookies) : undefined;
    if (cookies !== undefined) headers.cookie = cookies;
    const body = bodyTemplate?.render(variables);
    const where = `${config.method} ${url.origin}${url.pathname} (http target '${shownName}')`;
    return sendWithRetries<SentRequest>(
      {
        maxRetries: config.maxRetries,
        tuning,
        limiter,
        async tryOnce(signal) {
          const started = performance.now();
          const answer = await httpRequest(config.method, url, body, { headers, agent, timeoutMs: config.timeoutMs, signal, maxBytes: config.maxResponseBytes });
          if (answer.truncated) {
            return { failure: { reason: `the answer is larger than ${config.maxResponseBytes} bytes (maxResponseBytes); the rest was not read`, retryable: false } };
          }
          const failure: TryFailure | undefined = httpAnswerFailure(answer);
          if (failure !== undefined) return { failure };
          const extracted = extractText(answer, responsePath);
          if ('missing' in extracted) {
            return { failure: { reason: `the answer has no ${extracted.missing} (responsePath ${responsePath.source}); it began: ${clip(answer.text, 160)}`, retryable: false } };
          }
          return { result: { answer, extracted, latencyMs: performance.now() - started } };
        },
        describe: (failure, tries) => `${where}: ${failure.reason}${failure.retryable && tries > 1 ? ` (gave up after ${tries} tries)` : ''}`,
      },
      generateOptions,
    );
  };

  const updateSession = (session: HttpSession, answer: HttpAnswer, extracted: { events?: unknown[]; body?: unknown }): void => {
    if (config.session?.cookie) applySetCookie(session.cookies, answer.headers['set-cookie']);
    if (sessionIdHeader !== undefined) {
      const value = answer.headers[sessionIdHeader];
      const id = Array.isArray(value) ? value[0] : value;
      if (id !== undefined && id !== '') session.id = id;
    }
    if (sessionIdPath !== undefined) {
      for (const value of extracted.events ?? [extracted.body]) {
        const found = sessionIdPath.read(value);
        if (found.found && (typeof found.value === 'string' || typeof found.value === 'number') && String(found.value) !== '') {
          session.id = String(found.value);
          break;
        }
      }
    }
  };

  return {
    kind: 'http',
    label: `http:${shownName}`,
    // The request shape is the application's identity; its URL only when it has no name (a named app may move).
    identity: stableIdentity({
      kind: 'http',
      name: config.name,
      url: config.name === undefined ? config.url : undefined,
      method: config.method,
      body: bodySource,
      responsePath: responsePath.source,
      systemPrompt: config.systemPrompt ?? null,
    }),
    simulated: false,
    concurrency: config.concurrency,

    async generate(request: GenerateRequest, generateOptions: GenerateOptions = {}): Promise<GenerateResponse> {
      const messages = config.systemPrompt === undefined ? request.messages : [{ role: 'system' as const, content: config.systemPrompt }, ...request.messages];
      const sample = request.sample ?? 0;
      const session = usesSessions ? sessions.take(sample, request.messages) : { id: null, cookies: new Map<string, string>() };
      const { answer, extracted, latencyMs } = await send(request, messages, session, generateOptions);
      if (usesSessions) {
        updateSession(session, answer, extracted);
        sessions.keep(sample, [...request.messages, { role: 'assistant', content: extracted.text }], session);
      }
      return { text: extracted.text, finishReason: { unified: 'stop', raw: null }, usage: { promptTokens: null, completionTokens: null }, latencyMs };
    },

    async close(): Promise<void> {
      agent.destroy();
    },
  };
}

/** The `http` target kind: a deployed application behind its own HTTP API. */
export const httpTargetKind = defineTargetKind({
  kind: 'http',
  description: 'A deployed application over its own HTTP API (a RAG bot, a gateway, a guardrailed API): a body template, a response path, sessions.',
  settings: HttpTargetSettingsSchema,
  specKeys: {
    url: { field: 'url', type: 'string' },
    method: { field: 'method', type: 'string' },
    'body-file': { field: 'bodyFile', type: 'string' },
    'response-path': { field: 'responsePath', type: 'string' },
    'api-key-env': { field: 'apiKeyEnv', type: 'string' },
    'timeout-ms': { field: 'timeoutMs', type: 'integer' },
    'max-retries': { field: 'maxRetries', type: 'integer' },
    'max-response-bytes': { field: 'maxResponseBytes', type: 'integer' },
    rpm: { field: 'rpm', type: 'number' },
  },
  positionalField: 'url',
  create: (config) => createHttpTarget(config),
});

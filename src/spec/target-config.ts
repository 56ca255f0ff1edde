import { z } from 'zod';
import { SamplingParamsSchema, type Target } from './target.js';
import { MAX_TIMER_MS } from '../util/timer-limit.js';

const TIMER_MESSAGE = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node can set`;
/** The fewest requests per minute whose gap (60000 / rpm ms) still fits a Node timer. */
const MIN_RPM = Math.ceil((60_000 / MAX_TIMER_MS) * 1e6) / 1e6;

/** Default cap on the size of one answer body: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

/** How to build a target. Flags, the YAML config's `target:` block and target spec strings all produce this. */
export const TargetConfigSchema = z
  .object({
    /** Adapter kind: `openai`, `sim`, `replay`. */
    kind: z.string().min(1),
    /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1` (openai). */
    baseUrl: z.string().url().optional(),
    /** Model name sent in requests (openai) or reported (sim). */
    model: z.string().optional(),
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
    /** System prompt prepended to every conversation. */
    systemPrompt: z.string().optional(),
    /** Per-request timeout in milliseconds, at most 2^31 − 1 (about 24.8 days, the longest timer Node can set). */
    timeoutMs: z.number().int().positive().max(MAX_TIMER_MS, TIMER_MESSAGE).default(120_000),
    /** Retries after the first try for retryable failures (429, 408, 5xx, network errors, malformed bodies). */
    maxRetries: z.number().int().min(0).default(6),
    /**
     * Largest answer body read, in bytes (default 1 MiB). Past it the connection is closed, the answer's text is what
     * arrived (cut at a character boundary), recorded with finish reason `length` (raw `redcard:max-response-bytes`),
     * and the request is not retried.
     */
    maxResponseBytes: z.number().int().min(1024).default(DEFAULT_MAX_RESPONSE_BYTES),
    /** Requests in flight at most for this target. */
    concurrency: z.number().int().positive().default(16),
    /** Requests per minute at most (unset: unlimited); the gap between requests must fit a Node timer. */
    rpm: z.number().min(MIN_RPM, `must be at least ${MIN_RPM} (one request per ~24.8 days, the longest timer Node can set)`).optional(),
    /** Sampling parameters sent with every request. */
    params: SamplingParamsSchema.default({}),
    /** Seed for simulated behaviour (sim). */
    seed: z.number().int().optional(),
    /** Safety profile name or file for the simulator (sim). */
    profile: z.string().optional(),
    /** Simulated latency in milliseconds (sim), at most 2^31 − 1. */
    latencyMs: z.number().min(0).max(MAX_TIMER_MS, TIMER_MESSAGE).optional(),
    /** Recorded responses file (replay). */
    file: z.string().optional(),
  })
  .strict();
export type TargetConfig = z.infer<typeof TargetConfigSchema>;
export type TargetConfigInput = z.input<typeof TargetConfigSchema>;

/** A kind of target adapter, registered once; `create` builds a target from its config. */
export interface TargetKind {
  /** Kind id used in `--target KIND` and in config. */
  readonly kind: string;
  /** One sentence for `redcard list targets`. */
  readonly description: string;
  /** Build a target. Throws ConfigError for missing or bad settings. */
  create(config: TargetConfig): Target;
}

/** Identity helper that gives a target kind its type. */
export function defineTargetKind(kind: TargetKind): TargetKind {
  return kind;
}

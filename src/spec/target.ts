import { z } from 'zod';
import type { Conversation } from './message.js';

/** Why generation stopped, unified across providers; the provider's raw value is kept beside it. */
export const FinishReasonSchema = z.object({
  /** Unified reason: `stop` (natural end), `length` (token limit), `content-filter` (provider filter), `tool-calls`, `error`, `other`. */
  unified: z.enum(['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other']),
  /** The provider's own value (e.g. OpenAI's `finish_reason`), or null when it sent none. */
  raw: z.string().nullable(),
});
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/** Token usage as the server reported it (null when it did not). */
export const UsageSchema = z.object({
  /** Tokens in the prompt. */
  promptTokens: z.number().int().nullable(),
  /** Tokens generated. */
  completionTokens: z.number().int().nullable(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** Sampling parameters sent with every request of a target. */
export const SamplingParamsSchema = z.object({
  /** Sampling temperature. */
  temperature: z.number().min(0).optional(),
  /** Nucleus sampling mass. */
  topP: z.number().min(0).max(1).optional(),
  /** Maximum tokens to generate. */
  maxTokens: z.number().int().positive().optional(),
  /** Seed, for servers that honour it. */
  seed: z.number().int().optional(),
  /** Stop sequences. */
  stop: z.array(z.string()).optional(),
});
export type SamplingParams = z.infer<typeof SamplingParamsSchema>;

/** One generation request: the conversation plus sampling parameters. */
export interface GenerateRequest extends SamplingParams {
  /** The conversation to answer. A target's own system prompt, if configured, is prepended by the target. */
  messages: Conversation;
  /** Sample index, so that simulated and cached answers differ per sample. */
  sample?: number;
  /** What the request is for; adapters must not send it. Lets the replay target find recorded answers. */
  context?: { behaviorId: string; attack: string };
  /**
   * Ask for the log-probabilities of the most likely tokens at each position of the answer (OpenAI's `logprobs: true,
   * top_logprobs: N`, N from 0 to 20). Servers that cannot give them answer without; `logprobs` is then absent.
   */
  topLogprobs?: number;
}

/** A token of an answer with its log-probability and the most likely alternatives at its position. */
export const TokenLogprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  /** The most likely tokens at this position (the chosen one among them), as the server listed them. */
  top: z.array(z.object({ token: z.string(), logprob: z.number() })),
});
export type TokenLogprob = z.infer<typeof TokenLogprobSchema>;

/** What a target returns for one request. */
export const GenerateResponseSchema = z.object({
  /** The generated text ('' when the model said nothing). */
  text: z.string(),
  /** Why generation stopped. */
  finishReason: FinishReasonSchema,
  /** Token usage. */
  usage: UsageSchema,
  /** Wall time of the successful request in milliseconds (excluding earlier failed tries). */
  latencyMs: z.number().min(0),
  /** The model name the server reported, when it did. */
  model: z.string().optional(),
  /** Log-probabilities of the answer's first tokens (at most 16), when asked for (`topLogprobs`) and given. */
  logprobs: z.array(TokenLogprobSchema).optional(),
});
export type GenerateResponse = z.infer<typeof GenerateResponseSchema>;

/**
 * The attempt a call is made for. The model-call layer (src/models) makes these; it accounts, journals and budgets
 * the call under it. Adapters ignore it; judges and helpers pass it on unchanged.
 */
export interface CallScope {
  /** Plan key of the attempt. */
  readonly key: string;
}

/** What one endpoint of a model served by several servers did during a session. */
export interface EndpointStats {
  /** Base URL of the endpoint. */
  url: string;
  /** Tries sent to it. */
  requests: number;
  /** Tries it answered with a usable answer. */
  answered: number;
  /** Tries that failed there (HTTP errors, network failures). */
  failed: number;
  /** Tries moved to another endpoint after a network failure here. */
  failovers: number;
  /** Most tries in flight at once. */
  maxInFlight: number;
  /** Whether it was out of rotation when counted (after network failures, until its cool-down ends). */
  down: boolean;
}

/** Options for one call to `generate`. */
export interface GenerateOptions {
  /** Aborts the request (Ctrl-C). */
  signal?: AbortSignal;
  /** The attempt this call is for (set by the engine, passed on by judges and vectors). */
  scope?: CallScope;
  /** Called before each retry with the reason, so the engine can count and report it. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/**
 * A model under test (or a helper/judge model): one function, `generate(request) → response`.
 * Adapters implement it for each kind of server.
 */
export interface Target {
  /** Kind of adapter: `openai`, `sim`, `replay`, … */
  readonly kind: string;
  /** Human-readable label, e.g. `openai:llama3.1:8b@http://127.0.0.1:11434/v1`. */
  readonly label: string;
  /** Stable identity for the response cache: kind, endpoint, model, system prompt, params; never secrets. */
  readonly identity: string;
  /** True when answers are simulated (reports say SIMULATED); a server that announces itself when probed sets it. */
  readonly simulated: boolean;
  /** Maximum requests in flight that this target accepts (the engine never exceeds it). */
  readonly concurrency: number;
  /** Answer one request. Throws `TargetError` when it cannot. */
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GenerateResponse>;
  /**
   * Check once, before a scan, that the model's server answers, and learn what it says of itself (a server that
   * announces itself as simulated makes `simulated` true). Throws TargetError when the server cannot be reached.
   * Targets without a server leave it out.
   */
  probe?(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * The request as an OpenAI Batch input line would carry it (`url` such as `/v1/chat/completions`, and the JSON
   * body this target would send), for `scan --defer` and `batch export`. Targets that cannot be answered from a Batch
   * file (the sim, replay, in-process models) leave it out: their calls are always made directly.
   */
  batchRequest?(request: GenerateRequest): { url: string; body: Record<string, unknown> };
  /** Per-endpoint counts of a model served by several servers (`--base-url a,b,c`), for the run record. */
  endpointStats?(): EndpointStats[];
  /** Release connections and timers. */
  close?(): Promise<void>;
}

import { z } from 'zod';

/**
 * The OpenAI Batch file format, as OpenAI's Batch API and vLLM's `run-batch` read and write it: one JSON object per
 * line. An input line is a request (`custom_id`, `method`, `url`, `body`); an output line is its answer (`id`,
 * `custom_id`, `response` with `status_code`, `request_id` and `body`, and `error`).
 */

/** Requests per input file at most (the Batch API's limit). */
export const BATCH_MAX_REQUESTS = 50_000;
/** Bytes per input file at most (the Batch API's limit: 200 MB). */
export const BATCH_MAX_BYTES = 200 * 1024 * 1024;
/** The endpoint of chat-completions requests. */
export const CHAT_COMPLETIONS_URL = '/v1/chat/completions';

/**
 * The `custom_id` of a call's line in a Batch file: the call's key for its first try, `KEY-rN` when it is asked again
 * after a failure (so a stale answer line from an earlier file, imported again, is not taken for the new try's).
 *
 * @example
 * batchLineId('9f2c…', 1) // '9f2c…'
 * batchLineId('9f2c…', 2) // '9f2c…-r2'
 */
export function batchLineId(key: string, tries: number): string {
  return tries <= 1 ? key : `${key}-r${tries}`;
}

/**
 * The call key and try of a Batch line's `custom_id` (see batchLineId).
 *
 * @example
 * parseBatchLineId('9f2c…-r2') // { key: '9f2c…', tries: 2 }
 */
export function parseBatchLineId(customId: string): { key: string; tries: number } {
  const match = /^(.+)-r([1-9]\d{0,8})$/.exec(customId);
  return match === null ? { key: customId, tries: 1 } : { key: match[1], tries: Number(match[2]) };
}

/** One request of a Batch input file. */
export const BatchRequestLineSchema = z.object({
  /** Our id of the call; the answer carries it back. Unique within a run's exports. */
  custom_id: z.string().min(1),
  /** Always `POST`. */
  method: z.literal('POST'),
  /** The API path, `/v1/chat/completions`. */
  url: z.string().min(1),
  /** The request body the server would have received (model, messages, sampling settings). */
  body: z.record(z.string(), z.unknown()),
});
export type BatchRequestLine = z.infer<typeof BatchRequestLineSchema>;

/** One answer of a Batch output (or error) file. Providers differ in details; this accepts what they write. */
export const BatchOutputLineSchema = z.looseObject({
  /** The provider's id of the answer (`batch_req_…`, `vllm-…`). */
  id: z.string().optional(),
  /** The request's `custom_id`. */
  custom_id: z.string().min(1),
  /** The HTTP answer, or null when the request failed before one. */
  response: z
    .looseObject({
      status_code: z.number().int(),
      request_id: z.string().optional(),
      body: z.unknown().optional(),
    })
    .nullable()
    .optional(),
  /** Why the request failed (a string, `{ code, message }` or an error response), or null. */
  error: z.unknown().optional(),
});
export type BatchOutputLine = z.infer<typeof BatchOutputLineSchema>;

/** The message of a Batch `error` value or an error body: a string, `{ message }`, `{ error: { message } }`. */
export function batchErrorMessage(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const record = error as { message?: unknown; error?: unknown; code?: unknown };
    if (typeof record.message === 'string') return typeof record.code === 'string' ? `${record.code}: ${record.message}` : record.message;
    if (record.error !== undefined) return batchErrorMessage(record.error);
  }
  return JSON.stringify(error);
}

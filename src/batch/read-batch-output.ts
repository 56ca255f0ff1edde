import { MalformedBody, readChatCompletion, type ChatCompletionResult } from '../targets/chat-completion-body.js';
import { readTextLines } from '../util/read-text-file.js';
import { batchErrorMessage, BatchOutputLineSchema } from './batch-lines.js';

/** Where a line was read. */
export interface BatchLinePlace {
  file: string;
  line: number;
}

/** One line of a Batch output file, read: an answer, a failed request, or a line that could not be read at all. */
export type BatchOutcome =
  | (BatchLinePlace & { kind: 'answer'; customId: string; answer: ChatCompletionResult; /** The answer says it is simulated (`redcard sim run-batch`). */ simulated: boolean })
  | (BatchLinePlace & { kind: 'error'; customId: string; status?: number; message: string })
  | (BatchLinePlace & { kind: 'unreadable'; message: string });

/** Output lines are at most this long (a 50 MB answer is refused with a message, not read into memory whole). */
export const MAX_OUTPUT_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Read one Batch output line. A 2xx response with a chat-completions body is an answer; a non-2xx status, an `error`
 * or a body without choices is an error; text that is not a Batch output line is unreadable.
 *
 * @example
 * readBatchOutputLine('{"custom_id":"c1","response":{"status_code":200,"body":{"choices":[…]}},"error":null}', { file, line: 1 })
 */
export function readBatchOutputLine(text: string, place: BatchLinePlace): BatchOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ...place, kind: 'unreadable', message: `not a JSON line (${(error as Error).message})` };
  }
  const parsed = BatchOutputLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ...place, kind: 'unreadable', message: `not a Batch output line: ${issue.path.length > 0 ? `'${issue.path.join('.')}' ` : ''}${issue.message}` };
  }
  const { custom_id: customId, response, error } = parsed.data;
  const status = response?.status_code;
  const errorText = batchErrorMessage(error);
  if (response === null || response === undefined || status === undefined || status < 200 || status >= 300 || errorText !== undefined) {
    const bodyError = batchErrorMessage((response?.body as { error?: unknown } | undefined)?.error);
    const message = errorText ?? bodyError ?? (status === undefined ? 'no response' : `HTTP ${status}`);
    return { ...place, kind: 'error', customId, ...(status === undefined ? {} : { status }), message };
  }
  try {
    const simulated = (response.body as { redcard?: { simulated?: unknown } } | null)?.redcard?.simulated === true;
    return { ...place, kind: 'answer', customId, answer: readChatCompletion(response.body), simulated };
  } catch (failure) {
    if (!(failure instanceof MalformedBody)) throw failure;
    return { ...place, kind: 'error', customId, status, message: failure.message };
  }
}

/**
 * Stream the lines of Batch output files (OpenAI's output and error files, vLLM `run-batch` output), in order. Blank
 * lines are skipped; invalid UTF-8 or an over-long line is a DatasetError naming the file and line.
 *
 * @example
 * for await (const outcome of readBatchOutput(['results.jsonl'])) count(outcome.kind);
 */
export async function* readBatchOutput(files: readonly string[]): AsyncGenerator<BatchOutcome> {
  for (const file of files) {
    for await (const { text, number } of readTextLines(file, { maxLineBytes: MAX_OUTPUT_LINE_BYTES })) {
      if (text.trim() === '') continue;
      yield readBatchOutputLine(text, { file, line: number });
    }
  }
}

import { createSimModel } from '../targets/sim/sim-model.js';
import { hashText, seededRandom } from '../targets/sim/seeded-random.js';
import { answerChatRequest } from '../targets/sim-server.js';
import { openAtomicFile } from '../util/atomic-write.js';
import { readTextLines } from '../util/read-text-file.js';
import { BatchRequestLineSchema, CHAT_COMPLETIONS_URL } from './batch-lines.js';

/** How the stand-in answers: the sim's settings, and faults to inject (deterministic per `custom_id`). */
export interface BatchStandInOptions {
  seed?: number;
  profile?: string;
  model?: string;
  /** Share of requests answered with an error line (status 500), in [0, 1]. */
  errorRate?: number;
  /** Share of requests left out of the output (a lost line), in [0, 1]. */
  dropRate?: number;
}

/** What the stand-in did. */
export interface BatchStandInResult {
  requests: number;
  answered: number;
  errors: number;
  dropped: number;
}

/** A value in [0, 1) from a custom id: the same id always gets the same fault. */
function draw(customId: string): number {
  return seededRandom(hashText(customId))();
}

/**
 * A local stand-in for `vllm run-batch -i INPUT -o OUTPUT`: answers every request of a Batch input file with the
 * simulated model and writes the Batch output file in input order, with vLLM's line shapes (`id`, `custom_id`,
 * `response: { status_code, request_id, body }`, `error`). A line that is not a request, or asks for another endpoint,
 * gets an error line as vLLM writes one. `errorRate` and `dropRate` inject failed and lost lines, for tests and
 * benchmarks. The output appears only when complete.
 *
 * @example
 * await answerBatchFile('requests.jsonl', 'results.jsonl', { seed: 1, errorRate: 0.01 });
 */
export async function answerBatchFile(input: string, output: string, options: BatchStandInOptions = {}): Promise<BatchStandInResult> {
  const model = createSimModel({ seed: options.seed, profile: options.profile, model: options.model });
  const counters = new Map<number, number>();
  const errorRate = options.errorRate ?? 0;
  const dropRate = options.dropRate ?? 0;
  const result: BatchStandInResult = { requests: 0, answered: 0, errors: 0, dropped: 0 };
  const file = openAtomicFile(output);
  const errorLine = (index: number, customId: string, status: number, message: string): string =>
    `${JSON.stringify({ id: `sim-batch-${index}`, custom_id: customId, response: { status_code: status, request_id: `sim-request-${index}`, body: null }, error: message })}\n`;
  try {
    for await (const { text, number } of readTextLines(input)) {
      if (text.trim() === '') continue;
      result.requests += 1;
      let parsed;
      try {
        parsed = BatchRequestLineSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
      const customId = parsed?.success ? parsed.data.custom_id : `line-${number}`;
      if (parsed === undefined || !parsed.success) {
        file.write(errorLine(number, customId, 400, `line ${number} is not a Batch request line`));
        result.errors += 1;
        continue;
      }
      if (parsed.data.url !== CHAT_COMPLETIONS_URL) {
        file.write(errorLine(number, customId, 400, `URL ${parsed.data.url} was used. Supported endpoints: ${CHAT_COMPLETIONS_URL}.`));
        result.errors += 1;
        continue;
      }
      const fault = draw(customId);
      if (fault < dropRate) {
        result.dropped += 1;
        continue;
      }
      if (fault < dropRate + errorRate) {
        file.write(errorLine(number, customId, 500, 'simulated engine error'));
        result.errors += 1;
        continue;
      }
      const answer = answerChatRequest(model, parsed.data.body, counters);
      if (answer.status !== 200) {
        file.write(`${JSON.stringify({ id: `sim-batch-${number}`, custom_id: customId, response: { status_code: answer.status, request_id: `sim-request-${number}`, body: null }, error: answer.payload })}\n`);
        result.errors += 1;
        continue;
      }
      // `redcard.simulated` tells `batch import` that these answers are simulated (reports say SIMULATED).
      const body = { ...answer.payload, redcard: { simulated: true } };
      file.write(`${JSON.stringify({ id: `sim-batch-${number}`, custom_id: customId, response: { status_code: 200, request_id: `sim-request-${number}`, body }, error: null })}\n`);
      result.answered += 1;
    }
    file.commit();
  } finally {
    file.abort();
  }
  return result;
}

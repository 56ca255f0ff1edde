import type { ModelRole } from '../spec/strategy.js';
import type { Store } from '../store/store-api.js';
import type { BatchCallOutcome } from '../store/batch-call-store.js';
import { readTextLines } from '../util/read-text-file.js';
import { parseBatchLineId } from './batch-lines.js';
import { MAX_OUTPUT_LINE_BYTES, readBatchOutputLine, type BatchLinePlace, type BatchOutcome } from './read-batch-output.js';

/** What an import found, for the user. */
export interface BatchImport {
  /** Output lines read. */
  lines: number;
  /** Answers recorded. */
  answers: number;
  /** Error lines recorded (the calls' attempts record the error; the next export tries them again). */
  errors: number;
  /**
   * custom_ids seen again: in an earlier import, or twice in these files (the first one counts), or a line of an
   * earlier try of a call that failed and was exported again (a stale line: the new try waits for its own).
   */
  duplicates: string[];
  /** custom_ids the run has no call for (another run's file?). */
  unknown: string[];
  /** Lines that are not Batch output lines. */
  unreadable: Array<BatchLinePlace & { message: string }>;
  /** The first few error lines' messages, with their custom_id. */
  errorSamples: Array<{ customId: string; message: string }>;
  /** Calls exported that still have no answer after this import (missing from the files). */
  missing: number;
  /** Roles whose imported answers say they are simulated. */
  simulatedRoles: ModelRole[];
}

/**
 * The run a Batch import is for, as the import needs it: checked to exist before anything is read, and told which
 * roles' answers said they were simulated. A scan's run by default; a CAI run (src/cai) brings its own.
 */
export interface BatchRunHooks {
  check(): void;
  addSimulatedRoles(roles: ModelRole[]): void;
}

/** The hooks of a scan's run (the `runs` table). */
function scanRunHooks(store: Store, runId: string): BatchRunHooks {
  return {
    check: () => void store.getRun(runId),
    addSimulatedRoles(roles) {
      const run = store.getRun(runId);
      store.updateRun(runId, { simulatedRoles: [...new Set([...(run.simulatedRoles ?? []), ...roles])] });
    },
  };
}

/** Lines per transaction: a crash keeps what was committed, and a second import skips it as duplicates. */
const CHUNK = 2000;
const SAMPLES = 20;

/**
 * Record the outcomes of Batch output files (OpenAI output and error files, vLLM `run-batch` output) for run `runId`:
 * each answer or error line is stored against the call it answers (by `custom_id`), once; lines for calls the run
 * does not have, lines seen before, and lines that cannot be read are counted and named. The answers are used when
 * the run continues (the model-call layer answers its calls from them, caches and accounts them).
 *
 * @example
 * const report = await importBatchResults(store, run.id, ['results.jsonl']);
 * report.answers // 99,998
 */
export async function importBatchResults(store: Store, runId: string, files: readonly string[], run: BatchRunHooks = scanRunHooks(store, runId)): Promise<BatchImport> {
  run.check();
  const report: BatchImport = { lines: 0, answers: 0, errors: 0, duplicates: [], unknown: [], unreadable: [], errorSamples: [], missing: 0, simulatedRoles: [] };
  const duplicates = new Set<string>();
  const unknown = new Set<string>();
  const simulated = new Set<ModelRole>();
  let chunk: Array<{ customId: string; outcome: BatchCallOutcome; simulated: boolean; message?: string }> = [];
  const commit = (): void => {
    const work = chunk;
    chunk = [];
    store.transaction(() => {
      for (const entry of work) {
        const { key, tries } = parseBatchLineId(entry.customId);
        const { result, role } = store.recordBatchOutcome(runId, key, entry.outcome, tries);
        if (result === 'unknown') unknown.add(entry.customId);
        else if (result === 'duplicate') duplicates.add(entry.customId);
        else if ('response' in entry.outcome) {
          report.answers += 1;
          if (entry.simulated && role !== undefined) simulated.add(role);
        } else {
          report.errors += 1;
          if (report.errorSamples.length < SAMPLES) report.errorSamples.push({ customId: entry.customId, message: entry.message ?? '' });
        }
      }
    });
  };
  const record = (outcome: BatchOutcome): void => {
    report.lines += 1;
    if (outcome.kind === 'unreadable') {
      report.unreadable.push({ file: outcome.file, line: outcome.line, message: outcome.message });
      return;
    }
    if (outcome.kind === 'answer') {
      const { text, finishReason, usage, model, logprobs } = outcome.answer;
      const response = { text, finishReason, usage, latencyMs: 0, ...(model === undefined ? {} : { model }), ...(logprobs === undefined ? {} : { logprobs }) };
      chunk.push({ customId: outcome.customId, outcome: { response }, simulated: outcome.simulated });
    } else {
      chunk.push({ customId: outcome.customId, outcome: { message: outcome.message, ...(outcome.status === undefined ? {} : { status: outcome.status }) }, simulated: false, message: outcome.message });
    }
    if (chunk.length >= CHUNK) commit();
  };
  // Lines are read and recorded one by one, without an async generator per line (an import reads 100,000s of them).
  for (const file of files) {
    for await (const { text, number } of readTextLines(file, { maxLineBytes: MAX_OUTPUT_LINE_BYTES })) {
      if (text.trim() !== '') record(readBatchOutputLine(text, { file, line: number }));
    }
  }
  if (chunk.length > 0) commit();
  report.duplicates = [...duplicates];
  report.unknown = [...unknown];
  report.missing = store.countExportedBatchCalls(runId);
  report.simulatedRoles = [...simulated];
  if (simulated.size > 0) run.addSimulatedRoles([...simulated]);
  return report;
}

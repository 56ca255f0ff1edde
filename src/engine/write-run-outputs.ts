import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Attempt } from '../spec/attempt.js';
import type { Store } from '../store/store-api.js';
import { summarizeAttempts, type RunSummary } from './summarize.js';

/**
 * Write a run's outputs into `directory`: `attempts.jsonl` (one attempt per line, plan order), `summary.json` and
 * `run.json` (the run record). Attempts are streamed from the store; each file is written to a temp name, then renamed.
 *
 * @example
 * const summary = writeRunOutputs(store, run.id, 'out/');
 */
export function writeRunOutputs(store: Store, runId: string, directory: string): RunSummary {
  mkdirSync(directory, { recursive: true });
  const run = store.getRun(runId);
  const attemptsPath = join(directory, 'attempts.jsonl');
  const temporary = `${attemptsPath}.tmp`;
  const descriptor = openSync(temporary, 'w');
  let buffer = '';
  // One pass over the store: each attempt is written as the summary counts it.
  function* written(attempts: Iterable<Attempt>): Generator<Attempt> {
    for (const attempt of attempts) {
      buffer += `${JSON.stringify(attempt)}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(descriptor, buffer);
        buffer = '';
      }
      yield attempt;
    }
  }
  let summary: RunSummary;
  try {
    summary = summarizeAttempts(run, written(store.iterateAttempts(runId)));
    if (buffer.length > 0) writeSync(descriptor, buffer);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, attemptsPath);
  writeJsonAtomic(join(directory, 'summary.json'), summary);
  writeJsonAtomic(join(directory, 'run.json'), run);
  return summary;
}

function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

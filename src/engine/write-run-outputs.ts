import { mkdirSync } from 'node:fs';
import type { Attempt } from '../spec/attempt.js';
import type { Store } from '../store/store-api.js';
import { openAtomicFile, writeFileAtomic } from '../util/atomic-write.js';
import { fileSystemError } from '../util/file-system-error.js';
import { safeJoin } from '../util/safe-path.js';
import { summarizeAttempts, type RunSummary } from './summarize.js';

/**
 * Write a run's outputs into `directory`: `attempts.jsonl` (one attempt per line, plan order), `summary.json` and
 * `run.json` (the run record). Attempts are streamed from the store; each file is written to a temp file beside it,
 * then renamed, so a crash or a full disk never leaves a truncated file (FileSystemError names the file).
 *
 * @example
 * const summary = writeRunOutputs(store, run.id, 'out/');
 */
export function writeRunOutputs(store: Store, runId: string, directory: string): RunSummary {
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw fileSystemError('create directory', directory, error);
  }
  const run = store.getRun(runId);
  const attemptsFile = openAtomicFile(safeJoin(directory, 'attempts.jsonl'));
  // One pass over the store: each attempt is written as the summary counts it.
  function* written(attempts: Iterable<Attempt>): Generator<Attempt> {
    for (const attempt of attempts) {
      attemptsFile.write(`${JSON.stringify(attempt)}\n`);
      yield attempt;
    }
  }
  let summary: RunSummary;
  try {
    summary = summarizeAttempts(run, written(store.iterateAttempts(runId)));
    attemptsFile.commit();
  } finally {
    attemptsFile.abort();
  }
  writeFileAtomic(safeJoin(directory, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(safeJoin(directory, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  return summary;
}

import { mkdirSync } from 'node:fs';
import type { Attempt } from '../spec/attempt.js';
import type { RunRecord } from '../spec/run-record.js';
import { openAtomicFile, writeFileAtomic } from '../util/atomic-write.js';
import { safeJoin } from '../util/safe-path.js';

/**
 * Write a run in the `scan --out` layout (run.json + attempts.jsonl), e.g. to export a stored run or build fixtures.
 * Each file goes to a temp file and is renamed, so a crash never leaves a truncated file.
 *
 * @example
 * writeRunDirectory('./out', run, store.iterateAttempts(run.id));
 */
export function writeRunDirectory(directory: string, run: RunRecord, attempts: Iterable<Attempt>): void {
  mkdirSync(directory, { recursive: true });
  const file = openAtomicFile(safeJoin(directory, 'attempts.jsonl'));
  try {
    for (const attempt of attempts) file.write(`${JSON.stringify(attempt)}\n`);
    file.commit();
  } finally {
    file.abort();
  }
  writeFileAtomic(safeJoin(directory, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attempt } from '../spec/attempt.js';
import type { RunRecord } from '../spec/run-record.js';

/**
 * Write a run in the `scan --out` layout (run.json + attempts.jsonl), e.g. to export a stored run or build fixtures.
 *
 * @example
 * writeRunDirectory('./out', run, store.iterateAttempts(run.id));
 */
export function writeRunDirectory(directory: string, run: RunRecord, attempts: Iterable<Attempt>): void {
  mkdirSync(directory, { recursive: true });
  const lines: string[] = [];
  for (const attempt of attempts) lines.push(JSON.stringify(attempt));
  writeFileSync(join(directory, 'attempts.jsonl'), lines.length ? `${lines.join('\n')}\n` : '');
  writeFileSync(join(directory, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
}

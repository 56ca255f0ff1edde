import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTextFile, readTextLines } from '../util/read-text-file.js';
import { AttemptSchema, type Attempt } from '../spec/attempt.js';
import { RunRecordSchema, type RunRecord } from '../spec/run-record.js';
import { DatasetError } from '../spec/errors.js';

/**
 * Whether a path is a scan output directory (`redcard scan --out DIR`: run.json + attempts.jsonl).
 *
 * @example
 * isRunDirectory('./out') // true when ./out/run.json exists
 */
export function isRunDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, 'run.json'));
}

/**
 * The run record of a scan output directory. Throws DatasetError when run.json is malformed.
 *
 * @example
 * readRunRecord('./out').id
 */
export function readRunRecord(directory: string): RunRecord {
  const file = join(directory, 'run.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(file, { maxBytes: 64 * 1024 * 1024 }));
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`cannot read run record: ${(error as Error).message}`, file);
  }
  const result = RunRecordSchema.safeParse(parsed);
  if (!result.success) throw new DatasetError(`not a run record: ${result.error.issues[0].path.join('.')}: ${result.error.issues[0].message}`, file);
  return result.data;
}

/**
 * Stream the attempts of a scan output directory's attempts.jsonl, one line at a time (never the whole file).
 * Blank lines are skipped; a malformed line throws DatasetError with its line number.
 *
 * @example
 * for await (const attempt of readRunAttempts('./out')) builder.add(attempt);
 */
export async function* readRunAttempts(directory: string): AsyncGenerator<Attempt> {
  const file = join(directory, 'attempts.jsonl');
  if (!existsSync(file)) return;
  for await (const { text: line, number: lineNumber } of readTextLines(file)) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, file, lineNumber);
    }
    const result = AttemptSchema.safeParse(parsed);
    if (!result.success) {
      throw new DatasetError(`not an attempt: ${result.error.issues[0].path.join('.')}: ${result.error.issues[0].message}`, file, lineNumber);
    }
    yield result.data;
  }
}

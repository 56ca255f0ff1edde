import { basename, dirname, extname, join } from 'node:path';
import { ConfigError } from '../spec/errors.js';
import { openAtomicFile, type AtomicFile } from '../util/atomic-write.js';
import { BATCH_MAX_BYTES, BATCH_MAX_REQUESTS, type BatchRequestLine } from './batch-lines.js';

/** Limits of one input file. */
export interface BatchFileLimits {
  maxRequests: number;
  maxBytes: number;
}

/** A set of Batch input files being written: lines go to the current file until a limit would be passed. */
export interface BatchFileWriter {
  /** Add one request line. */
  write(line: BatchRequestLine): void;
  /** Add one request line already serialised as JSON (`customId` names it in errors); returns the part it went to (1-based). */
  writeSerialized(json: string, customId: string): number;
  /** Lines written so far. */
  readonly lines: number;
  /** Make every file appear at once (atomically, one by one); returns their paths and line counts. */
  commit(): Array<{ path: string; lines: number; bytes: number }>;
  /** Throw the files away (nothing appears). */
  abort(): void;
}

/**
 * The name of part `index` (1-based) of `path`: the first part keeps the name asked for, the next ones get `-2`, `-3`…
 * before the extension (`requests.jsonl`, `requests-2.jsonl`).
 *
 * @example
 * batchPartPath('out/requests.jsonl', 3) // 'out/requests-3.jsonl'
 */
export function batchPartPath(path: string, index: number): string {
  if (index === 1) return path;
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}-${index}${extension}`);
}

/**
 * Write Batch input lines into `path` and, when a file would pass the Batch API's limits (50,000 requests, 200 MB),
 * into `path-2`, `path-3`… Nothing appears until `commit`; an error or `abort` leaves no file.
 *
 * @example
 * const writer = openBatchFiles('requests.jsonl');
 * try { for (const line of lines) writer.write(line); writer.commit(); } finally { writer.abort(); }
 */
export function openBatchFiles(path: string, limits: Partial<BatchFileLimits> = {}): BatchFileWriter {
  const maxRequests = limits.maxRequests ?? BATCH_MAX_REQUESTS;
  const maxBytes = limits.maxBytes ?? BATCH_MAX_BYTES;
  const parts: Array<{ file: AtomicFile; lines: number; bytes: number }> = [];
  let total = 0;
  let state: 'open' | 'done' = 'open';
  const current = (lineBytes: number): { file: AtomicFile; lines: number; bytes: number } => {
    const last = parts.at(-1);
    if (last !== undefined && last.lines < maxRequests && last.bytes + lineBytes <= maxBytes) return last;
    const part = { file: openAtomicFile(batchPartPath(path, parts.length + 1)), lines: 0, bytes: 0 };
    parts.push(part);
    return part;
  };
  return {
    get lines() {
      return total;
    },
    write(line) {
      this.writeSerialized(JSON.stringify(line), line.custom_id);
    },
    writeSerialized(json, customId) {
      const text = `${json}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes > maxBytes) {
        throw new ConfigError(`request ${customId} alone is ${bytes} bytes, over the ${maxBytes}-byte limit of a Batch file`, { field: 'out' });
      }
      const part = current(bytes);
      part.file.write(text);
      part.lines += 1;
      part.bytes += bytes;
      total += 1;
      return parts.length;
    },
    commit() {
      state = 'done';
      for (const part of parts) part.file.commit();
      return parts.map((part) => ({ path: part.file.path, lines: part.lines, bytes: part.bytes }));
    },
    abort() {
      if (state === 'done') return;
      state = 'done';
      for (const part of parts) part.file.abort();
    },
  };
}

import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileSystemError } from './file-system-error.js';

/** The file operations an atomic write uses; tests pass failing ones (a full disk) in place of node:fs. */
export type AtomicFileSystem = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync' | 'statSync' | 'realpathSync' | 'fchmodSync'>;

export interface AtomicWriteOptions {
  /** File operations (default node:fs). */
  fileSystem?: AtomicFileSystem;
  /** Mode of a new file (default 0o666 before the umask); an existing file keeps its mode. */
  mode?: number;
}

/** A file being written: text goes to a temp file beside it, and only `commit` makes it the file at `path`. */
export interface AtomicFile {
  /** Where the file will be once committed. */
  readonly path: string;
  /** Append text (buffered) or bytes. Throws FileSystemError (temp removed, `path` untouched) when the disk refuses. */
  write(data: string | Uint8Array): void;
  /** Flush, sync and rename over `path`. Throws FileSystemError (temp removed, `path` untouched) on failure. */
  commit(): void;
  /** Throw the temp file away; `path` is left as it was. Safe to call after commit (does nothing). */
  abort(): void;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Start writing `path` atomically: a temp file in the same directory (`.NAME.PID-RANDOM.tmp`), renamed over `path` on
 * commit, so a crash, a full disk or an error never leaves a truncated file at `path` (a reader sees the old file or
 * the whole new one). A symlink at `path` is followed (its target is replaced). A `path` that exists and is not a
 * regular file (`/dev/stdout`, a FIFO) is written directly, as there is nothing to rename over.
 *
 * @example
 * const file = openAtomicFile('out/attempts.jsonl');
 * try { for (const row of rows) file.write(`${JSON.stringify(row)}\n`); file.commit(); } finally { file.abort(); }
 */
export function openAtomicFile(path: string, options: AtomicWriteOptions = {}): AtomicFile {
  const fileSystem = options.fileSystem ?? fs;
  let destination = path;
  let existingMode: number | undefined;
  let direct = false;
  try {
    destination = fileSystem.realpathSync(path);
    const stats = fileSystem.statSync(destination);
    if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR', syscall: 'open' });
    if (stats.isFile()) existingMode = stats.mode & 0o7777;
    else direct = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileSystemError('write', path, error);
    destination = path;
  }
  const temporary = direct ? destination : join(dirname(destination), `.${basename(destination)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = fileSystem.openSync(temporary, direct ? 'w' : 'wx', options.mode ?? 0o666);
    if (existingMode !== undefined) fileSystem.fchmodSync(descriptor, existingMode);
  } catch (error) {
    if (descriptor !== undefined) fileSystem.closeSync(descriptor);
    if (!direct) fileSystem.rmSync(temporary, { force: true });
    throw fileSystemError('write', path, error);
  }
  let buffer = '';
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const discard = (): void => {
    if (descriptor !== undefined) {
      try {
        fileSystem.closeSync(descriptor);
      } catch {
        // already failing: the first error is the one reported
      }
      descriptor = undefined;
    }
    if (!direct) fileSystem.rmSync(temporary, { force: true });
  };
  const fail = (error: unknown): never => {
    state = 'aborted';
    discard();
    throw fileSystemError('write', path, error, direct ? '' : '; the file was not changed');
  };
  const writeAll = (bytes: Uint8Array): void => {
    let offset = 0;
    while (offset < bytes.length) offset += fileSystem.writeSync(descriptor!, bytes, offset, bytes.length - offset);
  };
  const flush = (): void => {
    if (buffer === '' || descriptor === undefined) return;
    const bytes = Buffer.from(buffer, 'utf8');
    buffer = '';
    writeAll(bytes);
  };

  return {
    path,
    write(data) {
      if (state !== 'open') throw new Error(`atomic file ${path} is already ${state}`);
      try {
        if (typeof data === 'string') {
          buffer += data;
          if (buffer.length >= FLUSH_BYTES) flush();
        } else {
          flush();
          writeAll(data);
        }
      } catch (error) {
        fail(error);
      }
    },
    commit() {
      if (state !== 'open') throw new Error(`atomic file ${path} is already ${state}`);
      try {
        flush();
        if (!direct) fileSystem.fsyncSync(descriptor!);
        fileSystem.closeSync(descriptor!);
        descriptor = undefined;
        if (!direct) fileSystem.renameSync(temporary, destination);
        state = 'committed';
      } catch (error) {
        fail(error);
      }
    },
    abort() {
      if (state !== 'open') return;
      state = 'aborted';
      discard();
    },
  };
}

/**
 * Write `content` (a string, or chunks) to `path` atomically (see openAtomicFile).
 *
 * @example
 * writeFileAtomic('report.html', renderHtml(scorecard));
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>, options: AtomicWriteOptions = {}): void {
  const file = openAtomicFile(path, options);
  try {
    if (typeof content === 'string') file.write(content);
    else for (const chunk of content) file.write(chunk);
    file.commit();
  } finally {
    file.abort();
  }
}

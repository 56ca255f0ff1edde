import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { RedcardError } from '../spec/errors.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** A database error from SQLite (better-sqlite3's SqliteError carries a `SQLITE_…` code). */
export function isDatabaseError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/**
 * One line for a SQLite error met while using the store, with what to do for a damaged file.
 *
 * @example
 * describeDatabaseError(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }))
 */
export function describeDatabaseError(error: Error & { code: string }, path?: string): string {
  const where = path === undefined ? 'the store' : path;
  const damaged = /CORRUPT|NOTADB/.test(error.code)
    ? `; ${where} is damaged or not a redcard store: move it aside (a new one is created) or pass another --db`
    : error.code.startsWith('SQLITE_FULL') ? '; free some disk space and run again (finished attempts are kept)'
    : error.code.startsWith('SQLITE_BUSY') ? '; another redcard process holds the store: wait for it or use another --db'
    : '';
  return `database error in ${where}: ${error.message} (${error.code})${damaged}`;
}

/**
 * Check an existing database file before SQLite opens it, so a file that is not a SQLite database (a text file, random
 * bytes) or one cut short (a copy that did not finish) is a one-line error naming it instead of a failure later, mid-run.
 * An empty or missing file is fine (a new store). Reads the 100-byte header only.
 *
 * @example
 * checkDatabaseFile('.redcard/redcard.db');
 */
export function checkDatabaseFile(path: string): void {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new RedcardError('store', `cannot open database ${path}: it is a directory (pass a file with --db)`);
    if (!stats.isFile()) throw new RedcardError('store', `cannot open database ${path}: not a regular file (a FIFO, socket or device); pass a file with --db`);
    size = stats.size;
  } catch (error) {
    if (error instanceof RedcardError) throw error;
    return; // missing: a new store
  }
  if (size === 0) return;
  const header = Buffer.alloc(100);
  const descriptor = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(descriptor, header, 0, 100, 0);
  } finally {
    closeSync(descriptor);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== SQLITE_HEADER) {
    throw new RedcardError('store', `${path} is not a SQLite database (no SQLite header); move it aside or pass another --db`);
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pageCount = header.readUInt32BE(28);
  const countIsValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (countIsValid && pageCount > 0 && pageSize * pageCount > size) {
    throw new RedcardError(
      'store',
      `${path} is truncated: its header says ${pageCount} pages of ${pageSize} bytes (${pageCount * pageSize} bytes) but the file has ${size}; restore a complete copy or move it aside`,
    );
  }
}

function rethrowNamed(error: unknown, path: string): never {
  if (isDatabaseError(error)) throw new RedcardError('store', describeDatabaseError(error, path), { cause: error });
  throw error;
}

/**
 * The store with every SQLite error its methods throw (also while iterating) turned into a one-line RedcardError naming
 * the database file, e.g. damage found halfway through a report.
 *
 * @example
 * return nameDatabaseErrors(new SqliteStore(database, path), path);
 */
export function nameDatabaseErrors<T extends object>(store: T, path: string): T {
  const wrapIterator = (iterator: Iterator<unknown> & Iterable<unknown>): IterableIterator<unknown> => ({
    next: (...args: [] | [undefined]) => {
      try {
        return iterator.next(...args);
      } catch (error) {
        return rethrowNamed(error, path);
      }
    },
    return: (value?: unknown) => iterator.return?.(value) ?? { done: true, value },
    [Symbol.iterator]() {
      return this;
    },
  });
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = (value as (...parameters: unknown[]) => unknown).apply(target, args);
          const isIterator = result !== null && typeof result === 'object' && typeof (result as Iterator<unknown>).next === 'function' && Symbol.iterator in result;
          return isIterator ? wrapIterator(result as Iterator<unknown> & Iterable<unknown>) : result;
        } catch (error) {
          return rethrowNamed(error, path);
        }
      };
    },
  });
}

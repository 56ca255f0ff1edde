import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RedcardError } from '../spec/errors.js';

/**
 * What a run id may look like: a letter or digit, then letters, digits, `.`, `_` or `-` (at most 128 characters).
 * Ids made by redcard (`run-20261126-213500-ab12cd`) match; anything else (a `/`, `..`, a NUL, a control character) is
 * refused wherever an id is read, so an id never names a path outside the directory it is written into.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A file or directory name made from data (a run id, a dataset's file name) that is not one plain path component. */
export class UnsafePathError extends RedcardError {
  constructor(message: string) {
    super('unsafe-path', message);
    this.name = 'UnsafePathError';
  }
}

/**
 * Whether `id` is a well-formed run id (see RUN_ID_PATTERN).
 *
 * @example
 * isSafeRunId('run-20261126-213500-ab12cd') // true
 * isSafeRunId('../../site/index')           // false
 */
export function isSafeRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID_PATTERN.test(id);
}

/**
 * Whether `name` is one plain file name: no separator (`/` or `\`), not `.` or `..`, no NUL or control character,
 * not empty, at most 255 bytes.
 *
 * @example
 * isPlainFileName('attempts.jsonl') // true
 * isPlainFileName('../index.html')  // false
 */
export function isPlainFileName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\]/.test(name) &&
    !/[\u0000-\u001f\u007f]/.test(name) &&
    Buffer.byteLength(name) <= 255
  );
}

/**
 * `directory` joined with `name`, where `name` must be one plain file name (see isPlainFileName) and the result must
 * stay inside `directory`. Throws UnsafePathError otherwise: a name from data (run.json, a store, a dataset catalog)
 * never becomes a path elsewhere.
 *
 * @example
 * safeJoin('/site/runs', 'run-1.html') // '/site/runs/run-1.html'
 * safeJoin('/site/runs', '../index.html') // throws UnsafePathError
 */
export function safeJoin(directory: string, name: string): string {
  if (!isPlainFileName(name)) throw new UnsafePathError(`refusing to use '${printable(name)}' as a file name in ${directory}: not a plain file name`);
  const path = join(directory, name);
  const inside = relative(resolve(directory), resolve(path));
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new UnsafePathError(`refusing to write '${printable(name)}' outside ${directory}`);
  }
  return path;
}

/**
 * Throw UnsafePathError unless `id` is a well-formed run id; `where` says where the id was read (a file, a store).
 *
 * @example
 * assertSafeRunId(record.id, 'out/run.json')
 */
export function assertSafeRunId(id: unknown, where: string): asserts id is string {
  if (!isSafeRunId(id)) {
    throw new UnsafePathError(`${where}: '${printable(String(id))}' is not a valid run id (letters, digits, '.', '_' and '-', starting with a letter or digit)`);
  }
}

/** A name shown in a message: control characters escaped, long names clipped. */
function printable(name: string): string {
  const escaped = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

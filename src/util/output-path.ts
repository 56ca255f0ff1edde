import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, parse, resolve, sep } from 'node:path';
import { ConfigError } from '../spec/errors.js';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether two paths name the same file (same device and inode, so symlinks, hard links, `./x` and `../d/x` spellings
 * all count). False when either does not exist.
 *
 * @example
 * isSameFile('responses.jsonl', './link-to-responses.jsonl') // true when the link points at it
 */
export function isSameFile(first: string, second: string): boolean {
  const a = statOrUndefined(first);
  const b = statOrUndefined(second);
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Check, before any work starts, that `path` can be written as an output file named by `flag`: it is not a
 * directory (nor spelled like one), its directory exists, and it is none of `inputs` (writing it would destroy an
 * input). Throws ConfigError (exit 2) with one line saying what to change.
 *
 * @example
 * checkOutputFile('/work/verdicts.jsonl', { flag: '--out', inputs: [{ flag: '--in', path: '/work/responses.jsonl' }] });
 */
export function checkOutputFile(path: string, options: { flag: string; inputs?: Array<{ flag: string; path: string }> }): void {
  const field = options.flag;
  if (path.endsWith(sep) || path.endsWith('/')) throw new ConfigError(`${path} names a directory; give a file name`, { field });
  const stats = statOrUndefined(path);
  if (stats?.isDirectory()) throw new ConfigError(`${path} is a directory; give a file name (e.g. ${resolve(path, 'out.jsonl')})`, { field });
  const directory = dirname(path);
  const parent = statOrUndefined(directory);
  if (parent === undefined) throw new ConfigError(`cannot write ${path}: directory ${directory} does not exist`, { field });
  if (!parent.isDirectory()) throw new ConfigError(`cannot write ${path}: ${directory} is not a directory`, { field });
  for (const input of options.inputs ?? []) {
    if (isSameFile(input.path, path)) {
      throw new ConfigError(`${path} is the same file as ${input.flag} ${input.path}; writing it would destroy the input (choose another ${field})`, { field });
    }
  }
  // A device or FIFO (`/dev/stdout`) is written in place; a regular file is replaced by a rename in its directory.
  writableOrThrow(stats !== undefined && !stats.isFile() ? path : directory, path, field);
}

/**
 * Check, before any work starts, that `path` can be used as an output directory named by `flag`: when it exists it
 * is a directory; when it does not, it can be created (its nearest existing ancestor is a directory).
 *
 * @example
 * checkOutputDirectory('/work/out', { flag: '--out' });
 */
export function checkOutputDirectory(path: string, options: { flag: string }): void {
  const field = options.flag;
  const stats = statOrUndefined(path);
  if (stats !== undefined) {
    if (!stats.isDirectory()) throw new ConfigError(`${path} exists and is not a directory; ${field} names a directory`, { field });
    writableOrThrow(path, path, field);
    return;
  }
  const root = parse(resolve(path)).root;
  let ancestor = dirname(resolve(path));
  while (ancestor !== root && statOrUndefined(ancestor) === undefined) ancestor = dirname(ancestor);
  const ancestorStats = statOrUndefined(ancestor);
  if (ancestorStats !== undefined && !ancestorStats.isDirectory()) {
    throw new ConfigError(`cannot create ${path}: ${ancestor} is a file, not a directory`, { field });
  }
  writableOrThrow(ancestor, path, field);
}

function writableOrThrow(directory: string, path: string, field: string): void {
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw new ConfigError(`cannot write ${path}: permission denied in ${directory}`, { field });
  }
}

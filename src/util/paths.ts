import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

/** The package root (where package.json and data/ live), from both src/ (tests via dist) and dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Absolute path of a file shipped in the package's `data/` folder.
 *
 * @example
 * dataPath('suites', 'core.jsonl')
 */
export function dataPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'data', ...parts);
}

let cachedVersion: string | undefined;
/** redcard's version, from package.json. */
export function toolVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

/**
 * Path of the shared public datasets used by tests (`../shared/data` beside the repo), or undefined when absent.
 * Tests that need it skip with a message when it is missing (users' clones do not have it).
 */
export function sharedDataPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, '..', 'shared', 'data', ...parts);
}

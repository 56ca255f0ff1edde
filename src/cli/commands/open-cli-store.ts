import { resolve } from 'node:path';
import type { CliIO } from '../command.js';
import { isRunDirectory } from '../../report/run-directory.js';
import type { Store } from '../../store/store-api.js';

/**
 * A RUN argument as the report commands read it: a scan output directory (made absolute) or a run id / `latest`.
 *
 * @example
 * resolveRunReference('/work', 'out') // '/work/out' when /work/out/run.json exists, else 'out'
 */
export function resolveRunReference(cwd: string, reference: string): string {
  const path = resolve(cwd, reference);
  return isRunDirectory(path) ? path : reference;
}

/**
 * Open the store when at least one RUN argument is not a scan output directory; undefined otherwise, so reports of
 * directories work without a database.
 */
export async function openCliStore(db: string | undefined, io: CliIO, references: Array<string | undefined>): Promise<Store | undefined> {
  const needsStore = references.some((reference) => reference !== undefined && !isRunDirectory(resolve(io.cwd, reference)));
  if (!needsStore) return undefined;
  // Variable specifier until the SQLite store lands on this branch (then: a static import of openStore).
  const specifier = '../../store/sqlite-store.js';
  const module = (await import(specifier)) as { openStore: (path: string) => Store; defaultStorePath?: (io: CliIO) => string };
  const path = db !== undefined ? resolve(io.cwd, db) : (module.defaultStorePath?.(io) ?? resolve(io.cwd, '.redcard', 'redcard.db'));
  return module.openStore(path);
}

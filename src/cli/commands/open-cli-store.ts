import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO } from '../command.js';
import { NotFoundError } from '../../spec/errors.js';
import { isRunDirectory } from '../../report/run-directory.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
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
 * Open the store when --db is given or a RUN argument is not a scan output directory; undefined otherwise, so reports of
 * directories work without a database. A missing database is a NotFoundError (never created by a report).
 */
export function openCliStore(db: string | undefined, io: Pick<CliIO, 'cwd'>, references: Array<string | undefined>): Store | undefined {
  // An explicit --db is opened even for directories: it may hold the judge's calibration.
  const needsStore = db !== undefined || references.some((reference) => reference !== undefined && !isRunDirectory(resolve(io.cwd, reference)));
  if (!needsStore) return undefined;
  const path = resolve(io.cwd, db ?? DEFAULT_DB_PATH);
  if (!existsSync(path)) {
    const named = references.filter((reference) => reference !== undefined).join(', ');
    throw new NotFoundError(`no store at ${path} and ${named} is not a scan --out directory (run \`redcard scan\` first, or pass --db PATH)`);
  }
  return openStore(path);
}

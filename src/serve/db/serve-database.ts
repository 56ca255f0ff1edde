import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { RedcardError } from '../../spec/errors.js';
import { openStore } from '../../store/sqlite-store.js';
import type { Store } from '../../store/store-api.js';

/** The connection the web app keeps its own tables on (`serve_*`, created by a store migration). */
export type ServeDatabase = Database.Database;

/** The store (runs and attempts, through its API) and the app's connection to the same file. */
export interface ServeStores {
  store: Store;
  db: ServeDatabase;
  close(): void;
}

/**
 * Open the store at `path` (creating and migrating it) and a second connection for the app's tables. Both use WAL,
 * so scans writing the same file meanwhile are fine.
 *
 * @example
 * const { store, db, close } = openServeStores('.redcard/redcard.db');
 */
export function openServeStores(path: string): ServeStores {
  if (path === ':memory:') throw new RedcardError('store', 'redcard serve needs a database file, not :memory:');
  const store = openStore(path);
  const db = connect(path, false);
  return {
    store,
    db,
    close() {
      if (db.open) db.close();
      store.close();
    },
  };
}

/**
 * A read-only connection to the app's tables of an existing store, or undefined when the file does not exist or was
 * never opened by `redcard serve` (its tables are missing). Reports and suites read human findings through it.
 *
 * @example
 * const db = openServeTablesReadonly(store.path); // undefined for a store without serve tables
 */
export function openServeTablesReadonly(path: string): ServeDatabase | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  const db = connect(path, true);
  const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'serve_items'").get();
  if (found === undefined) {
    db.close();
    return undefined;
  }
  return db;
}

function connect(path: string, readonly: boolean): ServeDatabase {
  let db: ServeDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new RedcardError('store', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma('busy_timeout = 5000');
  if (!readonly) db.pragma('foreign_keys = ON');
  return db;
}

/** The current time as an ISO string, `offsetMs` from now. */
export function isoNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

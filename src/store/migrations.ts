/**
 * Schema migrations of the SQLite store, applied in order; `PRAGMA user_version` holds how many ran.
 * Never edit a migration that has shipped: append a new one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    config_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX runs_by_config ON runs (config_hash, status);
  CREATE TABLE attempts (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX attempts_in_order ON attempts (run_id, position);
  CREATE TABLE response_cache (key TEXT PRIMARY KEY, response TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE verdict_cache (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE calibrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    judge TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX calibrations_by_judge ON calibrations (judge, id);
  `,
  // 2: one lease per run, so that at most one process works a run at a time (src/engine/run-lease.ts).
  `
  CREATE TABLE run_leases (
    run_id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

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
  // 3: record schema v2. Attempt rows say their schema version (old rows are 1); an attempt's turns are committed one
  // by one while it runs; a strategy attempt's model calls are journaled so a resumed session replays them.
  `
  ALTER TABLE attempts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE turns (
    run_id TEXT NOT NULL,
    attempt_key TEXT NOT NULL,
    turn_index INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, attempt_key, turn_index)
  ) WITHOUT ROWID;
  CREATE TABLE call_journal (
    run_id TEXT NOT NULL,
    attempt_key TEXT NOT NULL,
    call_key TEXT NOT NULL,
    role TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, attempt_key, call_key)
  ) WITHOUT ROWID;
  `,
  // 4: calls that wait for a Batch file (`scan --defer`, `batch export`, `batch import`; src/batch). One row per call of a
  // run: its Batch request line, where it stands (pending, exported, answered, used, failed, failed-seen), its outcome.
  // Only the exported calls are indexed by state (an import counts those still missing; a full state index would
  // slow every update).
  `
  CREATE TABLE batch_calls (
    run_id TEXT NOT NULL,
    custom_id TEXT NOT NULL,
    role TEXT NOT NULL,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT,
    exported_to TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, custom_id)
  );
  CREATE INDEX batch_calls_exported ON batch_calls (run_id) WHERE state = 'exported';
  `,
];

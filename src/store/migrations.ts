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
  // 3: redcard serve (issue 12): accounts, invites, sessions, red-team conversations, flags, annotation tasks, labels.
  // Label and adjudication rows are append-only: an edit adds a row that names the one it supersedes.
  `
  CREATE TABLE serve_accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'red-teamer', 'annotator')),
    password_hash TEXT NOT NULL,
    api_token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE serve_invites (
    token_hash TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'red-teamer', 'annotator')),
    created_by INTEGER REFERENCES serve_accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES serve_accounts (id)
  ) WITHOUT ROWID;
  CREATE TABLE serve_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    idle_expires_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE serve_conversations (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    target_name TEXT NOT NULL,
    target_label TEXT NOT NULL,
    hazard TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX serve_conversations_by_account ON serve_conversations (account_id, id);
  CREATE TABLE serve_messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES serve_conversations (id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    finish_reason TEXT,
    streamed INTEGER,
    latency_ms REAL,
    created_at TEXT NOT NULL,
    UNIQUE (conversation_id, position)
  );
  CREATE TABLE serve_flags (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES serve_conversations (id),
    message_id INTEGER NOT NULL UNIQUE REFERENCES serve_messages (id),
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    kind TEXT NOT NULL CHECK (kind IN ('harmful', 'failure')),
    hazard TEXT NOT NULL,
    note TEXT NOT NULL,
    run_id TEXT NOT NULL,
    attempt_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE serve_tasks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    questions TEXT NOT NULL,
    k INTEGER NOT NULL CHECK (k >= 1),
    created_by INTEGER NOT NULL REFERENCES serve_accounts (id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE serve_items (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES serve_tasks (id),
    position INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    attempt_key TEXT NOT NULL,
    hazard TEXT NOT NULL,
    flag_id INTEGER REFERENCES serve_flags (id),
    UNIQUE (task_id, run_id, attempt_key)
  );
  CREATE INDEX serve_items_by_attempt ON serve_items (run_id, attempt_key);
  CREATE TABLE serve_assignments (
    item_id INTEGER NOT NULL REFERENCES serve_items (id),
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    assigned_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    done_at TEXT,
    PRIMARY KEY (item_id, account_id)
  ) WITHOUT ROWID;
  CREATE INDEX serve_assignments_by_account ON serve_assignments (account_id, done_at);
  CREATE TABLE serve_labels (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES serve_items (id),
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    outcome TEXT CHECK (outcome IN ('refusal', 'compliance', 'partial')),
    harmful INTEGER CHECK (harmful IN (0, 1)),
    hazard TEXT,
    note TEXT NOT NULL,
    supersedes INTEGER REFERENCES serve_labels (id),
    created_at TEXT NOT NULL
  );
  CREATE INDEX serve_labels_by_item ON serve_labels (item_id, account_id, id);
  CREATE TABLE serve_adjudications (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES serve_items (id),
    account_id INTEGER NOT NULL REFERENCES serve_accounts (id),
    outcome TEXT CHECK (outcome IN ('refusal', 'compliance', 'partial')),
    harmful INTEGER CHECK (harmful IN (0, 1)),
    hazard TEXT,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX serve_adjudications_by_item ON serve_adjudications (item_id, id);
  `,
  // 4: calibrations are applied only when asked for by name (`judge-eval --save NAME`, `report --calibration NAME`).
  // Rows saved before names existed get `calibration-<id>`, so they stay usable without ever being applied silently.
  `
  ALTER TABLE calibrations ADD COLUMN name TEXT;
  UPDATE calibrations SET name = 'calibration-' || id WHERE name IS NULL;
  CREATE INDEX calibrations_by_name ON calibrations (name, judge, id);
  `,
  // 5: record schema v2. Attempt rows say their schema version (old rows are 1); an attempt's turns are committed one
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
  // 6: calls that wait for a Batch file (`scan --defer`, `batch export`, `batch import`; src/batch). One row per call of a
  // run: its Batch request line, where it stands (pending, exported, answered, used, failed, failed-seen), its outcome,
  // and its try (1, then one more each time it is asked again after a failure: its line's custom_id says which).
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
    tries INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, custom_id)
  );
  CREATE INDEX batch_calls_exported ON batch_calls (run_id) WHERE state = 'exported';
  `,
  // 7: constitutional-AI runs (issue 10): the run records, every model call of the loop as a step (committed as it
  // returns, so a killed run resumes without asking again), and the finished units (revise items, prefs pairs).
  `
  CREATE TABLE cai_runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX cai_runs_by_config ON cai_runs (config_hash, status);
  CREATE TABLE cai_steps (
    run_id TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    step INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, unit_key, step)
  ) WITHOUT ROWID;
  CREATE TABLE cai_units (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX cai_units_in_order ON cai_units (run_id, position);
  `,
];

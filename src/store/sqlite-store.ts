import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Attempt } from '../spec/attempt.js';
import type { JudgeCalibration } from '../spec/calibration.js';
import { NotFoundError, RedcardError } from '../spec/errors.js';
import type { RunRecord } from '../spec/run-record.js';
import type { GenerateResponse } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import type { Turn } from '../spec/strategy.js';
import type { JournalEntry } from '../models/call-scope.js';
import { MIGRATIONS } from './migrations.js';
import { assertSafeRunId, isSafeRunId } from '../util/safe-path.js';
import { fileSystemError } from '../util/file-system-error.js';
import { checkDatabaseFile, describeDatabaseError, isDatabaseError, nameDatabaseErrors } from './database-error.js';
import { ATTEMPT_ROW_VERSION, decodeAttempt, decodeCalibration, decodeRunRecord, encodeAttempt, encodeRunRecord } from './record-codec.js';
import type { CalibrationEntry, RecordedError, RunLease, Store } from './store-api.js';
import { CaiTables, type CaiStore } from './cai-tables.js';
import { createBatchCallStore, type BatchCallStore } from './batch-call-store.js';

/** A calibration row, checked, with its name column (rows saved before names existed carry it only there). */
function calibrationRow(row: { record: string; name: string | null } | undefined, where: string): JudgeCalibration | undefined {
  if (row === undefined) return undefined;
  const calibration = decodeCalibration(row.record, where);
  return row.name === null ? calibration : { ...calibration, name: row.name };
}

/** Default database location, relative to the working directory. */
export const DEFAULT_DB_PATH = '.redcard/redcard.db';

/**
 * Open (creating and migrating when needed) the SQLite store: WAL journal, one writer, transactions per batch.
 *
 * @example
 * const store = openStore('.redcard/redcard.db');
 * for (const attempt of store.iterateAttempts(runId)) console.log(attempt.verdict?.label);
 * store.close();
 */
export function openStore(path: string = DEFAULT_DB_PATH): Store {
  if (path !== ':memory:') {
    checkDatabaseFile(path);
    createPrivateFile(path);
  }
  let database: Database.Database;
  try {
    database = new Database(path);
  } catch (error) {
    throw new RedcardError('store', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // The busy timeout first: another process opening the same new store at once may hold the lock for a moment.
    database.pragma('busy_timeout = 5000');
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    migrate(database, path);
  } catch (error) {
    database.close();
    if (isDatabaseError(error)) throw new RedcardError('store', describeDatabaseError(error, path), { cause: error });
    throw error;
  }
  return nameDatabaseErrors(new SqliteStore(database, path), path);
}

/**
 * Create the database file (and its folder) readable by its owner only: it holds prompts, responses and run settings.
 * SQLite gives the `-wal` and `-shm` files it makes beside it the same mode. An existing file keeps its mode.
 */
function createPrivateFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw fileSystemError('create database', path, error);
  }
}

function migrate(database: Database.Database, path: string): void {
  const version = (): number => database.pragma('user_version', { simple: true }) as number;
  const newer = (found: number): RedcardError =>
    new RedcardError('store', `${path} was written by a newer redcard (schema ${found}, this one knows ${MIGRATIONS.length}); upgrade redcard`);
  if (version() > MIGRATIONS.length) throw newer(version());
  if (version() === MIGRATIONS.length) return;
  // Under the write lock, and reading the version again: two processes opening a new store at once migrate it once.
  database.transaction(() => {
    const current = version();
    if (current > MIGRATIONS.length) throw newer(current);
    for (let index = current; index < MIGRATIONS.length; index += 1) database.exec(MIGRATIONS[index]);
    database.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

class SqliteStore implements Store {
  readonly #database: Database.Database;
  readonly #statements;
  readonly cai: CaiStore;
  readonly #batchCalls: BatchCallStore;

  constructor(
    database: Database.Database,
    readonly path: string,
  ) {
    this.#database = database;
    this.cai = nameDatabaseErrors(new CaiTables(database, path), path);
    this.#batchCalls = createBatchCallStore(database);
    this.#statements = {
      insertRun: database.prepare('INSERT INTO runs (id, config_hash, status, created_at, record) VALUES (?, ?, ?, ?, ?)'),
      updateRun: database.prepare('UPDATE runs SET status = ?, record = ? WHERE id = ?'),
      getRun: database.prepare<[string], { id: string; record: string }>('SELECT id, record FROM runs WHERE id = ?'),
      latestRun: database.prepare<[], { id: string; record: string }>('SELECT id, record FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1'),
      listRuns: database.prepare<[], { id: string; record: string }>('SELECT id, record FROM runs ORDER BY created_at DESC, rowid DESC'),
      resumable: database.prepare<[string], { id: string; record: string }>(
        "SELECT id, record FROM runs WHERE config_hash = ? AND status != 'completed' ORDER BY created_at DESC LIMIT 1",
      ),
      upsertAttempt: database.prepare(
        'INSERT OR REPLACE INTO attempts (run_id, key, position, failed, record, version) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      iterateAttempts: database.prepare<[string], { key: string; record: string; version: number }>(
        'SELECT key, record, version FROM attempts WHERE run_id = ? ORDER BY position',
      ),
      putTurn: database.prepare('INSERT OR REPLACE INTO turns (run_id, attempt_key, turn_index, record) VALUES (?, ?, ?, ?)'),
      getTurns: database.prepare<[string, string], { record: string }>('SELECT record FROM turns WHERE run_id = ? AND attempt_key = ? ORDER BY turn_index'),
      deleteTurns: database.prepare('DELETE FROM turns WHERE run_id = ? AND attempt_key = ?'),
      putJournal: database.prepare(
        'INSERT OR REPLACE INTO call_journal (run_id, attempt_key, call_key, role, correlation_id, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      getJournal: database.prepare<[string, string], { call_key: string; role: string; correlation_id: string; response: string }>(
        'SELECT call_key, role, correlation_id, response FROM call_journal WHERE run_id = ? AND attempt_key = ?',
      ),
      deleteJournal: database.prepare('DELETE FROM call_journal WHERE run_id = ? AND attempt_key = ?'),
      countAttempts: database.prepare<[string], { total: number; errors: number | null }>(
        'SELECT COUNT(*) AS total, SUM(failed) AS errors FROM attempts WHERE run_id = ?',
      ),
      completedKeys: database.prepare<[string], { key: string }>('SELECT key FROM attempts WHERE run_id = ? AND failed = 0'),
      getResponse: database.prepare<[string], { response: string }>('SELECT response FROM response_cache WHERE key = ?'),
      putResponse: database.prepare('INSERT OR REPLACE INTO response_cache (key, response, created_at) VALUES (?, ?, ?)'),
      getVerdict: database.prepare<[string], { verdict: string }>('SELECT verdict FROM verdict_cache WHERE key = ?'),
      putVerdict: database.prepare('INSERT OR REPLACE INTO verdict_cache (key, verdict, created_at) VALUES (?, ?, ?)'),
      getLease: database.prepare<[string], { run_id: string; token: string; pid: number; host: string; acquired_at: number; heartbeat_at: number }>(
        'SELECT run_id, token, pid, host, acquired_at, heartbeat_at FROM run_leases WHERE run_id = ?',
      ),
      putLease: database.prepare('INSERT OR REPLACE INTO run_leases (run_id, token, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)'),
      renewLease: database.prepare('UPDATE run_leases SET heartbeat_at = ? WHERE run_id = ? AND token = ?'),
      releaseLease: database.prepare('DELETE FROM run_leases WHERE run_id = ? AND token = ?'),
      iterateErrors: database.prepare<[string], { error: string | null }>(
        "SELECT json_extract(record, '$.error') AS error FROM attempts WHERE run_id = ? AND failed = 1 ORDER BY position",
      ),
      saveCalibration: database.prepare('INSERT INTO calibrations (judge, created_at, record, name) VALUES (?, ?, ?, ?)'),
      latestCalibration: database.prepare<[string], { record: string; name: string | null }>(
        'SELECT record, name FROM calibrations WHERE judge = ? ORDER BY id DESC LIMIT 1',
      ),
      nameCalibration: database.prepare('UPDATE calibrations SET name = ? WHERE id = ?'),
      namedCalibration: database.prepare<[string, string], { record: string; name: string | null }>(
        'SELECT record, name FROM calibrations WHERE name = ? AND judge = ? ORDER BY id DESC LIMIT 1',
      ),
      listCalibrations: database.prepare<[], { record: string; name: string | null }>(
        'SELECT record, name FROM calibrations WHERE id IN (SELECT MAX(id) FROM calibrations GROUP BY name, judge) ORDER BY id DESC',
      ),
    };
  }

  /** A stored run record, read checked; its id checked first: ids become file names, and a crafted database must not choose paths. */
  #run(row: { id: string; record: string }, expectedId?: string): RunRecord {
    let id: unknown;
    try {
      id = (JSON.parse(row.record) as { id?: unknown }).id;
    } catch {
      id = row.id;
    }
    assertSafeRunId(id, `${this.path} (runs table)`);
    if (expectedId !== undefined && id !== expectedId) {
      throw new RedcardError('store', `${this.path}: the record stored for run '${expectedId}' names run '${String(id)}'; the database is damaged`);
    }
    return decodeRunRecord(row.record, `${this.path}: run ${row.id}`);
  }

  createRun(record: RunRecord): void {
    assertSafeRunId(record.id, 'new run');
    this.#statements.insertRun.run(record.id, record.configHash, record.status, record.createdAt, encodeRunRecord(record));
  }

  getRun(id: string): RunRecord {
    if (!isSafeRunId(id)) throw new NotFoundError(`no run '${id}' in ${this.path}: not a valid run id (see 'redcard runs')`);
    const row = this.#statements.getRun.get(id);
    if (row === undefined) throw new NotFoundError(`no run '${id}' in ${this.path} (see 'redcard runs')`);
    return this.#run(row, id);
  }

  latestRun(): RunRecord | undefined {
    const row = this.#statements.latestRun.get();
    return row === undefined ? undefined : this.#run(row);
  }

  listRuns(): RunRecord[] {
    return this.#statements.listRuns.all().map((row) => this.#run(row));
  }

  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): void {
    const record = { ...this.getRun(id), ...patch, updatedAt: new Date().toISOString() };
    this.#statements.updateRun.run(record.status, encodeRunRecord(record), id);
  }

  findResumableRun(configHash: string): RunRecord | undefined {
    const row = this.#statements.resumable.get(configHash);
    return row === undefined ? undefined : this.#run(row);
  }

  commitAttempts(attempts: Attempt[]): void {
    if (attempts.length === 0) return;
    const statements = this.#statements;
    this.#database.transaction(() => {
      for (const attempt of attempts) {
        statements.upsertAttempt.run(attempt.runId, attempt.key, attempt.index, attempt.error === null ? 0 : 1, encodeAttempt(attempt), ATTEMPT_ROW_VERSION);
        if (attempt.strategy !== undefined) {
          statements.deleteTurns.run(attempt.runId, attempt.key);
          if (attempt.error === null) statements.deleteJournal.run(attempt.runId, attempt.key);
        }
      }
    })();
  }

  *iterateAttempts(runId: string): IterableIterator<Attempt> {
    for (const row of this.#statements.iterateAttempts.iterate(runId)) {
      yield decodeAttempt(row.record, row.version, `${this.path}: run ${runId}, attempt ${row.key}`);
    }
  }

  putTurn(runId: string, attemptKey: string, turn: Turn): void {
    this.#statements.putTurn.run(runId, attemptKey, turn.index, JSON.stringify(turn));
  }

  getTurns(runId: string, attemptKey: string): Turn[] {
    return this.#statements.getTurns.all(runId, attemptKey).map((row) => JSON.parse(row.record) as Turn);
  }

  putJournalEntry(runId: string, attemptKey: string, callKey: string, entry: JournalEntry): void {
    this.#statements.putJournal.run(runId, attemptKey, callKey, entry.role, entry.correlationId, JSON.stringify(entry.response), new Date().toISOString());
  }

  getJournal(runId: string, attemptKey: string): Map<string, JournalEntry> {
    const journal = new Map<string, JournalEntry>();
    for (const row of this.#statements.getJournal.iterate(runId, attemptKey)) {
      journal.set(row.call_key, { role: row.role as JournalEntry['role'], correlationId: row.correlation_id, response: JSON.parse(row.response) as GenerateResponse });
    }
    return journal;
  }

  countAttempts(runId: string): { total: number; errors: number } {
    const row = this.#statements.countAttempts.get(runId);
    return { total: row?.total ?? 0, errors: row?.errors ?? 0 };
  }

  completedKeys(runId: string): Set<string> {
    const keys = new Set<string>();
    for (const row of this.#statements.completedKeys.iterate(runId)) keys.add(row.key);
    return keys;
  }

  getCachedResponse(key: string): GenerateResponse | undefined {
    const row = this.#statements.getResponse.get(key);
    return row === undefined ? undefined : (JSON.parse(row.response) as GenerateResponse);
  }

  putCachedResponse(key: string, response: GenerateResponse): void {
    this.#statements.putResponse.run(key, JSON.stringify(response), new Date().toISOString());
  }

  getCachedVerdict(key: string): Verdict | undefined {
    const row = this.#statements.getVerdict.get(key);
    return row === undefined ? undefined : (JSON.parse(row.verdict) as Verdict);
  }

  putCachedVerdict(key: string, verdict: Verdict): void {
    this.#statements.putVerdict.run(key, JSON.stringify(verdict), new Date().toISOString());
  }

  saveCalibration(calibration: JudgeCalibration): void {
    const { lastInsertRowid } = this.#statements.saveCalibration.run(calibration.judge, calibration.createdAt, JSON.stringify(calibration), calibration.name ?? null);
    // Unnamed (library callers): named like the rows saved before names existed.
    if (!calibration.name) this.#statements.nameCalibration.run(`calibration-${lastInsertRowid}`, lastInsertRowid);
  }

  latestCalibration(judge: string): JudgeCalibration | undefined {
    return calibrationRow(this.#statements.latestCalibration.get(judge), `${this.path}: calibration of ${judge}`);
  }

  namedCalibration(name: string, judge: string): JudgeCalibration | undefined {
    return calibrationRow(this.#statements.namedCalibration.get(name, judge), `${this.path}: calibration ${name} of ${judge}`);
  }

  listCalibrations(): CalibrationEntry[] {
    return this.#statements.listCalibrations.all().map((row) => {
      const calibration = calibrationRow(row, `${this.path}: calibration ${row.name ?? ''}`)!;
      return { name: calibration.name ?? '', judge: calibration.judge, dataset: calibration.dataset, createdAt: calibration.createdAt };
    });
  }

  getRunLease(runId: string): RunLease | undefined {
    const row = this.#statements.getLease.get(runId);
    return row === undefined
      ? undefined
      : { runId: row.run_id, token: row.token, pid: row.pid, host: row.host, acquiredAt: row.acquired_at, heartbeatAt: row.heartbeat_at };
  }

  putRunLease(lease: RunLease): void {
    this.#statements.putLease.run(lease.runId, lease.token, lease.pid, lease.host, lease.acquiredAt, lease.heartbeatAt);
  }

  renewRunLease(runId: string, token: string, heartbeatAt: number): boolean {
    return this.#statements.renewLease.run(heartbeatAt, runId, token).changes > 0;
  }

  releaseRunLease(runId: string, token: string): void {
    this.#statements.releaseLease.run(runId, token);
  }

  *iterateErrors(runId: string): IterableIterator<RecordedError> {
    for (const row of this.#statements.iterateErrors.iterate(runId)) {
      if (row.error !== null) yield JSON.parse(row.error) as RecordedError;
    }
  }

  /** Run several writes in one transaction (the engine batches attempt commits and cache writes together). */
  transaction(work: () => void): void {
    this.#database.transaction(work)();
  }

  writeTransaction<T>(work: () => T): T {
    return this.#database.transaction(work).immediate();
  }

  putPendingBatchCall(...args: Parameters<BatchCallStore['putPendingBatchCall']>): void {
    this.#batchCalls.putPendingBatchCall(...args);
  }

  getBatchCall(...args: Parameters<BatchCallStore['getBatchCall']>): ReturnType<BatchCallStore['getBatchCall']> {
    return this.#batchCalls.getBatchCall(...args);
  }

  setBatchCallState(...args: Parameters<BatchCallStore['setBatchCallState']>): void {
    this.#batchCalls.setBatchCallState(...args);
  }

  iterateWaitingBatchCalls(runId: string): ReturnType<BatchCallStore['iterateWaitingBatchCalls']> {
    return this.#batchCalls.iterateWaitingBatchCalls(runId);
  }

  markBatchCallsExported(...args: Parameters<BatchCallStore['markBatchCallsExported']>): void {
    this.#batchCalls.markBatchCallsExported(...args);
  }

  recordBatchOutcome(...args: Parameters<BatchCallStore['recordBatchOutcome']>): ReturnType<BatchCallStore['recordBatchOutcome']> {
    return this.#batchCalls.recordBatchOutcome(...args);
  }

  countBatchCalls(runId: string): ReturnType<BatchCallStore['countBatchCalls']> {
    return this.#batchCalls.countBatchCalls(runId);
  }

  countExportedBatchCalls(runId: string): number {
    return this.#batchCalls.countExportedBatchCalls(runId);
  }

  close(): void {
    if (this.#database.open) this.#database.close();
  }
}

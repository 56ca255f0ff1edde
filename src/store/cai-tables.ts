import type Database from 'better-sqlite3';
import {
  CaiItemSchema,
  CaiPairSchema,
  CaiRunRecordSchema,
  CaiStepSchema,
  checkCaiRecord,
  type CaiItem,
  type CaiPair,
  type CaiRunRecord,
  type CaiStep,
} from '../cai/cai-records.js';
import { NotFoundError } from '../spec/errors.js';
import { assertSafeRunId, isSafeRunId } from '../util/safe-path.js';

/** The CAI part of the store (tables of migration 5): runs, the steps of the loop, finished units. */
export interface CaiStore {
  createRun(record: CaiRunRecord): void;
  /** Throws NotFoundError for an unknown id. */
  getRun(id: string): CaiRunRecord;
  /** CAI runs, newest first (of one kind when given). */
  listRuns(kind?: CaiRunRecord['kind']): CaiRunRecord[];
  updateRun(id: string, patch: Partial<Omit<CaiRunRecord, 'id'>>): void;
  /** The newest unfinished CAI run with this config hash (an identical command resumes it). */
  findResumableRun(configHash: string): CaiRunRecord | undefined;
  /** Record one step of a unit in progress, in its own transaction (a killed run keeps it). */
  putStep(step: CaiStep): void;
  /** The recorded steps of one unit, in order. */
  getSteps(runId: string, unitKey: string): CaiStep[];
  /** Every step of a run (units in key order, steps in order), streamed. */
  iterateSteps(runId: string): IterableIterator<CaiStep>;
  /** Commit finished units in one transaction; a unit with the same key replaces the earlier one (an error redone). */
  commitUnits(units: Array<CaiItem | CaiPair>): void;
  /** A run's revise items in plan order, streamed. */
  iterateItems(runId: string): IterableIterator<CaiItem>;
  /** A run's prefs pairs in plan order, streamed. */
  iteratePairs(runId: string): IterableIterator<CaiPair>;
  /** Keys of units committed without error (never redone). */
  completedKeys(runId: string): Set<string>;
  countUnits(runId: string): { total: number; errors: number };
}

/**
 * The CAI tables on the store's connection (so that a CAI run is found or made and its lease taken in one write
 * transaction, like a scan). Records are checked on read: a newer or damaged record is a clear error naming the
 * database, table and key.
 *
 * @example
 * const tables = new CaiTables(database, '.redcard/redcard.db');
 * for (const item of tables.iterateItems(runId)) console.log(item.guard.usable);
 */
export class CaiTables implements CaiStore {
  readonly #statements;

  constructor(
    database: Database.Database,
    readonly path: string,
  ) {
    this.#statements = {
      insertRun: database.prepare('INSERT INTO cai_runs (id, kind, config_hash, status, created_at, record) VALUES (?, ?, ?, ?, ?, ?)'),
      updateRun: database.prepare('UPDATE cai_runs SET status = ?, record = ? WHERE id = ?'),
      getRun: database.prepare<[string], { record: string }>('SELECT record FROM cai_runs WHERE id = ?'),
      listRuns: database.prepare<[], { record: string }>('SELECT record FROM cai_runs ORDER BY created_at DESC, rowid DESC'),
      listRunsOfKind: database.prepare<[string], { record: string }>('SELECT record FROM cai_runs WHERE kind = ? ORDER BY created_at DESC, rowid DESC'),
      resumable: database.prepare<[string], { record: string }>("SELECT record FROM cai_runs WHERE config_hash = ? AND status != 'completed' ORDER BY created_at DESC LIMIT 1"),
      putStep: database.prepare('INSERT OR REPLACE INTO cai_steps (run_id, unit_key, step, record) VALUES (?, ?, ?, ?)'),
      getSteps: database.prepare<[string, string], { unit_key: string; step: number; record: string }>('SELECT unit_key, step, record FROM cai_steps WHERE run_id = ? AND unit_key = ? ORDER BY step'),
      iterateSteps: database.prepare<[string], { unit_key: string; step: number; record: string }>('SELECT unit_key, step, record FROM cai_steps WHERE run_id = ? ORDER BY unit_key, step'),
      upsertUnit: database.prepare('INSERT OR REPLACE INTO cai_units (run_id, key, position, failed, record) VALUES (?, ?, ?, ?, ?)'),
      iterateUnits: database.prepare<[string], { key: string; record: string }>('SELECT key, record FROM cai_units WHERE run_id = ? ORDER BY position'),
      completedKeys: database.prepare<[string], { key: string }>('SELECT key FROM cai_units WHERE run_id = ? AND failed = 0'),
      countUnits: database.prepare<[string], { total: number; errors: number | null }>('SELECT COUNT(*) AS total, SUM(failed) AS errors FROM cai_units WHERE run_id = ?'),
    };
    this.commitUnits = database.transaction((units: Array<CaiItem | CaiPair>) => {
      for (const unit of units) this.#statements.upsertUnit.run(unit.runId, unit.key, unit.index, unit.error === null ? 0 : 1, JSON.stringify(unit));
    });
  }

  readonly commitUnits: (units: Array<CaiItem | CaiPair>) => void;

  createRun(record: CaiRunRecord): void {
    assertSafeRunId(record.id, 'new CAI run');
    this.#statements.insertRun.run(record.id, record.kind, record.configHash, record.status, record.createdAt, JSON.stringify(record));
  }

  getRun(id: string): CaiRunRecord {
    if (!isSafeRunId(id)) throw new NotFoundError(`no CAI run '${id}' in ${this.path}: not a valid run id (see 'redcard cai runs')`);
    const row = this.#statements.getRun.get(id);
    if (row === undefined) throw new NotFoundError(`no CAI run '${id}' in ${this.path} (see 'redcard cai runs')`);
    return this.#run(row.record, id);
  }

  listRuns(kind?: CaiRunRecord['kind']): CaiRunRecord[] {
    const rows = kind === undefined ? this.#statements.listRuns.all() : this.#statements.listRunsOfKind.all(kind);
    return rows.map((row) => this.#run(row.record));
  }

  updateRun(id: string, patch: Partial<Omit<CaiRunRecord, 'id'>>): void {
    const record = { ...this.getRun(id), ...patch, updatedAt: new Date().toISOString() };
    this.#statements.updateRun.run(record.status, JSON.stringify(record), id);
  }

  findResumableRun(configHash: string): CaiRunRecord | undefined {
    const row = this.#statements.resumable.get(configHash);
    return row === undefined ? undefined : this.#run(row.record);
  }

  putStep(step: CaiStep): void {
    this.#statements.putStep.run(step.runId, step.itemKey, step.index, JSON.stringify(step));
  }

  getSteps(runId: string, unitKey: string): CaiStep[] {
    return this.#statements.getSteps.all(runId, unitKey).map((row) => this.#step(row, runId));
  }

  *iterateSteps(runId: string): IterableIterator<CaiStep> {
    for (const row of this.#statements.iterateSteps.iterate(runId)) yield this.#step(row, runId);
  }

  *iterateItems(runId: string): IterableIterator<CaiItem> {
    for (const row of this.#statements.iterateUnits.iterate(runId)) yield checkCaiRecord(CaiItemSchema, JSON.parse(row.record), `${this.path} (cai_units, ${runId}/${row.key})`);
  }

  *iteratePairs(runId: string): IterableIterator<CaiPair> {
    for (const row of this.#statements.iterateUnits.iterate(runId)) yield checkCaiRecord(CaiPairSchema, JSON.parse(row.record), `${this.path} (cai_units, ${runId}/${row.key})`);
  }

  completedKeys(runId: string): Set<string> {
    const keys = new Set<string>();
    for (const row of this.#statements.completedKeys.iterate(runId)) keys.add(row.key);
    return keys;
  }

  countUnits(runId: string): { total: number; errors: number } {
    const row = this.#statements.countUnits.get(runId);
    return { total: row?.total ?? 0, errors: row?.errors ?? 0 };
  }

  #run(text: string, expectedId?: string): CaiRunRecord {
    const record = checkCaiRecord(CaiRunRecordSchema, JSON.parse(text), `${this.path} (cai_runs${expectedId ? `, ${expectedId}` : ''})`);
    assertSafeRunId(record.id, `${this.path} (cai_runs)`);
    return record;
  }

  #step(row: { unit_key: string; step: number; record: string }, runId: string): CaiStep {
    return checkCaiRecord(CaiStepSchema, JSON.parse(row.record), `${this.path} (cai_steps, ${runId}/${row.unit_key}#${row.step})`);
  }
}

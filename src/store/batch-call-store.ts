import type Database from 'better-sqlite3';
import type { ModelRole } from '../spec/strategy.js';
import type { GenerateResponse } from '../spec/target.js';

/**
 * Where a deferred call stands: `pending` (recorded, not in a Batch file yet), `exported` (in a file, no answer yet),
 * `answered` (its answer imported, not used yet), `used` (its answer used by an attempt), `failed` (an error line
 * imported, not seen yet), `failed-seen` (the error recorded on its attempt; the next session defers it again).
 */
export type BatchCallState = 'pending' | 'exported' | 'answered' | 'used' | 'failed' | 'failed-seen';

/** An imported outcome: the answer, or the failure the output line reported. */
export type BatchCallOutcome = { response: GenerateResponse } | { message: string; status?: number };

/** One deferred call as stored. */
export interface BatchCallRow {
  /** Order of recording. */
  sequence: number;
  customId: string;
  role: ModelRole;
  state: BatchCallState;
  /** Its Batch request line (JSON). */
  request: string;
  outcome?: BatchCallOutcome;
  /** The Batch file it was last exported to. */
  exportedTo?: string;
  /** Its try: 1, then one more each time it waits again after a failure (its Batch line's custom_id names the try). */
  tries: number;
}

/** Deferred calls of runs (the batch_calls migration). */
export interface BatchCallStore {
  /** Record a call as pending; one already known keeps its state, except `failed-seen`, which becomes pending again. */
  putPendingBatchCall(runId: string, customId: string, role: ModelRole, request: string): void;
  getBatchCall(runId: string, customId: string): BatchCallRow | undefined;
  /** Move a call to `state` (after its answer or failure was used); to `failed-seen`, it starts its next try. */
  setBatchCallState(runId: string, customId: string, state: BatchCallState): void;
  /** Calls waiting for an answer (pending, exported, failed-seen), in the order they were recorded, streamed. */
  iterateWaitingBatchCalls(runId: string): IterableIterator<BatchCallRow>;
  /** Mark the waiting calls recorded from `fromSequence` to `toSequence` (inclusive) as exported to `file`. */
  markBatchCallsExported(runId: string, fromSequence: number, toSequence: number, file: string): void;
  /**
   * Record an output line's outcome for try `tries` of a call waiting for one: `recorded`; `duplicate` when the call
   * already has an outcome (an earlier line or import) or waits for another try (a stale line); `unknown` when the run
   * has no such call.
   */
  recordBatchOutcome(runId: string, customId: string, outcome: BatchCallOutcome, tries?: number): { result: 'recorded' | 'duplicate' | 'unknown'; role?: ModelRole };
  /** How many calls of the run are in each state. */
  countBatchCalls(runId: string): Record<BatchCallState, number>;
  /** How many calls of the run are exported and still without an answer (from an index: cheap on a large run). */
  countExportedBatchCalls(runId: string): number;
}

interface StoredRow {
  rowid: number;
  custom_id: string;
  role: string;
  state: string;
  request: string;
  outcome: string | null;
  exported_to: string | null;
  tries: number;
}

const WAITING = "('pending', 'exported', 'failed-seen')";

/**
 * The batch-call part of the SQLite store, over its database.
 *
 * @example
 * const calls = createBatchCallStore(database);
 * calls.putPendingBatchCall(runId, key, 'target', JSON.stringify(line));
 */
export function createBatchCallStore(database: Database.Database): BatchCallStore {
  // One time stamp per millisecond is enough: an import records thousands of outcomes a second.
  let stamp = { ms: 0, text: '' };
  const now = (): string => {
    const ms = Date.now();
    if (ms !== stamp.ms) stamp = { ms, text: new Date(ms).toISOString() };
    return stamp.text;
  };
  const statements = {
    put: database.prepare(
      `INSERT INTO batch_calls (run_id, custom_id, role, state, request, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (run_id, custom_id) DO UPDATE SET state = 'pending', request = excluded.request, updated_at = excluded.updated_at
       WHERE batch_calls.state = 'failed-seen'`,
    ),
    get: database.prepare<[string, string], StoredRow>('SELECT rowid, custom_id, role, state, request, outcome, exported_to, tries FROM batch_calls WHERE run_id = ? AND custom_id = ?'),
    setState: database.prepare('UPDATE batch_calls SET state = ?, updated_at = ? WHERE run_id = ? AND custom_id = ?'),
    failureSeen: database.prepare("UPDATE batch_calls SET state = 'failed-seen', tries = tries + 1, updated_at = ? WHERE run_id = ? AND custom_id = ? AND state != 'failed-seen'"),
    waiting: database.prepare<[string], StoredRow>(`SELECT rowid, custom_id, role, state, request, outcome, exported_to, tries FROM batch_calls WHERE run_id = ? AND state IN ${WAITING} ORDER BY rowid`),
    exported: database.prepare(`UPDATE batch_calls SET state = 'exported', exported_to = ?, updated_at = ? WHERE run_id = ? AND rowid BETWEEN ? AND ? AND state IN ${WAITING}`),
    record: database.prepare<[string, string, string, string, string, number], { role: string }>(
      `UPDATE batch_calls SET state = ?, outcome = ?, updated_at = ? WHERE run_id = ? AND custom_id = ? AND tries = ? AND state IN ${WAITING} RETURNING role`,
    ),
    exists: database.prepare<[string, string], { state: string }>('SELECT state FROM batch_calls WHERE run_id = ? AND custom_id = ?'),
    count: database.prepare<[string], { state: string; count: number }>('SELECT state, COUNT(*) AS count FROM batch_calls WHERE run_id = ? GROUP BY state'),
    countExported: database.prepare<[string], { count: number }>("SELECT COUNT(*) AS count FROM batch_calls WHERE run_id = ? AND state = 'exported'"),
  };
  const toRow = (row: StoredRow): BatchCallRow => ({
    sequence: row.rowid,
    customId: row.custom_id,
    role: row.role as ModelRole,
    state: row.state as BatchCallState,
    request: row.request,
    ...(row.outcome === null ? {} : { outcome: JSON.parse(row.outcome) as BatchCallOutcome }),
    ...(row.exported_to === null ? {} : { exportedTo: row.exported_to }),
    tries: row.tries,
  });
  return {
    putPendingBatchCall(runId, customId, role, request) {
      statements.put.run(runId, customId, role, request, now());
    },
    getBatchCall(runId, customId) {
      const row = statements.get.get(runId, customId);
      return row === undefined ? undefined : toRow(row);
    },
    setBatchCallState(runId, customId, state) {
      if (state === 'failed-seen') statements.failureSeen.run(now(), runId, customId);
      else statements.setState.run(state, now(), runId, customId);
    },
    *iterateWaitingBatchCalls(runId) {
      for (const row of statements.waiting.iterate(runId)) yield toRow(row);
    },
    markBatchCallsExported(runId, fromSequence, toSequence, file) {
      statements.exported.run(file, now(), runId, fromSequence, toSequence);
    },
    recordBatchOutcome(runId, customId, outcome, tries = 1) {
      const state = 'response' in outcome ? 'answered' : 'failed';
      const updated = statements.record.get(state, JSON.stringify(outcome), now(), runId, customId, tries);
      if (updated !== undefined) return { result: 'recorded', role: updated.role as ModelRole };
      return { result: statements.exists.get(runId, customId) === undefined ? 'unknown' : 'duplicate' };
    },
    countBatchCalls(runId) {
      const counts: Record<BatchCallState, number> = { pending: 0, exported: 0, answered: 0, used: 0, failed: 0, 'failed-seen': 0 };
      for (const row of statements.count.iterate(runId)) counts[row.state as BatchCallState] = row.count;
      return counts;
    },
    countExportedBatchCalls(runId) {
      return statements.countExported.get(runId)?.count ?? 0;
    },
  };
}

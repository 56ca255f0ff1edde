import type { BatchCallStore } from './batch-call-store.js';
import type { Attempt } from '../spec/attempt.js';
import type { Turn } from '../spec/strategy.js';
import type { JournalEntry } from '../models/call-scope.js';
import type { JudgeCalibration } from '../spec/calibration.js';
import type { RunRecord } from '../spec/run-record.js';
import type { GenerateResponse } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import type { CaiStore } from './cai-tables.js';

/** The cache part of the store: target responses and judge verdicts keyed by a content hash. */
export interface CacheStore {
  getCachedResponse(key: string): GenerateResponse | undefined;
  putCachedResponse(key: string, response: GenerateResponse): void;
  getCachedVerdict(key: string): Verdict | undefined;
  putCachedVerdict(key: string, verdict: Verdict): void;
}

/** A saved calibration as listed (no rates). */
export interface CalibrationEntry {
  name: string;
  judge: string;
  dataset: string;
  createdAt: string;
}

/** Saved judge calibrations (judge-eval --save [NAME]). Saving a name again keeps the old row; the newest wins. */
export interface CalibrationStore {
  /** Save under `calibration.name` (unnamed: `calibration-<row id>`). */
  saveCalibration(calibration: JudgeCalibration): void;
  /** The newest calibration of any name for a judge (kept for tools; reports never apply it unasked). */
  latestCalibration(judge: string): JudgeCalibration | undefined;
  /** The newest calibration saved under `name` for `judge`, with its name set. */
  namedCalibration?(name: string, judge: string): JudgeCalibration | undefined;
  /** Every saved name × judge (newest row of each), newest first. */
  listCalibrations?(): CalibrationEntry[];
}

/** Runs and their attempts. An attempt counts only once committed. */
export interface RunStore {
  createRun(record: RunRecord): void;
  /** Throws NotFoundError for an unknown id. */
  getRun(id: string): RunRecord;
  /** Most recently created run, if any. */
  latestRun(): RunRecord | undefined;
  /** All runs, newest first. */
  listRuns(): RunRecord[];
  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): void;
  /** The newest unfinished run with this config hash (to resume an identical scan). */
  findResumableRun(configHash: string): RunRecord | undefined;
  /**
   * Commit attempts in one transaction; an attempt with the same (runId, key) replaces the earlier one (an error
   * retried). Its in-progress turns are dropped (the attempt holds them); its call journal is dropped once it succeeded.
   */
  commitAttempts(attempts: Attempt[]): void;
  /** Attempts of a run in plan order, streamed (never all in memory). */
  iterateAttempts(runId: string): IterableIterator<Attempt>;
  /** Committed attempts of a run and how many of them are errors. */
  countAttempts(runId: string): { total: number; errors: number };
  /** Keys of a run's attempts committed without error (those are never redone). */
  completedKeys(runId: string): Set<string>;
}

/** Trajectories in progress: turns committed one by one, and the call journal a resumed attempt is replayed from. */
export interface TrajectoryStore {
  /** Commit one turn of an attempt still running (its own transaction: a killed run keeps it). */
  putTurn(runId: string, attemptKey: string, turn: Turn): void;
  /** Turns committed so far for an attempt that is not finished, in order. */
  getTurns(runId: string, attemptKey: string): Turn[];
  /** Record one model call of an attempt (its own transaction). */
  putJournalEntry(runId: string, attemptKey: string, callKey: string, entry: JournalEntry): void;
  /** The recorded calls of an attempt, by call key. */
  getJournal(runId: string, attemptKey: string): Map<string, JournalEntry>;
}

/** Who works a run: one row per run, taken and checked inside `writeTransaction` (see src/engine/run-lease.ts). */
export interface RunLease {
  runId: string;
  /** Random per holder: renewals and releases only touch the holder's own lease. */
  token: string;
  pid: number;
  host: string;
  /** Epoch milliseconds when the lease was taken. */
  acquiredAt: number;
  /** Epoch milliseconds of the holder's last heartbeat. */
  heartbeatAt: number;
}

/** Run leases. */
export interface LeaseStore {
  getRunLease(runId: string): RunLease | undefined;
  /** Insert or replace the run's lease. */
  putRunLease(lease: RunLease): void;
  /** Move the heartbeat of the lease with this token; false when the run's lease is no longer this token's. */
  renewRunLease(runId: string, token: string, heartbeatAt: number): boolean;
  /** Drop the lease if it is still this token's. */
  releaseRunLease(runId: string, token: string): void;
}

/** One error of an errored attempt, as recorded. */
export interface RecordedError {
  stage: string;
  message: string;
  status?: number;
}

/** The whole store. */
export interface Store extends RunStore, CacheStore, CalibrationStore, LeaseStore, TrajectoryStore, BatchCallStore {
  /** Path of the database file. */
  readonly path: string;
  /** Constitutional-AI runs, steps and units (`redcard cai`). */
  readonly cai: CaiStore;
  /** The errors of a run's errored attempts (plan order), without reading the rest of their records. */
  iterateErrors(runId: string): IterableIterator<RecordedError>;
  /** Run several writes in one transaction (the engine commits a batch of attempts with their cache entries). */
  transaction(work: () => void): void;
  /**
   * Run `work` in one transaction that holds the database's write lock from its start (BEGIN IMMEDIATE), so that what
   * it reads cannot change before it writes: another process waits (busy timeout) instead of racing it.
   */
  writeTransaction<T>(work: () => T): T;
  close(): void;
}

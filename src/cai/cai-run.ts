import { setMaxListeners } from 'node:events';
import { ConfigError } from '../spec/errors.js';
import type { Store } from '../store/store-api.js';
import { abortableSleep } from '../targets/abortable-sleep.js';
import { claimRunLease, currentClaimant, holdRunLease, RunLockedError, type LeaseClaimant } from '../engine/run-lease.js';
import { sha256 } from '../util/hash.js';
import { toolVersion } from '../util/paths.js';
import { CAI_RECORD_VERSION, type CaiItem, type CaiPair, type CaiRunRecord } from './cai-records.js';

/** What the CAI loop tells its caller (the CLI renders these; the library never prints). */
export type CaiEvent =
  | { type: 'start'; run: CaiRunRecord; planned: number; alreadyDone: number; resumed: boolean }
  | { type: 'waiting'; runId: string; holder: RunLockedError['holder'] }
  | { type: 'unit'; unit: CaiItem | CaiPair; replayedSteps: number }
  | { type: 'progress'; done: number; total: number; errors: number; elapsedMs: number }
  | { type: 'finish'; run: CaiRunRecord; interrupted: boolean; done: number; errors: number; /** Units waiting for Batch answers. */ deferred: number };

/** A unit of work of a CAI run: its key and position in the plan. */
export interface PlannedUnit {
  key: string;
  index: number;
}

/** What finding or making a CAI run needs. */
export interface CaiRunSpec<Unit extends PlannedUnit> {
  store: Store;
  /** The run record's fields that describe it (everything but id, status, times, tool, planned and wall time). */
  describe: Omit<CaiRunRecord, 'schemaVersion' | 'id' | 'configHash' | 'status' | 'createdAt' | 'updatedAt' | 'tool' | 'planned' | 'wallTimeMs'>;
  /** What defines the plan: an identical command resumes the run. */
  planIdentity: unknown;
  units: Unit[];
  /** Resume this run (its plan must match). */
  resumeRunId?: string;
  /** Start a new run even if an identical unfinished one exists. */
  fresh?: boolean;
  /** Wait for another process holding the run instead of refusing. */
  waitForLease?: boolean;
  claimant?: LeaseClaimant;
  /** Units in flight at most. */
  concurrency: number;
  signal?: AbortSignal;
  onEvent?: (event: CaiEvent) => void;
  /** Progress event period (default 250 ms). */
  progressIntervalMs?: number;
  /** Told of the run once it is found or made, before any unit is worked (e.g. to attach a Batch deferral to its id). */
  onOpened?(run: CaiRunRecord): void;
  /**
   * Make one unit; undefined when interrupted (the unit is redone on resume), `deferred` when a call waits for a Batch
   * answer (the unit is redone once it is imported; the other units go on).
   */
  perform(unit: Unit, run: CaiRunRecord, signal: AbortSignal): Promise<{ unit: CaiItem | CaiPair; replayedSteps: number } | 'deferred' | undefined>;
}

/** The outcome of a CAI session. */
export interface CaiRunResult {
  run: CaiRunRecord;
  /** Stopped before every unit was made: Ctrl-C, a lost lease, or units waiting for Batch answers (`deferred`). */
  interrupted: boolean;
  /** Units of this session that wait for a Batch answer. */
  deferred: number;
  done: number;
  errors: number;
}

function newCaiRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `cai-${stamp}-${sha256(`${now.getTime()}${Math.random()}`, 6)}`;
}

/** Hash of a CAI plan: kind, source, models, constitution, settings and the units' keys. */
export function caiConfigHash(kind: string, planIdentity: unknown, units: PlannedUnit[]): string {
  return sha256(JSON.stringify({ kind, plan: planIdentity, units: sha256(units.map((unit) => unit.key).join('\u0000')) }), 24);
}

function openOnce<Unit extends PlannedUnit>(spec: CaiRunSpec<Unit>, resumeRunId: string | undefined, claimant: LeaseClaimant) {
  const { store } = spec;
  const configHash = caiConfigHash(spec.describe.kind, spec.planIdentity, spec.units);
  return store.writeTransaction(() => {
    let run: CaiRunRecord | undefined;
    if (resumeRunId !== undefined) {
      run = store.cai.getRun(resumeRunId);
      if (run.configHash !== configHash) {
        throw new ConfigError(`CAI run '${run.id}' was planned with other settings, models, constitution or prompts; resume it with the command that started it, or start a new run`, { field: 'resume' });
      }
    } else if (!spec.fresh) {
      run = store.cai.findResumableRun(configHash);
    }
    if (run === undefined) {
      const now = new Date().toISOString();
      const created: CaiRunRecord = {
        schemaVersion: CAI_RECORD_VERSION,
        id: newCaiRunId(new Date()),
        configHash,
        status: 'running',
        createdAt: now,
        updatedAt: now,
        tool: { name: 'redcard', version: toolVersion() },
        planned: spec.units.length,
        wallTimeMs: 0,
        ...spec.describe,
      };
      store.cai.createRun(created);
      return { run: created, resumed: false, lease: claimRunLease(store, created.id, claimant) };
    }
    const lease = claimRunLease(store, run.id, claimant);
    const simulatedRoles = [...new Set([...run.simulatedRoles, ...spec.describe.simulatedRoles])].sort();
    store.cai.updateRun(run.id, { status: 'running', simulatedRoles });
    return { run: store.cai.getRun(run.id), resumed: true, lease };
  });
}

/**
 * Find or make a CAI run and work it: take the run's lease (as scans do: one process per run; `waitForLease` polls),
 * then perform every unit not yet committed without error, `concurrency` at a time, committing each as it finishes.
 * Ctrl-C (the signal) stops sending: finished units and recorded steps are kept and the run is marked interrupted, to
 * resume with the same command.
 *
 * @example
 * const result = await workCaiRun({ store, describe, planIdentity, units, concurrency: 8, perform });
 */
export async function workCaiRun<Unit extends PlannedUnit>(spec: CaiRunSpec<Unit>): Promise<CaiRunResult> {
  const claimant = spec.claimant ?? currentClaimant();
  let resumeRunId = spec.resumeRunId;
  let opened: ReturnType<typeof openOnce>;
  for (let waiting = false; ; waiting = true) {
    try {
      opened = openOnce(spec, resumeRunId, claimant);
      break;
    } catch (error) {
      if (!(error instanceof RunLockedError) || !spec.waitForLease) throw error;
      if (!waiting) spec.onEvent?.({ type: 'waiting', runId: error.runId, holder: error.holder });
      resumeRunId = error.runId;
    }
    await abortableSleep(500, spec.signal);
  }
  const { store } = spec;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  let leaseLost = false;
  const held = holdRunLease(store, opened.lease, claimant, () => {
    leaseLost = true;
    controller.abort();
  });
  const onCallerAbort = (): void => controller.abort();
  spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (spec.signal?.aborted) controller.abort();
  const run = opened.run;
  spec.onOpened?.(run);
  const started = Date.now();
  let deferred = 0;
  try {
    const completed = store.cai.completedKeys(run.id);
    const pending = spec.units.filter((unit) => !completed.has(unit.key));
    const progress = { done: completed.size, total: spec.units.length, errors: 0, elapsedMs: 0 };
    spec.onEvent?.({ type: 'start', run, planned: spec.units.length, alreadyDone: completed.size, resumed: opened.resumed });
    const timer = setInterval(() => spec.onEvent?.({ type: 'progress', ...progress, elapsedMs: Date.now() - started }), spec.progressIntervalMs ?? 250);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!controller.signal.aborted && next < pending.length) {
        const unit = pending[next++]!;
        const made = await spec.perform(unit, run, controller.signal);
        if (made === undefined || controller.signal.aborted) return;
        if (made === 'deferred') {
          deferred += 1;
          continue;
        }
        store.cai.commitUnits([made.unit]);
        progress.done += 1;
        if (made.unit.error !== null) progress.errors += 1;
        spec.onEvent?.({ type: 'unit', unit: made.unit, replayedSteps: made.replayedSteps });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(spec.concurrency, pending.length)) }, worker));
    } finally {
      clearInterval(timer);
    }
    const counts = store.cai.countUnits(run.id);
    // A unit waiting for a Batch answer may still hold an earlier session's error: the run is not done.
    const interrupted = controller.signal.aborted || deferred > 0 || counts.total < spec.units.length;
    store.cai.updateRun(run.id, { status: interrupted ? 'interrupted' : 'completed', wallTimeMs: run.wallTimeMs + (Date.now() - started) });
    const finalRun = store.cai.getRun(run.id);
    spec.onEvent?.({ type: 'finish', run: finalRun, interrupted, done: counts.total, errors: counts.errors, deferred });
    if (leaseLost) throw new RunLockedError(run.id, store.getRunLease(run.id) ?? opened.lease, claimant.now());
    return { run: finalRun, interrupted, deferred, done: counts.total, errors: counts.errors };
  } finally {
    spec.signal?.removeEventListener('abort', onCallerAbort);
    held.release();
  }
}

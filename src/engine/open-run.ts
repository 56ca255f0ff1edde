import type { AttackChain } from '../attacks/chain.js';
import type { Behavior } from '../spec/behavior.js';
import { hashBehaviors, isBehaviorList, type BehaviorList } from '../corpus/behavior-list.js';
import { ConfigError } from '../spec/errors.js';
import { RUN_RECORD_VERSION, type ModelDescription, type RunRecord } from '../spec/run-record.js';
import type { BudgetLimits, ModelRole } from '../spec/strategy.js';
import type { SamplingParams, Target } from '../spec/target.js';
import type { RunLease, Store } from '../store/store-api.js';
import { sha256 } from '../util/hash.js';
import { toolVersion } from '../util/paths.js';
import { abortableSleep } from '../targets/abortable-sleep.js';
import { claimRunLease, currentClaimant, RunLockedError, type LeaseClaimant } from './run-lease.js';

/** What is recorded about a scan besides its plan. */
export interface ScanDescription {
  suites: string[];
  attacks: string[];
  judge: string;
  /**
   * The judge as the plan knows it (`judgeIdentity`: its models by identity, not base URL); defaults to `judge`.
   * Not recorded: part of the config hash only.
   */
  judgeIdentity?: string;
  params: SamplingParams;
  /** The resolved settings, so that a resumed run can be rebuilt (merged into a resumed run's own). */
  settings: Record<string, unknown>;
  /** Display name of the model under test (RunRecord.name). */
  name?: string;
  /** Roles played by simulated models (RunRecord.simulatedRoles); a resumed run keeps the union. */
  simulatedRoles?: string[];
}

/** What defines a run's plan and how to find or make it. */
export interface OpenRunInput {
  store: Store;
  target: Target;
  /** An array, or a list read again from its suite files (`openSuites`). */
  behaviors: readonly Behavior[] | BehaviorList;
  chains: AttackChain[];
  samples: number;
  limit?: number | null;
  describe: ScanDescription;
  /** Resume this run (its plan must match); otherwise an unfinished identical run is resumed, or a new one made. */
  resumeRunId?: string;
  /** Always start a new run, even when an identical unfinished one exists. */
  fresh?: boolean;
  /** When another process holds the run, wait for it (polling) instead of throwing RunLockedError. */
  waitForLease?: boolean;
  /** Poll period while waiting (default 500 ms). */
  leasePollMs?: number;
  /** Who takes the lease (default: this process). */
  claimant?: LeaseClaimant;
  signal?: AbortSignal;
  /** Called once when the run is held by another process and we wait for it. */
  onWaiting?: (error: RunLockedError) => void;
  /** Every model the run calls, by role (recorded as `roles`; the target is `target`'s). */
  roles?: Partial<Record<ModelRole, Target[]>>;
  /** Budgets in force (recorded as `budgets`). */
  budgets?: { attempt: BudgetLimits; run: BudgetLimits };
}

/** A model as the run record keeps it. */
export function describeModel(target: Target): ModelDescription {
  return { kind: target.kind, label: target.label, identity: target.identity, simulated: target.simulated };
}

function rolesOf(input: OpenRunInput): RunRecord['roles'] {
  const roles: Partial<Record<ModelRole, Target[]>> = { target: [input.target], ...input.roles };
  return Object.fromEntries(Object.entries(roles).map(([role, targets]) => [role, (targets ?? []).map(describeModel)]));
}

/** An opened run: its record, whether it was resumed, and the lease this process now holds on it. */
export interface OpenedRun {
  run: RunRecord;
  resumed: boolean;
  lease: RunLease;
}

type PlanInput = Pick<OpenRunInput, 'behaviors' | 'chains' | 'samples' | 'limit' | 'describe' | 'roles'> & { target: Pick<Target, 'identity' | 'label'> };

function behaviorsHash(behaviors: readonly Behavior[] | BehaviorList): string {
  return isBehaviorList(behaviors) ? behaviors.hash : hashBehaviors(behaviors);
}

/** Hash of everything that defines the plan and its meaning: an identical scan resumes the same run. */
export function scanConfigHash(input: PlanInput): string {
  return sha256(
    JSON.stringify({
      target: input.target.identity,
      behaviors: behaviorsHash(input.behaviors),
      chains: input.chains.map((chain) => chain.id),
      samples: input.samples,
      limit: input.limit ?? null,
      judge: input.describe.judgeIdentity ?? input.describe.judge,
      params: input.describe.params,
    }),
    24,
  );
}

/**
 * The first plan-defining setting of a scan that differs from a recorded run, in words; when none of the recorded
 * ones does, the suites' behaviors themselves changed.
 *
 * @example
 * planDifference(run, input) // "samples (the run has 1, this scan 2)"
 */
export function planDifference(run: RunRecord, input: PlanInput): string {
  const show = (value: unknown): string => (value === null || value === undefined ? 'none' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value));
  const differs = (name: string, recorded: unknown, current: unknown): string | undefined =>
    JSON.stringify(recorded) === JSON.stringify(current) ? undefined : `${name} (the run has ${show(recorded)}, this scan ${show(current)})`;
  // Two targets with one label differ in what the label does not show (system prompt, params, profile file): show all.
  const shownTarget = (label: string, identity: string): string => (run.target.label === input.target.label ? identity : show(label));
  return (
    (run.target.identity === input.target.identity
      ? undefined
      : `target (the run has ${shownTarget(run.target.label, run.target.identity)}, this scan ${shownTarget(input.target.label, input.target.identity)})`) ??
    differs('attacks', run.attacks, input.chains.map((chain) => chain.id)) ??
    differs('samples', run.samples, input.samples) ??
    differs('limit', run.limit, input.limit ?? null) ??
    differs('judge', run.judge, input.describe.judge) ??
    (input.roles?.judge === undefined || run.roles.judge === undefined
      ? undefined
      : differs('judge models', run.roles.judge.map((model) => model.identity), input.roles.judge.map((model) => model.identity))) ??
    differs('sampling parameters', run.params, input.describe.params) ??
    `suites (the behaviors they hold differ from the run's: was a dataset file edited?${JSON.stringify(run.suites) === JSON.stringify(input.describe.suites) ? '' : ` the run has ${show(run.suites)}, this scan ${show(input.describe.suites)}`})`
  );
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${sha256(`${now.getTime()}${Math.random()}`, 6)}`;
}

function newRunRecord(input: OpenRunInput, configHash: string, planned: number): RunRecord {
  const now = new Date();
  const roles = input.describe.simulatedRoles ?? [];
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id: newRunId(now),
    configHash,
    status: 'running',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    tool: { name: 'redcard', version: toolVersion() },
    ...(input.describe.name === undefined ? {} : { name: input.describe.name }),
    ...(roles.length === 0 ? {} : { simulatedRoles: roles }),
    target: describeModel(input.target),
    roles: rolesOf(input),
    judge: input.describe.judge,
    suites: input.describe.suites,
    attacks: input.describe.attacks,
    samples: input.samples,
    limit: input.limit ?? null,
    planned,
    params: input.describe.params,
    wallTimeMs: 0,
    accounting: {},
    spent: { queries: 0, tokens: 0 },
    budgets: input.budgets ?? { attempt: {}, run: {} },
    settings: input.describe.settings,
  };
}

/** What a resumed run's record takes from this session: settings (merged), name, simulated roles (union). */
function resumedRecordPatch(run: RunRecord, input: OpenRunInput, configHash: string): Partial<RunRecord> {
  const roles = [...new Set([...(run.simulatedRoles ?? []), ...(input.describe.simulatedRoles ?? [])])].sort();
  return {
    status: 'running',
    configHash,
    roles: rolesOf(input),
    budgets: input.budgets ?? run.budgets,
    stoppedBy: undefined,
    settings: { ...run.settings, ...input.describe.settings },
    ...(input.describe.name === undefined ? {} : { name: input.describe.name }),
    ...(roles.length === 0 ? {} : { simulatedRoles: roles }),
    target: { ...describeModel(input.target), simulated: run.target.simulated || input.target.simulated },
  };
}

/**
 * True when a run first written as v1 matches this scan by the identity its target had then: v1 identities held an
 * install path or a base URL, so its stored hash is recomputed with its own recorded identity.
 */
function matchesV1Run(run: RunRecord, input: OpenRunInput): boolean {
  if (run.migratedFrom !== 1 || run.target.kind !== input.target.kind) return false;
  // v1 hashed the judge by its spec as written.
  const { judgeIdentity: _unused, ...describe } = input.describe;
  return scanConfigHash({ ...input, describe, target: { ...input.target, identity: run.target.identity } }) === run.configHash;
}

function openOnce(input: OpenRunInput, planned: number, claimant: LeaseClaimant): OpenedRun {
  const store = input.store;
  const configHash = scanConfigHash(input);
  return store.writeTransaction(() => {
    let run: RunRecord | undefined;
    if (input.resumeRunId !== undefined) {
      run = store.getRun(input.resumeRunId);
      if (run.configHash !== configHash && !matchesV1Run(run, input)) {
        throw new ConfigError(
          `run '${run.id}' was planned with another ${planDifference(run, input)}; a resumed run keeps its plan: resume it without changing that, or start a new run`,
          { field: 'resume' },
        );
      }
    } else if (!input.fresh) {
      run = store.findResumableRun(configHash);
    }
    if (run === undefined) {
      const created = newRunRecord(input, configHash, planned);
      store.createRun(created);
      return { run: created, resumed: false, lease: claimRunLease(store, created.id, claimant) };
    }
    const lease = claimRunLease(store, run.id, claimant);
    store.updateRun(run.id, resumedRecordPatch(run, input, configHash));
    return { run: store.getRun(run.id), resumed: true, lease };
  });
}

/**
 * Find or make the run of a scan and take its lease, in one write transaction: a run named by `resumeRunId` (its plan
 * must match: a ConfigError names the first differing setting), else the newest unfinished run with the same plan
 * (unless `fresh`), else a new run. When another live process holds the run, throws RunLockedError, or with
 * `waitForLease` polls until the holder releases it (or dies) and then resumes that run (nothing is left to do when the
 * holder completed it).
 *
 * @example
 * const { run, resumed, lease } = await openScanRun({ store, target, behaviors, chains, samples: 1, describe }, 48);
 */
export async function openScanRun(input: OpenRunInput, planned: number): Promise<OpenedRun> {
  const claimant = input.claimant ?? currentClaimant();
  let resumeRunId = input.resumeRunId;
  let waiting = false;
  for (;;) {
    try {
      return openOnce({ ...input, resumeRunId }, planned, claimant);
    } catch (error) {
      if (!(error instanceof RunLockedError) || !input.waitForLease) throw error;
      if (!waiting) input.onWaiting?.(error);
      waiting = true;
      // Wait for that very run: once free it is resumed, even if its holder completed it meanwhile.
      resumeRunId = error.runId;
    }
    await abortableSleep(input.leasePollMs ?? 500, input.signal); // Ctrl-C while waiting: AbortedError
  }
}

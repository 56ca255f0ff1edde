import type { AttackChain } from '../attacks/chain.js';
import type { Behavior } from '../spec/behavior.js';
import { ConfigError } from '../spec/errors.js';
import type { ModelRole, BudgetLimits } from '../spec/strategy.js';
import { RUN_RECORD_VERSION, type ModelDescription, type RunRecord } from '../spec/run-record.js';
import type { SamplingParams, Target } from '../spec/target.js';
import type { Store } from '../store/store-api.js';
import { sha256 } from '../util/hash.js';
import { toolVersion } from '../util/paths.js';

/** What defines a run's plan and its meaning. */
export interface RunShape {
  target: Pick<Target, 'identity'>;
  behaviors: Behavior[];
  chains: AttackChain[];
  samples: number;
  limit?: number | null;
  describe: { judge: string; params: SamplingParams };
}

/** Hash of everything that defines the plan and its meaning: an identical scan resumes the same run. */
export function scanConfigHash(input: RunShape): string {
  const behaviors = sha256(input.behaviors.map((behavior) => `${behavior.id}\u0000${behavior.text}\u0000${behavior.context ?? ''}`).join('\u0001'));
  return sha256(
    JSON.stringify({
      target: input.target.identity,
      behaviors,
      chains: input.chains.map((chain) => chain.id),
      samples: input.samples,
      limit: input.limit ?? null,
      judge: input.describe.judge,
      params: input.describe.params,
    }),
    24,
  );
}

/** A model as the run record keeps it. */
export function describeModel(target: Target): ModelDescription {
  return { kind: target.kind, label: target.label, identity: target.identity, simulated: target.simulated };
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${sha256(`${now.getTime()}${Math.random()}`, 6)}`;
}

/** What opening a run needs beyond its shape. */
export interface OpenRunInput extends RunShape {
  store: Store;
  target: Target;
  describe: RunShape['describe'] & { suites: string[]; attacks: string[]; settings: Record<string, unknown> };
  roles: Partial<Record<ModelRole, Target[]>>;
  budgets: { attempt: BudgetLimits; run: BudgetLimits };
  resumeRunId?: string;
  fresh?: boolean;
}

/**
 * Resume the named run (its plan must match), else an unfinished identical one, else create a new run (v2 record).
 * A v1 run is matched by the identity its target had then: identities of v2 no longer hold install paths or base
 * URLs, so the hash it was stored with is recomputed with its own recorded identity.
 */
export function openRun(input: OpenRunInput, planned: number): { run: RunRecord; resumed: boolean } {
  const configHash = scanConfigHash(input);
  const roles = Object.fromEntries(Object.entries(input.roles).map(([role, targets]) => [role, (targets ?? []).map(describeModel)]));
  if (input.resumeRunId) {
    const run = input.store.getRun(input.resumeRunId);
    const matchesV1 = run.migratedFrom === 1 && run.target.kind === input.target.kind && scanConfigHash({ ...input, target: { identity: run.target.identity } }) === run.configHash;
    if (run.configHash !== configHash && !matchesV1) {
      throw new ConfigError(`run '${run.id}' was planned with other settings; resume it without changing target, suites, attacks, judge, samples or limit`, { field: 'resume' });
    }
    input.store.updateRun(run.id, { configHash, roles, budgets: input.budgets, target: describeModel(input.target) });
    return { run: input.store.getRun(run.id), resumed: true };
  }
  const existing = input.fresh ? undefined : input.store.findResumableRun(configHash);
  if (existing) {
    input.store.updateRun(existing.id, { roles, budgets: input.budgets, target: describeModel(input.target) });
    return { run: input.store.getRun(existing.id), resumed: true };
  }
  const now = new Date();
  const run: RunRecord = {
    schemaVersion: RUN_RECORD_VERSION,
    id: newRunId(now),
    configHash,
    status: 'running',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    tool: { name: 'redcard', version: toolVersion() },
    target: describeModel(input.target),
    roles,
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
    budgets: input.budgets,
    settings: input.describe.settings,
  };
  input.store.createRun(run);
  return { run, resumed: false };
}

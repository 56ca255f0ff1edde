import { z } from 'zod';
import { SamplingParamsSchema } from './target.js';
import { RoleAccountingSchema } from './attempt.js';
import { BudgetLimitsSchema, ModelRoleSchema } from './strategy.js';
import { RUN_ID_PATTERN } from '../util/safe-path.js';

/**
 * Version of the run-record and attempt schemas. Changing any field bumps it; docs/run-record.md lists the history.
 * 2: conversations (attempt `turns`, `queries`, strategy fields), models per role, accounting per role, budgets.
 */
export const RUN_RECORD_VERSION = 2;

/** The versions this redcard reads (older ones are upgraded on read). */
export const READABLE_RUN_RECORD_VERSIONS = [1, 2] as const;

/** A model as a run records it (never a secret). */
export const ModelDescriptionSchema = z.object({
  /** Adapter kind. */
  kind: z.string(),
  /** Human-readable label (may say where it is served). */
  label: z.string(),
  /** Identity: name, model and sampling settings (cache and journal key; not the base URL). */
  identity: z.string(),
  /** True when simulated. */
  simulated: z.boolean(),
});
export type ModelDescription = z.infer<typeof ModelDescriptionSchema>;

/** Lifecycle of a run: `running` until it ends; `interrupted` by Ctrl-C or a crash (resumable); `completed` when every planned attempt is committed (some may be errors). */
export const RunStatusSchema = z.enum(['running', 'interrupted', 'completed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** What one endpoint of the target did over a run's sessions. */
export const EndpointCountsSchema = z.object({
  /** Base URL of the endpoint. */
  url: z.string(),
  /** Tries sent to it. */
  requests: z.number().int().min(0),
  /** Tries it answered. */
  answered: z.number().int().min(0),
  /** Tries that failed there. */
  failed: z.number().int().min(0),
  /** Tries moved to another endpoint after a network failure there. */
  failovers: z.number().int().min(0),
});
export type EndpointCounts = z.infer<typeof EndpointCountsSchema>;

/** Everything needed to reproduce and describe a run. */
export const RunRecordSchema = z.object({
  /** Schema version of this record (RUN_RECORD_VERSION when written; older records are upgraded on read). */
  schemaVersion: z.number().int(),
  /** The schema version the run was first written in, when it was older than this record's (v1 runs read as v2). */
  migratedFrom: z.number().int().optional(),
  /**
   * Run id, e.g. `run-20261126-213500-ab12cd`: a letter or digit, then letters, digits, `.`, `_`, `-` (RUN_ID_PATTERN),
   * checked on read because ids become file names (`redcard-report-<id>.html`, a leaderboard's `runs/<id>.html`).
   */
  id: z.string().regex(RUN_ID_PATTERN, 'not a valid run id (letters, digits, ".", "_" and "-", starting with a letter or digit)'),
  /** Hash of everything that defines the plan (target identity, suites, attacks, samples, limit, judge); an identical scan resumes the same run. */
  configHash: z.string(),
  /** Current status. */
  status: RunStatusSchema,
  /** ISO time the run was created. */
  createdAt: z.string(),
  /** ISO time of the last update. */
  updatedAt: z.string(),
  /** redcard name and version that made the run. */
  tool: z.object({ name: z.string(), version: z.string() }),
  /** Display name of the model under test (`--name`, config `name:`); reports show it instead of the target label. */
  name: z.string().optional(),
  /**
   * Roles played by simulated models in this run (`target`, `judge`, `helper`, `attacker`, …), including a target
   * reached over HTTP that announces itself as simulated. Reports say SIMULATED when this is non-empty or
   * `target.simulated` is true.
   */
  simulatedRoles: z.array(z.string()).optional(),
  /** The target under test (`simulated`: reports say SIMULATED). */
  target: ModelDescriptionSchema,
  /** Every model the run calls, by role (`target`, `judge`, `helper`, `attacker`, `evaluator`…). (v2) */
  roles: z.partialRecord(ModelRoleSchema, z.array(ModelDescriptionSchema)),
  /** What the run's calls cost so far per role, summed over sessions (cached and journal answers counted apart). (v2) */
  accounting: RoleAccountingSchema,
  /** What the run really sent, over its sessions (answers from the cache or journal cost nothing): the run budget counts these. (v2) */
  spent: z.object({ queries: z.number().int().min(0), tokens: z.number().int().min(0) }),
  /** Budgets in force: per attempt and for the whole run (unset: unlimited). (v2) */
  budgets: z.object({ attempt: BudgetLimitsSchema, run: BudgetLimitsSchema }),
  /**
   * Per-endpoint counts, summed over sessions, when the target is one model served by several servers
   * (`--base-url a,b,c`): tries sent to each, answered there, failed there, and moved elsewhere after a network
   * failure there. (v2)
   */
  endpoints: z.array(EndpointCountsSchema).optional(),
  /** Set when the run stopped because its budget ran out (`run-queries`, `run-tokens`); raise it and resume. (v2) */
  stoppedBy: z.string().optional(),
  /** The judge spec, e.g. `refusal` or `cascade:refusal>llm:sim`. */
  judge: z.string(),
  /** Suite specs, e.g. `core`, `harmbench:path.csv`. */
  suites: z.array(z.string()),
  /** Attack chains, e.g. `direct`, `roleplay.grandma+obfuscation.base64`. */
  attacks: z.array(z.string()),
  /** Samples per behavior × attack. */
  samples: z.number().int().min(1),
  /** `--limit`, when set. */
  limit: z.number().int().nullable(),
  /** Number of attempts in the plan (after `--limit`). */
  planned: z.number().int(),
  /** Sampling parameters sent. */
  params: SamplingParamsSchema,
  /** Milliseconds spent running, summed over sessions (resumes add up). */
  wallTimeMs: z.number(),
  /** The scan settings as resolved (target config without secrets, suites, attacks, judge…), so `--resume RUN` can rebuild the plan. */
  settings: z.record(z.string(), z.unknown()),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

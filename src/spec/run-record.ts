import { z } from 'zod';
import { SamplingParamsSchema } from './target.js';
import { RUN_ID_PATTERN } from '../util/safe-path.js';

/** Version of the run-record and attempt schemas. Changing any field bumps it; docs/run-record.md lists the history. */
export const RUN_RECORD_VERSION = 1;

/** Lifecycle of a run: `running` until it ends; `interrupted` by Ctrl-C or a crash (resumable); `completed` when every planned attempt is committed (some may be errors). */
export const RunStatusSchema = z.enum(['running', 'interrupted', 'completed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** Everything needed to reproduce and describe a run. */
export const RunRecordSchema = z.object({
  /** Schema version of this record (RUN_RECORD_VERSION when written). */
  schemaVersion: z.number().int(),
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
  /** The target under test. */
  target: z.object({
    /** Adapter kind. */
    kind: z.string(),
    /** Human-readable label. */
    label: z.string(),
    /** Cache identity (no secrets). */
    identity: z.string(),
    /** True for the simulator: reports say SIMULATED. */
    simulated: z.boolean(),
  }),
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

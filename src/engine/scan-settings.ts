import { readYamlMapping, type LoadedYamlFile } from '../util/yaml-file.js';
import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { SamplingParamsSchema } from '../spec/target.js';
import { targetConfigSchema } from '../targets/target-settings.js';
import { targetRegistry } from '../targets/registry.js';
import { splitAttackList } from '../attacks/split-attack-list.js';

const listOfStrings = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((entry) => entry.trim()).filter(Boolean));
/** An `--attacks` list: split like every other (`splitAttackList`), so a strategy keeps its `key=value` settings. */
const attackList = z.union([z.string(), z.array(z.string())]).transform((value) => splitAttackList(Array.isArray(value) ? value.join(',') : value));

/**
 * A target block in a config: its kind, and settings checked against that kind's own schema (every setting optional
 * here: flags may complete it; `createTarget` checks the complete config), but kept as written: defaults are applied
 * when the target is built, so that a block without `concurrency` takes the scan's (and a resumed run's record shows
 * what was given, not the defaults of the day). Issues keep their paths, so an error names the config file's line.
 */
const TargetBlockSchema = z
  .custom<{ kind: string } & Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    message: 'expected a target spec string or a target block (kind, baseUrl, model, …)',
  })
  .superRefine((block, context) => {
    if (typeof block.kind !== 'string' || block.kind === '') {
      context.addIssue({ code: 'custom', path: ['kind'], message: 'a target block needs a kind (openai, sim, replay, …)' });
      return;
    }
    if (!targetRegistry.has(block.kind)) {
      context.addIssue({ code: 'custom', path: ['kind'], message: `unknown target kind '${block.kind}'; known: ${targetRegistry.keys().join(', ')}` });
      return;
    }
    const result = targetConfigSchema(targetRegistry.get(block.kind)).partial().safeParse(block);
    if (!result.success) for (const issue of result.error.issues) context.addIssue({ ...issue } as never);
  });

/** Attack vectors used when none are named: the baseline and three common templates. */
export const DEFAULT_ATTACKS = ['direct', 'roleplay.grandma', 'framing.fiction', 'output-control.prefix-injection'];

/**
 * Settings of a scan, from a YAML config file (`--config redcard.yaml`) overlaid by flags. Every field is documented
 * in docs/config.md.
 */
export const ScanSettingsSchema = z
  .object({
    /** The model under test: a target spec string (`sim`, `openai:base-url=…,model=…`, `@name`) or a target config block. */
    target: z.union([z.string().min(1), TargetBlockSchema]),
    /** Named targets, referenced as `@name` by `target`, `helper` and model judges. */
    targets: z.record(z.string(), TargetBlockSchema).default({}),
    /** Suite specs (`core`, `core:vcr`, `harmbench:FILE`, …). */
    suites: listOfStrings.default(['core']),
    /** Attack chains (`direct`, `roleplay.grandma+obfuscation.base64`, `all`, `family:NAME`). */
    attacks: attackList.default(DEFAULT_ATTACKS),
    /** Judge spec (`refusal`, `llm:TARGET`, `cascade:refusal>llm:TARGET`). */
    judge: z.string().min(1).default('refusal'),
    /** Helper model for vectors that need one (translation): a target spec. */
    helper: z.string().min(1).optional(),
    /** Attacker model for strategies (`strategy.pair`, …): a target spec (a local OpenAI-compatible server, or `sim`). */
    attacker: z.string().min(1).optional(),
    /** Model for evaluator prompts (TAP's off-topic check): a target spec; default the attacker. */
    evaluator: z.string().min(1).optional(),
    /** Rater model for the strategies' 1–10 rating (rater.json): a target spec; default the rating derived from the verdict. */
    rater: z.string().min(1).optional(),
    /** Target queries one attempt may make at most (default: the strategy's own maximum; a static chain makes one). */
    maxQueries: z.number().int().positive().optional(),
    /** Tokens (all roles, as servers report them) one attempt may spend at most. */
    maxAttemptTokens: z.number().int().positive().optional(),
    /** Target queries the whole run may send at most (answers from the cache or journal are free); resume with more to go on. */
    maxRunQueries: z.number().int().positive().optional(),
    /** Tokens the whole run may spend at most. */
    maxRunTokens: z.number().int().positive().optional(),
    /** Samples per behavior × attack. */
    samples: z.number().int().min(1).default(1),
    /** Run only the first N planned attempts. */
    limit: z.number().int().min(1).optional(),
    /** Attempts in flight at most. */
    concurrency: z.number().int().min(1).max(1024).default(16),
    /** Sampling parameters sent with every request. */
    params: SamplingParamsSchema.default({}),
    /** Use the response cache. */
    cache: z.boolean().default(true),
    /** Skip malformed dataset rows (counted) instead of stopping. */
    lenient: z.boolean().default(false),
    /** Directory for attempts.jsonl, summary.json and run.json. */
    out: z.string().min(1).optional(),
    /** SQLite database path. */
    db: z.string().min(1).default('.redcard/redcard.db'),
    /** Policy file: exit non-zero when a hazard fails it. */
    failOn: z.string().min(1).optional(),
    /** Display name of the model under test, shown by every report instead of the target label. */
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ScanSettings = z.infer<typeof ScanSettingsSchema>;
export type ScanSettingsInput = z.input<typeof ScanSettingsSchema>;

/** A parsed config file: its values plus a way to find the line of a field. */
export type LoadedConfig = LoadedYamlFile;

/**
 * Read a YAML config file. Syntax errors become ConfigError naming file and line.
 *
 * @example
 * const config = loadConfigFile('redcard.yaml');
 */
export function loadConfigFile(file: string): LoadedConfig {
  return readYamlMapping(file, { what: 'config', mappingHint: 'settings (key: value)' });
}

/**
 * Validate settings from a config file overlaid by flags (flags win). A bad value names the config file and line
 * when it came from the file, or the flag when it came from the command line.
 *
 * @example
 * resolveScanSettings({ target: 'sim', samples: 2 }, loadConfigFile('redcard.yaml'))
 */
export function resolveScanSettings(flags: Record<string, unknown>, config?: LoadedConfig): ScanSettings {
  const merged: Record<string, unknown> = { ...(config?.values ?? {}) };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    if (key === 'params' && typeof value === 'object' && value !== null) {
      merged.params = { ...((merged.params as object | undefined) ?? {}), ...value };
    } else if (key === 'target' && typeof value === 'object' && value !== null && typeof merged.target === 'object' && merged.target !== null) {
      merged.target = { ...(merged.target as object), ...value };
    } else {
      merged[key] = value;
    }
  }
  if (merged.target === undefined) {
    throw new ConfigError('no target: pass --target (e.g. --target sim, or --target openai --base-url URL --model NAME) or set `target:` in the config', { field: 'target' });
  }
  const parsed = ScanSettingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const field = path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  const fromFlag = path.length > 0 && flags[String(path[0])] !== undefined;
  if (config && !fromFlag) {
    const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path;
    throw new ConfigError(issue.message, { file: config.file, line: config.lineOf(keyPath), field: issue.code === 'unrecognized_keys' ? [...path, ...issue.keys].join('.') : field });
  }
  throw new ConfigError(issue.message, { field: field ? `--${field}` : undefined });
}

/**
 * Target fields a resumed run may change: how requests are sent, not what is asked of whom. Headers and `apiKeyEnv`
 * belong here too (a fixed API key must not need a new run), but are never compared: most header values are not stored.
 */
export const OPERATIONAL_TARGET_FIELDS = [
  'timeoutMs', 'maxRetries', 'rpm', 'maxResponseBytes', 'concurrency', 'latencyMs', 'apiKeyEnv', 'headers', 'publicHeaders', 'withheldHeaders',
] as const;
/** Target fields never compared on resume: header values are not all stored, and the key lives in the environment. */
const UNCOMPARED_TARGET_FIELDS = new Set(['headers', 'publicHeaders', 'withheldHeaders', 'apiKeyEnv']);

/** Top-level settings a resumed run may change, and those that say where results go (also changeable). */
const OPERATIONAL_SETTINGS = ['concurrency', 'cache', 'maxQueries', 'maxAttemptTokens', 'maxRunQueries', 'maxRunTokens'] as const;
const OUTPUT_SETTINGS = ['out', 'failOn', 'name'] as const;
/** Settings that define the plan: a resumed run keeps them. `target` is compared field by field without the operational ones. */
const PLAN_SETTINGS = ['targets', 'suites', 'attacks', 'judge', 'helper', 'attacker', 'evaluator', 'rater', 'samples', 'limit', 'params', 'lenient'] as const;

/** One setting of a resumed run that differs from the run's record; `path` is the settings key (`target.rpm`, `samples`). */
export interface SettingChange {
  path: string;
  was: unknown;
  now: unknown;
  /** `operational` and `output` changes are allowed (and said); `plan` changes are not. */
  kind: 'operational' | 'output' | 'plan';
}

/**
 * A resumed run's settings would change its plan (suites, attacks, judge, target model…): a resumed run keeps its plan.
 * `changes` holds every plan change (the CLI names them by their flags).
 */
export class ResumePlanChangedError extends ConfigError {
  constructor(
    readonly runId: string,
    readonly changes: SettingChange[],
  ) {
    const show = (value: unknown): string => (value === undefined || value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value));
    super(
      `run ${runId} was planned with ${changes.map((change) => `${change.path} ${show(change.was)} (this scan: ${show(change.now)})`).join(', ')}; a resumed run keeps its plan: resume it without changing that, or start a new run`,
      { field: changes[0]?.path },
    );
    this.name = 'ResumePlanChangedError';
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Target fields that say where a model is served, not what it is: a server that moves is the same model. */
const PLACE_TARGET_FIELDS = new Set(['baseUrl']);

/**
 * A plan setting without where its models are served: `base-url=…` in a model spec (`llm:openai:base-url=…,model=m`)
 * and `baseUrl` in named target blocks, so that a judge, helper or attacker server that moves is no plan change.
 */
function withoutPlace(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/(^|[:,])base-url=[^,>]*/g, '$1');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, block]) =>
      typeof block === 'object' && block !== null && !Array.isArray(block) ? [name, Object.fromEntries(Object.entries(block).filter(([field]) => !PLACE_TARGET_FIELDS.has(field)))] : [name, block],
    ),
  );
}

/**
 * Compare the settings recorded in a run with those of a session that resumes it. Only what the record holds is
 * compared (a run recorded by an older redcard lacks `out`, `failOn` and `name`). Target fields are compared one by one.
 * Where a model is served (the target's `baseUrl`, `base-url=` in judge, helper, attacker, evaluator and rater specs, named
 * targets' `baseUrl`) is operational: a server that moves keeps its run (a model's identity is not its base URL).
 *
 * @example
 * compareResumedSettings({ concurrency: 16, samples: 1 }, { concurrency: 32, samples: 1 })
 * // [{ path: 'concurrency', was: 16, now: 32, kind: 'operational' }]
 */
export function compareResumedSettings(recorded: Record<string, unknown>, current: Record<string, unknown>): SettingChange[] {
  const changes: SettingChange[] = [];
  const compare = (path: string, was: unknown, now: unknown, kind: SettingChange['kind']): void => {
    if (!same(was, now)) changes.push({ path, was, now, kind });
  };
  for (const key of OPERATIONAL_SETTINGS) if (key in recorded) compare(key, recorded[key], current[key], 'operational');
  for (const key of OUTPUT_SETTINGS) if (key in recorded || current[key] !== undefined) compare(key, recorded[key], current[key], 'output');
  for (const key of PLAN_SETTINGS) {
    if (key in recorded) compare(key, recorded[key], current[key], same(withoutPlace(recorded[key]), withoutPlace(current[key])) ? 'operational' : 'plan');
  }
  const recordedTarget = withTargetDefaults(recorded.target);
  const currentTarget = withTargetDefaults(current.target);
  if (recordedTarget !== undefined && currentTarget !== undefined) {
    for (const field of new Set([...Object.keys(recordedTarget), ...Object.keys(currentTarget)])) {
      if (UNCOMPARED_TARGET_FIELDS.has(field)) continue;
      const operational = (OPERATIONAL_TARGET_FIELDS as readonly string[]).includes(field) || PLACE_TARGET_FIELDS.has(field);
      compare(`target.${field}`, recordedTarget[field], currentTarget[field], operational ? 'operational' : 'plan');
    }
  } else if ('target' in recorded) {
    compare('target', recorded.target, current.target, 'plan');
  }
  return changes;
}

/** A target config block with its defaults filled in (so that an absent field equals its default), or undefined. */
function withTargetDefaults(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !targetRegistry.has(kind)) return value as Record<string, unknown>;
  // Fields never compared are left out first: a kind without headers still compares on the rest, with its defaults.
  const compared = Object.fromEntries(Object.entries(value).filter(([field]) => !UNCOMPARED_TARGET_FIELDS.has(field)));
  const parsed = targetConfigSchema(targetRegistry.get(kind)).safeParse(compared);
  return parsed.success ? (parsed.data as Record<string, unknown>) : compared;
}

import { readFileSync } from 'node:fs';
import { isNode } from 'yaml';
import { parseYaml } from '../util/parse-yaml.js';
import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { SamplingParamsSchema } from '../spec/target.js';
import { TargetConfigSchema } from '../spec/target-config.js';

const listOfStrings = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((entry) => entry.trim()).filter(Boolean));

/** Attack vectors used when none are named: the baseline and three common templates. */
export const DEFAULT_ATTACKS = ['direct', 'roleplay.grandma', 'framing.fiction', 'output-control.prefix-injection'];

/**
 * Settings of a scan, from a YAML config file (`--config redcard.yaml`) overlaid by flags. Every field is documented
 * in docs/config.md.
 */
export const ScanSettingsSchema = z
  .object({
    /** The model under test: a target spec string (`sim`, `openai:base-url=…,model=…`, `@name`) or a target config block. */
    target: z.union([z.string().min(1), TargetConfigSchema.partial({ kind: true }).extend({ kind: z.string().min(1) })]),
    /** Named targets, referenced as `@name` by `target`, `helper` and model judges. */
    targets: z.record(z.string(), TargetConfigSchema.partial().extend({ kind: z.string().min(1) })).default({}),
    /** Suite specs (`core`, `core:vcr`, `harmbench:FILE`, …). */
    suites: listOfStrings.default(['core']),
    /** Attack chains (`direct`, `roleplay.grandma+obfuscation.base64`, `all`, `family:NAME`). */
    attacks: listOfStrings.default(DEFAULT_ATTACKS),
    /** Judge spec (`refusal`, `llm:TARGET`, `cascade:refusal>llm:TARGET`). */
    judge: z.string().min(1).default('refusal'),
    /** Helper model for vectors that need one (translation): a target spec. */
    helper: z.string().min(1).optional(),
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
  })
  .strict();
export type ScanSettings = z.infer<typeof ScanSettingsSchema>;
export type ScanSettingsInput = z.input<typeof ScanSettingsSchema>;

/** A parsed config file: its values plus a way to find the line of a field. */
export interface LoadedConfig {
  file: string;
  values: Record<string, unknown>;
  lineOf(path: (string | number)[]): number | undefined;
}

/**
 * Read a YAML config file. Syntax errors become ConfigError naming file and line.
 *
 * @example
 * const config = loadConfigFile('redcard.yaml');
 */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { file });
  }
  const { values, document, lineCounter } = parseYaml(text, file);
  if (values !== null && values !== undefined && (typeof values !== 'object' || Array.isArray(values))) {
    throw new ConfigError('the config must be a mapping of settings (key: value)', { file, line: 1 });
  }
  return {
    file,
    values: (values ?? {}) as Record<string, unknown>,
    lineOf(path) {
      for (let length = path.length; length > 0; length -= 1) {
        const node = document.getIn(path.slice(0, length), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
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

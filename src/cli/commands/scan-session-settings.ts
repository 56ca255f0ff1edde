import { resolve } from 'node:path';
import { suiteRegistry } from '../../corpus/registry.js';
import { OPERATIONAL_TARGET_FIELDS, resolveScanSettings, type LoadedConfig, type ScanSettings } from '../../engine/scan-settings.js';
import { ConfigError } from '../../spec/errors.js';
import type { TargetConfigInput } from '../../spec/target-config.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';
import type { ParsedArgs } from '../command.js';
import { numberFlag, stringList } from '../flags.js';
import { storedTargetConfig } from '../../targets/stored-headers.js';
import { MAX_TIMER_MS } from '../../util/timer-limit.js';

/** The settings of one scan session: resolved settings (paths absolute) and the target config they give. */
export interface SessionSettings {
  settings: ScanSettings;
  /** The target config, flags overlaid, without the engine's concurrency filled in (see `targetWithConcurrency`). */
  targetConfig: TargetConfigInput;
}

function headerFlags(values: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const entry of values) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new ConfigError(`expected 'Name: value', got '${entry}'`, { field: flag });
    headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/** Scan settings given as flags (undefined where a flag is absent). */
export function flagsToSettings(values: ParsedArgs['values']): Record<string, unknown> {
  const params = {
    temperature: numberFlag(values, 'temperature'),
    topP: numberFlag(values, 'top-p'),
    maxTokens: numberFlag(values, 'max-tokens', { integer: true }),
    seed: numberFlag(values, 'seed', { integer: true }),
  };
  const definedParams = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  return {
    target: values.target,
    suites: values.suite ? stringList(values.suite) : undefined,
    attacks: values.attacks,
    judge: values.judge,
    helper: values.helper,
    attacker: values.attacker,
    evaluator: values.evaluator,
    rater: values.rater,
    maxQueries: numberFlag(values, 'max-queries', { integer: true }),
    maxAttemptTokens: numberFlag(values, 'max-attempt-tokens', { integer: true }),
    maxRunQueries: numberFlag(values, 'max-run-queries', { integer: true }),
    maxRunTokens: numberFlag(values, 'max-run-tokens', { integer: true }),
    samples: numberFlag(values, 'samples', { integer: true }),
    limit: numberFlag(values, 'limit', { integer: true }),
    concurrency: numberFlag(values, 'concurrency', { integer: true }),
    params: Object.keys(definedParams).length > 0 ? definedParams : undefined,
    cache: values['no-cache'] ? false : undefined,
    lenient: values.lenient ? true : undefined,
    out: values.out,
    db: values.db,
    failOn: values['fail-on'],
    name: values.name,
  };
}

/** The target config: the target spec or block, overlaid by the connection flags. */
function resolveTargetConfig(settings: ScanSettings, values: ParsedArgs['values']): TargetConfigInput {
  const base: TargetConfigInput =
    typeof settings.target === 'string' ? parseTargetSpec(settings.target, settings.targets) : { ...settings.target };
  const overlay: Partial<TargetConfigInput> = {
    baseUrl: values['base-url'] as string | undefined,
    model: values.model as string | undefined,
    apiKeyEnv: values['api-key-env'] as string | undefined,
    systemPrompt: values['system-prompt'] as string | undefined,
    timeoutMs: numberFlag(values, 'timeout-ms', { integer: true, maximum: MAX_TIMER_MS, maximumReason: 'about 24.8 days, the longest timer Node can set; a longer one would fire after 1 ms' }),
    maxResponseBytes: numberFlag(values, 'max-response-bytes', { integer: true }),
    maxRetries: numberFlag(values, 'retries', { integer: true }),
    rpm: numberFlag(values, 'rpm'),
  };
  const headers = headerFlags(values.header as string[] | undefined, '--header');
  const publicHeaders = headerFlags(values['public-header'] as string[] | undefined, '--public-header');
  const merged: TargetConfigInput = { ...base };
  for (const [key, value] of Object.entries(overlay)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  if (headers || publicHeaders) merged.headers = { ...((base.headers as Record<string, string> | undefined) ?? {}), ...headers, ...publicHeaders };
  if (publicHeaders) merged.publicHeaders = [...((base.publicHeaders as string[] | undefined) ?? []), ...Object.keys(publicHeaders)];
  return merged;
}

/** The target config a target is built from: a target without a limit of its own takes the scan's concurrency. */
export function targetWithConcurrency(session: SessionSettings): TargetConfigInput {
  const config: TargetConfigInput = { ...session.targetConfig, concurrency: session.targetConfig.concurrency ?? session.settings.concurrency };
  // One path for sampling settings: the run's params become the target's (seed + k for sample k is applied there).
  if (Object.keys(session.settings.params).length > 0) config.params = { ...((session.targetConfig.params as object | undefined) ?? {}), ...session.settings.params };
  return config;
}

/** File arguments of suite specs (`harmbench:FILE`, `csv:FILE#prompt=goal`) made absolute, so a resume finds them from anywhere. */
export function resolveSuitePaths(specs: string[], cwd: string): string[] {
  return specs.map((spec) => {
    const colon = spec.indexOf(':');
    if (colon === -1 || !suiteRegistry.has(spec.slice(0, colon)) || !suiteRegistry.get(spec.slice(0, colon)).needsFile) return spec;
    const argument = spec.slice(colon + 1);
    const hash = argument.indexOf('#');
    const file = hash === -1 ? argument : argument.slice(0, hash);
    return `${spec.slice(0, colon)}:${resolve(cwd, file)}${hash === -1 ? '' : argument.slice(hash)}`;
  });
}

/**
 * A run's recorded settings as a base for a session: suite paths resolved, and the target's `concurrency` dropped when
 * it only repeats the scan's (older records filled it in, which then hid a new `--concurrency`).
 */
export function recordedSettingsBase(recorded: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const base: Record<string, unknown> = { ...recorded };
  if (Array.isArray(base.suites)) base.suites = resolveSuitePaths(base.suites as string[], cwd);
  const target = base.target;
  if (typeof target === 'object' && target !== null && (target as { concurrency?: unknown }).concurrency === base.concurrency) {
    const { concurrency: _filled, ...rest } = target as Record<string, unknown>;
    base.target = rest;
  }
  return base;
}

/**
 * Resolve a session's settings: flags over the config file over (when resuming) the run's recorded settings. A resumed
 * run keeps every recorded setting the session does not give (its `--out`, `--fail-on`, `--rpm`, …), including the
 * target's connection fields when the target is given anew. `out` and `failOn` become absolute against `cwd`.
 *
 * @example
 * const { settings, targetConfig } = resolveSessionSettings(values, loadConfigFile('redcard.yaml'), run.settings, process.cwd());
 */
export function resolveSessionSettings(
  values: ParsedArgs['values'],
  config: LoadedConfig | undefined,
  recorded: Record<string, unknown> | undefined,
  cwd: string,
  origin = 'the recorded run',
): SessionSettings {
  const flags = flagsToSettings(values);
  const recordedBase = recorded === undefined ? undefined : recordedSettingsBase(recorded, cwd);
  const base: LoadedConfig | undefined =
    recordedBase === undefined
      ? config
      : { file: config?.file ?? origin, values: { ...recordedBase, ...(config?.values ?? {}) }, lineOf: config?.lineOf ?? (() => undefined) };
  const parsed = resolveScanSettings(flags, base);
  const settings: ScanSettings = {
    ...parsed,
    ...(parsed.out === undefined ? {} : { out: resolve(cwd, parsed.out) }),
    ...(parsed.failOn === undefined ? {} : { failOn: resolve(cwd, parsed.failOn) }),
  };
  const targetConfig = resolveTargetConfig(settings, values);
  const recordedTarget = recordedBase?.target;
  if (typeof recordedTarget === 'object' && recordedTarget !== null) {
    const fields = recordedTarget as Record<string, unknown>;
    for (const field of OPERATIONAL_TARGET_FIELDS) {
      if (field === 'headers' || field === 'publicHeaders') continue;
      if ((targetConfig as Record<string, unknown>)[field] === undefined && fields[field] !== undefined) (targetConfig as Record<string, unknown>)[field] = fields[field];
    }
    // Only a kind with headers gets them back (each kind owns its settings: a sim has none).
    if (fields.headers !== undefined && (Object.keys(fields.headers as object).length > 0 || targetConfig.headers !== undefined)) {
      targetConfig.headers = { ...(fields.headers as Record<string, string>), ...((targetConfig.headers as Record<string, string> | undefined) ?? {}) };
    }
    if (Array.isArray(fields.publicHeaders) && fields.publicHeaders.length > 0) {
      targetConfig.publicHeaders = [...new Set([...(fields.publicHeaders as string[]), ...((targetConfig.publicHeaders as string[] | undefined) ?? [])])];
    }
  }
  return { settings, targetConfig };
}

/**
 * Names of the target's headers whose values are not stored (all but those marked public and not secret-looking): a
 * resume must be given them again.
 */
export function withheldHeaderNames(targetConfig: TargetConfigInput): string[] {
  return (storedTarget(targetConfig).withheldHeaders as string[] | undefined) ?? [];
}

/** A target config as stored: header values only where public; a kind without headers (sim, replay) keeps none. */
export function storedTarget(config: TargetConfigInput): TargetConfigInput {
  if (config.headers === undefined && config.withheldHeaders === undefined) return config;
  return storedTargetConfig(config as TargetConfigInput & { headers?: Record<string, string>; publicHeaders?: string[]; withheldHeaders?: string[] });
}

/**
 * The settings recorded in the run: everything but the database path, suite files as absolute paths, and the target
 * and named targets with only storable header values (docs/config.md).
 */
export function recordableSettings(session: SessionSettings, cwd: string): Record<string, unknown> {
  const { db: _db, ...settings } = session.settings;
  return {
    ...settings,
    suites: resolveSuitePaths(settings.suites, cwd),
    targets: Object.fromEntries(Object.entries(settings.targets).map(([name, config]) => [name, storedTarget(config)])),
    target: storedTarget(session.targetConfig),
  };
}

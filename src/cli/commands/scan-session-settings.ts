import { resolve } from 'node:path';
import { recordableSettings as engineRecordableSettings, recordedSettingsBase, storedTarget, targetBlockOf, targetConfigOf } from '../../engine/recorded-settings.js';
import { OPERATIONAL_TARGET_FIELDS, resolveScanSettings, type LoadedConfig, type ScanSettings } from '../../engine/scan-settings.js';
import { ConfigError } from '../../spec/errors.js';
import type { TargetConfigInput } from '../../spec/target-config.js';
import type { ParsedArgs } from '../command.js';
import { numberFlag, stringList } from '../flags.js';
import { MAX_TIMER_MS } from '../../util/timer-limit.js';

export { recordedSettingsBase, resolveSuitePaths } from '../../engine/recorded-settings.js';

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
  const base = targetBlockOf(settings);
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

/** The settings a session gives `scan()`: its resolved settings with the target config (flags overlaid) as the target. */
export function scanSettingsOf(session: SessionSettings): ScanSettings {
  return { ...session.settings, target: session.targetConfig };
}

/** The target config a target is built from: a target without a limit of its own takes the scan's concurrency. */
export function targetWithConcurrency(session: SessionSettings): TargetConfigInput {
  return targetConfigOf(scanSettingsOf(session));
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

/** The settings recorded in the run (see the engine's `recordableSettings`). */
export function recordableSettings(session: SessionSettings, cwd: string): Record<string, unknown> {
  return engineRecordableSettings(scanSettingsOf(session), cwd);
}

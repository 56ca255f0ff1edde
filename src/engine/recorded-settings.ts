import { resolve } from 'node:path';
import { suiteRegistry } from '../corpus/registry.js';
import type { TargetConfigInput } from '../spec/target-config.js';
import { parseTargetSpec } from '../targets/parse-target-spec.js';
import { storableHeaders, storedTargetConfig } from '../targets/stored-headers.js';
import type { ScanSettings } from './scan-settings.js';

/**
 * The target block of settings as given: a spec string parsed (named targets resolved), a block copied; without the
 * scan's concurrency or params filled in (see `targetConfigOf`), so that a record shows what was given.
 *
 * @example
 * targetBlockOf(resolveScanSettings({ target: 'sim' })) // { kind: 'sim' }
 */
export function targetBlockOf(settings: Pick<ScanSettings, 'target' | 'targets'>): TargetConfigInput {
  return typeof settings.target === 'string' ? parseTargetSpec(settings.target, settings.targets) : { ...settings.target };
}

/**
 * The target config a scan's target is built from: its block, with the scan's concurrency when it sets none and the
 * run's params (one path for sampling settings: seed + k for sample k is applied by the target).
 *
 * @example
 * targetConfigOf(resolveScanSettings({ target: 'sim', concurrency: 4 })).concurrency // 4
 */
export function targetConfigOf(settings: Pick<ScanSettings, 'target' | 'targets' | 'concurrency' | 'params'>): TargetConfigInput {
  const base = targetBlockOf(settings);
  const config: TargetConfigInput = { ...base, concurrency: base.concurrency ?? settings.concurrency };
  if (Object.keys(settings.params).length > 0) config.params = { ...((base.params as object | undefined) ?? {}), ...settings.params };
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

/** A target config as stored: header values only where public; a kind without headers (sim, replay) keeps none. */
export function storedTarget(config: TargetConfigInput): TargetConfigInput {
  if (config.headers === undefined && config.withheldHeaders === undefined) return config;
  return storedTargetConfig(config as TargetConfigInput & { headers?: Record<string, string>; publicHeaders?: string[]; withheldHeaders?: string[] });
}

/**
 * The settings recorded in a run (so that `--resume` can rebuild it): everything but the database path, suite files
 * as absolute paths (against `cwd`), and the target and named targets with only storable header values (docs/config.md).
 *
 * @example
 * recordableSettings(resolveScanSettings({ target: 'sim', suites: ['jsonl:x.jsonl'] }), '/work').suites // ['jsonl:/work/x.jsonl']
 */
export function recordableSettings(settings: ScanSettings, cwd: string): Record<string, unknown> {
  const { db: _db, ...kept } = settings;
  return {
    ...kept,
    suites: resolveSuitePaths(kept.suites, cwd),
    targets: Object.fromEntries(Object.entries(kept.targets).map(([name, config]) => [name, storedTarget(config)])),
    target: storedTarget(targetBlockOf(settings)),
  };
}

/**
 * A run's recorded settings as a base for a session: suite paths resolved, and the target's `concurrency` dropped when
 * it only repeats the scan's (older records filled it in, which then hid a new `--concurrency`).
 *
 * @example
 * recordedSettingsBase({ concurrency: 8, target: { kind: 'sim', concurrency: 8 } }, '/w') // { concurrency: 8, target: { kind: 'sim' } }
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
 * Warnings about a target's headers: public ones that look secret (sent, not stored), and ones a resumed run sent but
 * did not store and that this session does not give again.
 *
 * @example
 * headerWarnings({ kind: 'openai', headers: { 'X-Api-Key': 'k' }, publicHeaders: ['X-Api-Key'] })
 * // ["header 'X-Api-Key' looks like a credential: its value is sent but not stored, although marked public"]
 */
export function headerWarnings(config: TargetConfigInput): string[] {
  const headers = config.headers as Record<string, string> | undefined;
  const warnings = storableHeaders(headers, config.publicHeaders as string[] | undefined).refusedPublic.map(
    (name) => `header '${name}' looks like a credential: its value is sent but not stored, although marked public`,
  );
  const sent = new Set(Object.keys(headers ?? {}).map((name) => name.toLowerCase()));
  const missing = ((config.withheldHeaders as string[] | undefined) ?? []).filter((name) => !sent.has(name.toLowerCase()));
  if (missing.length > 0) {
    warnings.push(`this run was made with header(s) ${missing.join(', ')} whose values were not stored; pass them again with --header 'Name: value'`);
  }
  return warnings;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaiPrefsSettingsSchema, CaiReviseSettingsSchema, resolveCaiSettings, type CaiPrefsSettings, type CaiReviseSettings } from '../../cai/cai-settings.js';
import { ConfigError } from '../../spec/errors.js';
import type { ParsedArgs } from '../command.js';
import { numberFlag, stringList } from '../flags.js';
import { resolveSuitePaths } from './scan-session-settings.js';

type Values = ParsedArgs['values'];

/** Flags every `cai revise` / `cai prefs` takes, as settings fields (undefined when not given). */
function commonFlags(values: Values, cwd: string): Record<string, unknown> {
  const params = {
    temperature: numberFlag(values, 'temperature'),
    topP: numberFlag(values, 'top-p'),
    maxTokens: numberFlag(values, 'max-tokens', { integer: true }),
  };
  const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  return {
    target: values.target,
    judge: values.judge,
    seed: numberFlag(values, 'seed', { integer: true }),
    constitution: typeof values.constitution === 'string' ? resolve(cwd, values.constitution) : undefined,
    concurrency: numberFlag(values, 'concurrency', { integer: true }),
    params: Object.keys(given).length > 0 ? given : undefined,
    cache: values['no-cache'] === true ? false : undefined,
    limit: numberFlag(values, 'limit', { integer: true }),
    lenient: values.lenient === true ? true : undefined,
    includeBenign: includeBenign(values.include),
  };
}

/** `--include benign` (the only thing there is to include). */
function includeBenign(raw: Values[string]): boolean | undefined {
  const entries = stringList(raw);
  if (entries.length === 0) return undefined;
  const unknown = entries.find((entry) => entry !== 'benign');
  if (unknown !== undefined) throw new ConfigError(`unknown value '${unknown}' (use --include benign to add the failures' benign twins)`, { field: '--include' });
  return true;
}

/** Settings without a target are a usage error that says what the target is for (zod's would name only the type). */
function withTarget(settings: Record<string, unknown>, action: 'revise' | 'prefs'): Record<string, unknown> {
  if (settings.target !== undefined) return settings;
  const role = action === 'revise' ? 'whose answers are revised, and the critic unless --critic names another' : 'whose answers are compared, and the feedback model unless --feedback names another';
  throw new ConfigError(`cai ${action} needs --target SPEC: the model ${role} (e.g. the red-team run's own target, as 'redcard runs' shows it)`, { field: '--target' });
}

/** Recorded settings of a run to resume, under the flags given now (a flag given again wins; the plan must still match). */
function overRecorded(recorded: Record<string, unknown> | undefined, flags: Record<string, unknown>): Record<string, unknown> {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  if (recorded === undefined) return defined;
  return { ...recorded, ...defined };
}

/**
 * `redcard cai revise` flags as validated settings: suite file paths and the constitution made absolute against `cwd`;
 * a run to resume gives the settings it was started with, under any flag given again.
 *
 * @example
 * reviseSettingsFromFlags({ target: 'sim', suite: ['core:vcr'], revisions: '2' }, process.cwd())
 */
export function reviseSettingsFromFlags(values: Values, cwd: string, recorded?: Record<string, unknown>): CaiReviseSettings {
  const suites = stringList(values.suite);
  const flags = {
    ...commonFlags(values, cwd),
    critic: values.critic,
    from: values.from,
    suites: suites.length > 0 ? resolveSuitePaths(suites, cwd) : undefined,
    revisions: numberFlag(values, 'revisions', { integer: true }),
  };
  return resolveCaiSettings(CaiReviseSettingsSchema, withTarget(overRecorded(recorded, flags), 'revise'));
}

/**
 * `redcard cai prefs` flags as validated settings: `--from` is a red-team run id, a CAI revise run id, or a
 * `cai revise --out` directory (made absolute when it exists).
 *
 * @example
 * prefsSettingsFromFlags({ target: 'sim', from: 'cai-20261201-120000-abcdef', 'principles-per-pair': '2' }, process.cwd())
 */
export function prefsSettingsFromFlags(values: Values, cwd: string, recorded?: Record<string, unknown>): CaiPrefsSettings {
  const from = typeof values.from === 'string' && existsSync(resolve(cwd, values.from)) ? resolve(cwd, values.from) : values.from;
  const flags = {
    ...commonFlags(values, cwd),
    feedback: values.feedback,
    from,
    principlesPerPair: numberFlag(values, 'principles-per-pair', { integer: true }),
    position: values.position,
    topLogprobs: numberFlag(values, 'top-logprobs', { integer: true }),
  };
  return resolveCaiSettings(CaiPrefsSettingsSchema, withTarget(overRecorded(recorded, flags), 'prefs'));
}

/**
 * `--project-samples N --tokens-per-second-per-gpu T` (both or neither): the target size and throughput of the
 * GPU-hour projection.
 *
 * @example
 * projectionFlags({ 'project-samples': '45000', 'tokens-per-second-per-gpu': '2500' }) // { projectSamples: 45000, tokensPerSecondPerGpu: 2500 }
 */
export function projectionFlags(values: Values): { projectSamples?: number; tokensPerSecondPerGpu?: number } {
  const projectSamples = numberFlag(values, 'project-samples', { integer: true });
  const tokensPerSecondPerGpu = numberFlag(values, 'tokens-per-second-per-gpu');
  if ((projectSamples === undefined) !== (tokensPerSecondPerGpu === undefined)) {
    const missing = projectSamples === undefined ? '--project-samples' : '--tokens-per-second-per-gpu';
    throw new ConfigError(`the projection needs both --project-samples N and --tokens-per-second-per-gpu T`, { field: missing });
  }
  if (projectSamples !== undefined && !(projectSamples > 0)) throw new ConfigError('must be a positive number of samples', { field: '--project-samples' });
  if (tokensPerSecondPerGpu !== undefined && !(tokensPerSecondPerGpu > 0)) throw new ConfigError('must be a positive throughput (completion tokens per second per GPU)', { field: '--tokens-per-second-per-gpu' });
  return projectSamples === undefined ? {} : { projectSamples, tokensPerSecondPerGpu };
}

import { resolveAttackChains, type StrategyResolver } from '../attacks/chain.js';
import { loadSuites } from '../corpus/load-suites.js';
import { createJudge } from '../judges/create-judge.js';
import { createJudgeContext, judgeCacheIdentity, judgeIdentity } from '../judges/judge-context.js';
import { ModelCallLayer } from '../models/model-call-layer.js';
import { ConfigError, TargetError } from '../spec/errors.js';
import type { Target } from '../spec/target.js';
import type { TargetConfigInput } from '../spec/target-config.js';
import type { Store } from '../store/store-api.js';
import { createTarget } from '../targets/create-target.js';
import { parseTargetSpec } from '../targets/parse-target-spec.js';
import { storedTargetConfig } from '../targets/stored-headers.js';
import type { ScanSettings } from './scan-settings.js';
import type { ScanEvent } from './scan-events.js';
import { runScan, type ScanResult } from './scan.js';
import { resolveRegisteredStrategy } from './resolve-strategy.js';

/** What a scan run as a library needs besides its settings. */
export interface ScanOptions {
  /** Where runs, attempts, caches and journals are kept (`openStore(path)`). */
  store: Store;
  /** Told of everything the scan does (start, progress, retries, notices, finish); the library never prints. */
  events?: (event: ScanEvent) => void;
  signal?: AbortSignal;
  /** Resume this run (its settings should be the run's, see `RunRecord.settings`). */
  resumeRunId?: string;
  /** Start a new run even when an identical unfinished one exists. */
  fresh?: boolean;
  /** Turns `strategy.…` attack specs into strategies (default: the strategy registry's parser). */
  resolveStrategy?: StrategyResolver;
  /** Probe every model server before planning (default true): unreachable ones fail now, simulated ones are known. */
  checkTarget?: boolean;
}

/** What a scan returns: the session's result, and what the caller may want to show. */
export interface ScanOutcome extends ScanResult {
  /** The target as built (label, SIMULATED). */
  target: Pick<Target, 'kind' | 'label' | 'simulated'>;
  /** The judge's own counters (calls per stage, parse failures…). */
  judgeStats: Record<string, number>;
}

/** The target config of settings: a spec string parsed (named targets resolved), the run's concurrency and params applied. */
export function targetConfigOf(settings: ScanSettings): TargetConfigInput {
  const base: TargetConfigInput = typeof settings.target === 'string' ? parseTargetSpec(settings.target, settings.targets) : { ...settings.target };
  const config: TargetConfigInput = { ...base };
  config.concurrency ??= settings.concurrency;
  // One path for sampling settings: the run's params become the target's (seed + k for sample k is applied there).
  if (Object.keys(settings.params).length > 0) config.params = { ...((base.params as object | undefined) ?? {}), ...settings.params };
  return config;
}

/**
 * The settings a run stores (so `--resume` can rebuild it): no output paths; header values only where marked public
 * (and not secret-looking), for the target and the named targets.
 */
function storedSettings(settings: ScanSettings, targetConfig: TargetConfigInput): Record<string, unknown> {
  const { out: _out, db: _db, failOn: _failOn, ...kept } = settings;
  const targets = Object.fromEntries(Object.entries(settings.targets).map(([name, config]) => [name, storedTarget(config)]));
  return { ...kept, targets, target: storedTarget(targetConfig) };
}

/** A kind without headers (sim, replay) keeps none: each kind owns its settings. */
function storedTarget(config: TargetConfigInput): TargetConfigInput {
  return config.headers === undefined && config.withheldHeaders === undefined ? config : storedTargetConfig(config as StoredHeaderFields);
}


type StoredHeaderFields = TargetConfigInput & { headers?: Record<string, string>; publicHeaders?: string[]; withheldHeaders?: string[] };

/**
 * Run a scan from settings as the CLI resolves them (`resolveScanSettings`): build the target, judge, helper,
 * attacker and evaluator (every model call through one model-call layer over `store`), load the suites, resolve the
 * attacks (static chains and strategies), and plan → send → judge → record. Notices (skipped rows, skipped attacks)
 * and progress come as events; the result says whether the run finished, was interrupted, or ran out of budget.
 *
 * @example
 * const store = openStore('.redcard/redcard.db');
 * const outcome = await scan(resolveScanSettings({ target: 'sim', suites: ['smoke'], attacks: ['direct'] }), { store, events: console.log });
 * console.log(outcome.run.status, summarizeAttempts(outcome.run, store.iterateAttempts(outcome.run.id)).overall);
 */
export async function scan(settings: ScanSettings, options: ScanOptions): Promise<ScanOutcome> {
  const { store } = options;
  const emit = options.events ?? (() => undefined);
  const layer = new ModelCallLayer({ cache: store, useCache: settings.cache });
  const build = (spec: string): Target => createTarget(parseTargetSpec(spec, settings.targets));
  const targetConfig = targetConfigOf(settings);
  const target = createTarget(targetConfig);
  const opened: Target[] = [target];
  try {
    const context = createJudgeContext((spec) => {
      const model = build(spec);
      opened.push(model);
      return layer.client(model, 'judge');
    });
    const judge = createJudge(settings.judge, context);
    // Model-backed judges get a verdict cache (the offline judge is faster than a cache lookup).
    const verdictCacheIdentity = context.targetIdentities.length > 0 ? judgeCacheIdentity(settings.judge, context) : undefined;
    const helper = settings.helper ? build(settings.helper) : undefined;
    const attacker = settings.attacker ? build(settings.attacker) : undefined;
    const evaluator = settings.evaluator ? build(settings.evaluator) : undefined;
    const rater = settings.rater ? build(settings.rater) : undefined;
    for (const model of [helper, attacker, evaluator, rater]) if (model) opened.push(model);
    const suites = await loadSuites(settings.suites, { lenient: settings.lenient });
    for (const note of suites.notes) {
      if (note.skipped > 0) emit({ type: 'notice', level: 'warning', message: `${note.spec}: skipped ${note.skipped} malformed rows (--lenient)` });
      if (note.duplicates > 0) {
        emit({ type: 'notice', level: 'note', message: `${note.spec}: ${note.duplicates} behaviors already loaded by ${note.duplicateOf} (same id and text) are run once` });
      }
      const unmapped = Object.entries(note.unmapped);
      if (unmapped.length > 0) emit({ type: 'notice', level: 'note', message: `${note.spec}: categories kept unmapped: ${unmapped.map(([name, count]) => `${name} (${count})`).join(', ')}` });
    }
    if (suites.behaviors.length === 0) throw new ConfigError('the suites selected no behaviors', { field: 'suite' });
    const { chains, skipped } = resolveAttackChains(settings.attacks, {
      helperAvailable: helper !== undefined,
      attackerAvailable: attacker !== undefined,
      resolveStrategy: options.resolveStrategy ?? resolveRegisteredStrategy,
    });
    for (const entry of skipped) emit({ type: 'notice', level: 'info', message: `skipped attack ${entry.id}: ${entry.reason}` });
    if (chains.length === 0) throw new ConfigError('no attack chain can run (see the skipped ones above)', { field: 'attacks' });
    // Probe every model server once: one that cannot be reached fails now, one that announces itself as simulated is known.
    const byRole: Array<[string, Target[]]> = [['target', [target]], ['judge', [...context.targets.map((client) => (client as { model?: Target }).model ?? client), ...(rater ? [rater] : [])]], ['helper', helper ? [helper] : []], ['attacker', attacker ? [attacker] : []], ['evaluator', evaluator ? [evaluator] : []]];
    if (options.checkTarget !== false) {
      for (const [role, models] of byRole) {
        for (const model of models) {
          try {
            await model.probe?.({ signal: options.signal });
          } catch (error) {
            if (role === 'target' || !(error instanceof TargetError)) throw error;
            throw new TargetError(`${role} model: ${error.message}`, { retryable: false });
          }
        }
      }
    }
    const simulatedRoles = byRole.filter(([, models]) => models.some((model) => model.simulated)).map(([role]) => role);
    const result = await runScan({
      store,
      layer,
      target,
      judge,
      judgeModels: context.targets,
      behaviors: suites.behaviors,
      chains,
      skippedChains: skipped,
      samples: settings.samples,
      limit: settings.limit ?? null,
      concurrency: settings.concurrency,
      verdictCacheIdentity,
      helper,
      attacker,
      evaluator,
      rater,
      budgets: {
        attempt: { maxQueries: settings.maxQueries, maxTokens: settings.maxAttemptTokens },
        run: { maxQueries: settings.maxRunQueries, maxTokens: settings.maxRunTokens },
      },
      describe: {
        suites: settings.suites,
        attacks: chains.map((chain) => chain.id),
        judge: settings.judge,
        judgeIdentity: judgeIdentity(settings.judge, context),
        params: settings.params,
        settings: storedSettings(settings, targetConfig),
        ...(settings.name === undefined ? {} : { name: settings.name }),
        simulatedRoles,
      },
      resumeRunId: options.resumeRunId,
      fresh: options.fresh,
      signal: options.signal,
      onEvent: emit,
    }).finally(() => judge.close?.());
    return { ...result, target: { kind: target.kind, label: target.label, simulated: target.simulated }, judgeStats: judge.stats?.() ?? {} };
  } finally {
    for (const model of opened) await model.close?.();
  }
}

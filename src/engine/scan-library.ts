import { resolveAttackChains, type StrategyResolver } from '../attacks/chain.js';
import { createBatchDeferral, type BatchDeferral } from '../batch/batch-deferral.js';
import { openSuites } from '../corpus/load-suites.js';
import { createJudge } from '../judges/create-judge.js';
import { createJudgeContext, judgeCacheIdentity, judgeIdentity } from '../judges/judge-context.js';
import { ModelCallLayer } from '../models/model-call-layer.js';
import { ConfigError, TargetError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import type { RunRecord } from '../spec/run-record.js';
import type { Target } from '../spec/target.js';
import type { Store } from '../store/store-api.js';
import { createTarget } from '../targets/create-target.js';
import { parseTargetSpec } from '../targets/parse-target-spec.js';
import { scanConfigHash, type ScanDescription } from './open-run.js';
import { headerWarnings, recordableSettings, recordedSettingsBase, targetConfigOf } from './recorded-settings.js';
import { compareResumedSettings, ResumePlanChangedError, type ScanSettings } from './scan-settings.js';
import type { ScanEvent } from './scan-events.js';
import { runScan, type ScanResult } from './scan.js';
import { resolveRegisteredStrategy } from './resolve-strategy.js';

export { targetConfigOf } from './recorded-settings.js';

/** What a scan run as a library needs besides its settings. */
export interface ScanOptions {
  /**
   * Where runs, attempts, caches and journals are kept (`openStore(path)`), or a function that opens it: called once the
   * settings have been checked (models built, suites read, attacks resolved), so that a broken config makes no database.
   */
  store: Store | (() => Store);
  /** Told of everything the scan does (notices, start, progress, retries, waiting, finish); the library never prints. */
  events?: (event: ScanEvent) => void;
  signal?: AbortSignal;
  /** Resume this run (its settings should be the run's, see `RunRecord.settings`); a plan change is a ResumePlanChangedError. */
  resumeRunId?: string;
  /** Start a new run even when an identical unfinished one exists. */
  fresh?: boolean;
  /** When another process works the run, wait for it (a `waiting` event) instead of throwing RunLockedError. */
  waitForLease?: boolean;
  /**
   * The settings to go on with when an identical unfinished run is found (not named by `resumeRunId`), from its record:
   * the CLI lays flags over the config over the run's recorded settings. Default: the settings given.
   */
  settingsForRun?: (run: RunRecord) => ScanSettings;
  /** The store's database file, for suites that read it (community findings); default `settings.db`. */
  databasePath?: string;
  /** Suite files are recorded as absolute paths against this directory (default `process.cwd()`). */
  cwd?: string;
  /** Turns `strategy.…` attack specs into strategies (default: the strategy registry's parser). */
  resolveStrategy?: StrategyResolver;
  /** Probe every model server before planning (default true): unreachable ones fail now, simulated ones are known. */
  checkTarget?: boolean;
  /**
   * Defer the calls of models that write Batch request lines (`Target.batchRequest`: OpenAI-compatible ones): they are
   * not probed nor sent, but wait for Batch files (`batch export`, `batch import`; docs/scale.md). The target must be one.
   */
  defer?: boolean;
}

/** What a scan returns: the session's result, and what the caller may want to show. */
export interface ScanOutcome extends ScanResult {
  /** The target as built (label, SIMULATED). */
  target: Pick<Target, 'kind' | 'label' | 'simulated'>;
  /** The judge's own counters (calls per stage, parse failures…). */
  judgeStats: Record<string, number>;
  /** The settings the session ran with (those of `settingsForRun` when an identical run was resumed). */
  settings: ScanSettings;
  /** With `defer`: the run's calls that wait for Batch answers were recorded (the run completes once they are imported). */
  deferred: boolean;
}

/** The models of a scan, every call through one layer. */
interface ScanModels {
  target: Target;
  judge: Judge;
  /** The models the judge calls (none for the offline judges). */
  judgeModels: Target[];
  helper?: Target;
  attacker?: Target;
  evaluator?: Target;
  rater?: Target;
  /** Set for model-backed judges: the verdict cache key prefix. */
  verdictCacheIdentity?: string;
  /** The judge as the plan knows it (its models by identity, not base URL). */
  judgeIdentity: string;
}

function buildModels(settings: ScanSettings, layer: ModelCallLayer): ScanModels {
  const build = (spec: string): Target => createTarget(parseTargetSpec(spec, settings.targets));
  const built: Partial<ScanModels> = { judgeModels: [] };
  try {
    built.target = createTarget(targetConfigOf(settings));
    const context = createJudgeContext((spec) => {
      const model = build(spec);
      built.judgeModels!.push(model);
      return layer.client(model, 'judge');
    });
    built.judge = createJudge(settings.judge, context);
    // Model-backed judges get a verdict cache (the offline judge is faster than a cache lookup).
    if (context.targetIdentities.length > 0) built.verdictCacheIdentity = judgeCacheIdentity(settings.judge, context);
    built.judgeIdentity = judgeIdentity(settings.judge, context);
    for (const role of ['helper', 'attacker', 'evaluator', 'rater'] as const) {
      const spec = settings[role];
      if (spec) built[role] = build(spec);
    }
    return built as ScanModels;
  } catch (error) {
    void closeModels(built);
    throw error;
  }
}

async function closeModels(models: Partial<ScanModels>): Promise<void> {
  await models.judge?.close?.();
  for (const model of [models.target, ...(models.judgeModels ?? []), models.helper, models.attacker, models.evaluator, models.rater]) await model?.close?.();
}

/** The models of each role, as probed and as SIMULATED roles are named (the rater is a judge model). */
function modelsByRole(models: ScanModels): Array<[string, Target[]]> {
  const one = (model: Target | undefined): Target[] => (model ? [model] : []);
  return [['target', [models.target]], ['judge', [...models.judgeModels, ...one(models.rater)]], ['helper', one(models.helper)], ['attacker', one(models.attacker)], ['evaluator', one(models.evaluator)]];
}

/** Probe every model server once: one that cannot be reached fails now, naming its role; `skip` ones are not asked. */
async function probeModels(models: ScanModels, signal?: AbortSignal, skip?: (target: Target) => boolean): Promise<void> {
  for (const [role, targets] of modelsByRole(models)) {
    for (const target of targets) {
      if (skip?.(target)) continue;
      try {
        await target.probe?.({ signal });
      } catch (error) {
        if (role === 'target' || !(error instanceof TargetError)) throw error;
        throw new TargetError(`${role} model: ${error.message}`, { retryable: false });
      }
    }
  }
}

/**
 * Run a scan from settings (`resolveScanSettings`): build the target, judge, helper, attacker, evaluator and rater
 * (every model call through one model-call layer over `store`), load the suites, resolve the attacks (static chains and
 * strategies), find the run to resume (named, or an identical unfinished one) and check that its plan is kept, probe
 * every model server, then plan → send → judge → record. Notices (skipped rows, skipped attacks, header warnings),
 * resumed settings that change, waiting for another process, and progress come as events; the result says whether
 * the run finished, was interrupted, or ran out of budget. Errors are typed (ConfigError, ResumePlanChangedError,
 * RunLockedError, ScanStoppedError, TargetError); nothing is printed.
 *
 * @example
 * const store = openStore('.redcard/redcard.db');
 * const outcome = await scan(resolveScanSettings({ target: 'sim', suites: ['smoke'], attacks: ['direct'] }), { store, events: console.log });
 * console.log(outcome.run.status, summarizeAttempts(outcome.run, store.iterateAttempts(outcome.run.id)).overall);
 */
export async function scan(settings: ScanSettings, options: ScanOptions): Promise<ScanOutcome> {
  const emit = options.events ?? (() => undefined);
  const cwd = options.cwd ?? process.cwd();
  let current = settings;
  const layer = new ModelCallLayer(); // its cache is the store, attached once the store is open
  const models = buildModels(current, layer);
  let deferral: BatchDeferral | undefined;
  try {
    if (options.defer && typeof models.target.batchRequest !== 'function') {
      throw new ConfigError(`--defer needs a target that speaks the OpenAI API (kind openai); a ${models.target.kind} target answers directly`, { field: 'defer' });
    }
    // Suites that read the store (community findings of `redcard serve`) read the scan's own store; a large file suite
    // stays in its file and is streamed into the plan.
    const suites = await openSuites(current.suites, { lenient: current.lenient, dbPath: options.databasePath ?? current.db, stream: true });
    for (const note of suites.notes) {
      if (note.skipped > 0) emit({ type: 'notice', level: 'warning', message: `${note.spec}: skipped ${note.skipped} malformed rows (--lenient)` });
      if (note.duplicates > 0) {
        emit({ type: 'notice', level: 'note', message: `${note.spec}: ${note.duplicates} behaviors already loaded by ${note.duplicateOf} (same id and text) are run once` });
      }
      const unmapped = Object.entries(note.unmapped);
      if (unmapped.length > 0) emit({ type: 'notice', level: 'note', message: `${note.spec}: categories kept unmapped: ${unmapped.map(([name, count]) => `${name} (${count})`).join(', ')}` });
    }
    if (suites.behaviors.count === 0) throw new ConfigError('the suites selected no behaviors', { field: 'suite' });
    const { chains, skipped } = resolveAttackChains(current.attacks, {
      helperAvailable: models.helper !== undefined,
      attackerAvailable: models.attacker !== undefined,
      resolveStrategy: options.resolveStrategy ?? resolveRegisteredStrategy,
    });
    for (const entry of skipped) emit({ type: 'notice', level: 'info', message: `skipped attack ${entry.id}: ${entry.reason}` });
    if (chains.length === 0) throw new ConfigError('no attack chain can run (see the skipped ones above)', { field: 'attacks' });
    const store = typeof options.store === 'function' ? options.store() : options.store;
    layer.useCache(store, current.cache);
    const describe = (): ScanDescription => ({
      suites: current.suites,
      attacks: chains.map((chain) => chain.id),
      judge: current.judge,
      judgeIdentity: models.judgeIdentity,
      params: current.params,
      settings: recordableSettings(current, cwd),
      ...(current.name === undefined ? {} : { name: current.name }),
    });
    const plan = { behaviors: suites.behaviors, chains, samples: current.samples, limit: current.limit ?? null };

    // The run this session resumes, if any: named, or an identical unfinished one (whose record may fill in settings).
    const resumed =
      options.resumeRunId !== undefined ? store.getRun(options.resumeRunId) : options.fresh ? undefined : store.findResumableRun(scanConfigHash({ ...plan, target: models.target, describe: describe() }));
    if (resumed !== undefined && options.resumeRunId === undefined && options.settingsForRun !== undefined) {
      current = options.settingsForRun(resumed);
      layer.useCache(store, current.cache);
      if (JSON.stringify(targetConfigOf(current)) !== JSON.stringify(targetConfigOf(settings))) {
        await models.target.close?.();
        models.target = createTarget(targetConfigOf(current));
      }
    }
    for (const message of headerWarnings(targetConfigOf(current))) emit({ type: 'notice', level: 'warning', message });
    if (resumed !== undefined) {
      const changes = compareResumedSettings(recordedSettingsBase(resumed.settings, cwd), recordableSettings(current, cwd));
      const planChanges = changes.filter((change) => change.kind === 'plan');
      if (planChanges.length > 0) throw new ResumePlanChangedError(resumed.id, planChanges);
      if (changes.length > 0) emit({ type: 'resume-changes', runId: resumed.id, changes });
    }
    // Deferred models are not asked anything now: their Batch answers come later, from wherever they are run.
    const deferred = options.defer ? (target: Target): boolean => typeof target.batchRequest === 'function' : undefined;
    if (options.checkTarget !== false) await probeModels(models, options.signal, deferred);
    const simulatedRoles = modelsByRole(models).filter(([, targets]) => targets.some((target) => target.simulated)).map(([role]) => role);
    const result = await runScan({
      store,
      layer,
      target: models.target,
      judge: models.judge,
      judgeModels: models.judgeModels,
      ...plan,
      skippedChains: skipped,
      concurrency: current.concurrency,
      verdictCacheIdentity: models.verdictCacheIdentity,
      helper: models.helper,
      attacker: models.attacker,
      evaluator: models.evaluator,
      rater: models.rater,
      budgets: {
        attempt: { maxQueries: current.maxQueries, maxTokens: current.maxAttemptTokens },
        run: { maxQueries: current.maxRunQueries, maxTokens: current.maxRunTokens },
      },
      describe: { ...describe(), simulatedRoles },
      resumeRunId: options.resumeRunId,
      fresh: options.fresh,
      waitForLease: options.waitForLease,
      ...(options.defer ? { deferral: (runId: string) => (deferral = createBatchDeferral(store, runId)) } : {}),
      signal: options.signal,
      onEvent: emit,
    });
    const { target } = models;
    return { ...result, target: { kind: target.kind, label: target.label, simulated: target.simulated }, judgeStats: models.judge.stats?.() ?? {}, settings: current, deferred: deferral !== undefined };
  } finally {
    await closeModels(models);
  }
}

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createJudge } from '../judges/create-judge.js';
import { createJudgeContext } from '../judges/judge-context.js';
import { ConfigError, DatasetError, NotFoundError } from '../spec/errors.js';
import type { ModelRole } from '../spec/strategy.js';
import type { Target } from '../spec/target.js';
import type { Store } from '../store/store-api.js';
import { createTarget } from '../targets/create-target.js';
import { parseTargetSpec } from '../targets/parse-target-spec.js';
import { readTextLines } from '../util/read-text-file.js';
import { CaiItemSchema, checkCaiRecord, type CaiItem, type CaiModel, type CaiRunRecord, type CaiSource } from './cai-records.js';
import type { CaiClient, CaiModelLayer } from './cai-models.js';
import type { CallDeferral } from '../models/call-deferral.js';
import { prefsUnitsFromRevise, prefsUnitsFromRun, reviseUnitsFromRun, reviseUnitsFromSuites, runFailures, sourceLicence } from './cai-plans.js';
import { workCaiRun, type CaiEvent, type CaiRunResult, type CaiRunSpec, type PlannedUnit } from './cai-run.js';
import type { CaiPrefsSettings, CaiReviseSettings } from './cai-settings.js';
import { loadConstitution, type Constitution } from './constitution.js';
import { loadFraming, type Framing } from './framing.js';
import { performPrefsUnit, type PrefsUnit } from './prefs-unit.js';
import { performReviseUnit, type ReviseUnit } from './revise-unit.js';

/** What a CAI command run as a library needs besides its settings. */
export interface CaiOptions {
  store: Store;
  /** The model-call layer every call goes through (response cache, concurrency, accounting). */
  layer: CaiModelLayer;
  /** Told of everything the run does; the library never prints. */
  events?: (event: CaiEvent | CaiNotice) => void;
  signal?: AbortSignal;
  resumeRunId?: string;
  fresh?: boolean;
  waitForLease?: boolean;
  /** Check once that each model's server answers (and learn whether it says it is simulated); default true. */
  probe?: boolean;
  /**
   * Batch files (src/batch): the deferral of the run's calls, made for the run's id once it is found or made. A call
   * without an imported answer is recorded for the next export and stops its unit.
   */
  deferral?: (runId: string) => CallDeferral;
}

/** The run's hooks for the layer's deferral: attach it to the run's id, and write what it recorded after each unit. */
function batchHooks(options: CaiOptions) {
  return {
    onOpened: (run: CaiRunRecord): void => {
      if (options.deferral) options.layer.deferral = options.deferral(run.id);
    },
    flush: (): void => {
      const deferral = options.layer.deferral;
      if (deferral) options.store.transaction(() => deferral.flush());
    },
  };
}

/** Something to tell the user before the run starts (skipped rows, twins not found). */
export interface CaiNotice {
  type: 'notice';
  level: 'note' | 'warning';
  message: string;
}

/** The models of a CAI run, built from their specs, with the clients the loop calls them through. */
interface BuiltModels {
  clients: Partial<Record<ModelRole, CaiClient>>;
  records: CaiModel[];
  opened: Target[];
}

async function buildModels(specs: Array<{ role: ModelRole; spec: string }>, layer: CaiModelLayer, probe: boolean, signal?: AbortSignal): Promise<BuiltModels> {
  const built: BuiltModels = { clients: {}, records: [], opened: [] };
  const bySpec = new Map<string, Target>();
  try {
    for (const { role, spec } of specs) {
      let model = bySpec.get(spec);
      if (model === undefined) {
        model = createTarget(parseTargetSpec(spec));
        built.opened.push(model);
        bySpec.set(spec, model);
        if (probe) await model.probe?.({ signal });
      }
      built.clients[role] = layer.client(model, role);
      built.records.push({ role, spec, label: model.label, identity: model.identity, simulated: model.simulated });
    }
  } catch (error) {
    await closeAll(built.opened);
    throw error;
  }
  return built;
}

async function closeAll(targets: Target[]): Promise<void> {
  for (const target of targets) await target.close?.();
}

/** The judge of a CAI run; model judges call through the layer, their models are recorded under role `judge`. */
function buildJudge(spec: string, layer: CaiModelLayer, built: BuiltModels) {
  const context = createJudgeContext((targetSpec) => {
    const model = createTarget(parseTargetSpec(targetSpec));
    built.opened.push(model);
    built.records.push({ role: 'judge', spec: targetSpec, label: model.label, identity: model.identity, simulated: model.simulated });
    return layer.client(model, 'judge');
  });
  return createJudge(spec, context);
}

/** The run record's description of a constitution. */
function constitutionRecord(constitution: Constitution): CaiRunRecord['constitution'] {
  return {
    name: constitution.name,
    file: constitution.file,
    hash: constitution.hash,
    ...(constitution.reference ? { reference: constitution.reference } : {}),
    principles: constitution.principles.length,
    preferences: constitution.preferences.length,
  };
}

const simulatedRoles = (records: CaiModel[]): string[] => [...new Set(records.filter((record) => record.simulated).map((record) => record.role))].sort();

/** What one CAI loop needs beyond its units: the second model beside the target and how a unit is worked. */
interface CaiLoopSpec<Unit extends PlannedUnit> {
  kind: CaiRunRecord['kind'];
  settings: CaiReviseSettings | CaiPrefsSettings;
  options: CaiOptions;
  units: Unit[];
  source: CaiSource;
  licence: string | undefined;
  constitution: Constitution;
  framing: Framing;
  /** The critic (revise) or the feedback model (prefs). */
  helper: { role: 'critic' | 'feedback'; spec: string };
  /** The loop's own settings that decide its plan (after the source, models, judge and constitution, in this order). */
  planSettings: Record<string, unknown>;
  perform: (unit: Unit, run: CaiRunRecord, signal: AbortSignal, models: CaiLoopModels) => ReturnType<CaiRunSpec<Unit>['perform']>;
}

/** The models and data every unit of a CAI loop is worked with. */
interface CaiLoopModels {
  store: Store;
  layer: CaiModelLayer;
  target: CaiClient;
  helper: CaiClient;
  judge: ReturnType<typeof buildJudge>;
  constitution: Constitution;
  framing: Framing;
}

/** Build the target, the helper model and the judge, then find or make the CAI run and work its units. */
async function runCaiLoop<Unit extends PlannedUnit>(loop: CaiLoopSpec<Unit>): Promise<CaiRunResult> {
  const { settings, options, constitution, framing } = loop;
  const built = await buildModels([{ role: 'target', spec: settings.target }, loop.helper], options.layer, options.probe ?? true, options.signal);
  try {
    const judge = buildJudge(settings.judge, options.layer, built);
    const hooks = batchHooks(options);
    const models: CaiLoopModels = { store: options.store, layer: options.layer, target: built.clients.target!, helper: built.clients[loop.helper.role]!, judge, constitution, framing };
    return await workCaiRun({
      store: options.store,
      describe: {
        kind: loop.kind,
        source: loop.source,
        ...(loop.licence === undefined ? {} : { sourceLicence: loop.licence }),
        constitution: constitutionRecord(constitution),
        models: built.records,
        simulatedRoles: simulatedRoles(built.records),
        settings: { ...settings, constitution: constitution.file },
      },
      planIdentity: {
        source: loop.source, models: built.records.map((record) => [record.role, record.identity]), judge: settings.judge, constitution: constitution.hash,
        ...loop.planSettings,
      },
      units: loop.units,
      resumeRunId: options.resumeRunId,
      fresh: options.fresh,
      waitForLease: options.waitForLease,
      concurrency: settings.concurrency,
      signal: options.signal,
      onEvent: options.events ?? (() => undefined),
      onOpened: hooks.onOpened,
      perform: (unit, run, signal) => loop.perform(unit, run, signal, models).finally(hooks.flush),
    }).finally(() => judge.close?.());
  } finally {
    await closeAll(built.opened);
  }
}

/**
 * `redcard cai revise` as a library: build the target, critic and judge (every call through `layer`), plan the units
 * (a red-team run's failures with their recorded answers, or suites' prompts), then answer → critique → revise each,
 * judging every answer, under sampled principles; every step recorded, resumable. Notices come as events.
 *
 * @example
 * const result = await caiRevise(resolveCaiSettings(CaiReviseSettingsSchema, { target: 'sim', suites: ['core'] }), { store, layer });
 */
export async function caiRevise(settings: CaiReviseSettings, options: CaiOptions): Promise<CaiRunResult> {
  const emit = options.events ?? (() => undefined);
  const constitution = loadConstitution(settings.constitution);
  const framing = loadFraming();
  let units: ReviseUnit[];
  let source: CaiSource;
  let licence: string | undefined;
  if (settings.from !== undefined) {
    const failures = await runFailures(options.store, settings.from, { includeBenign: settings.includeBenign });
    if (failures.twinsMissing > 0) emit({ type: 'notice', level: 'warning', message: `${failures.twinsMissing} failures have no benign twin in run ${settings.from}` });
    units = reviseUnitsFromRun(failures);
    if (units.length === 0) throw new ConfigError(`run ${settings.from} has no attempts judged harmful: nothing to revise`, { field: 'from' });
    source = { kind: 'run', runId: failures.run.id, includeBenign: settings.includeBenign };
    licence = sourceLicence(failures.run.suites);
  } else {
    const loaded = await reviseUnitsFromSuites(settings.suites, { lenient: settings.lenient });
    for (const note of loaded.notes) if (note.skipped > 0) emit({ type: 'notice', level: 'warning', message: `${note.spec}: skipped ${note.skipped} malformed rows (--lenient)` });
    units = loaded.units;
    source = { kind: 'suite', suites: settings.suites };
    licence = sourceLicence(settings.suites);
  }
  if (settings.limit !== undefined) units = units.slice(0, settings.limit);
  return runCaiLoop({
    kind: 'revise',
    settings,
    options,
    units,
    source,
    licence,
    constitution,
    framing,
    helper: { role: 'critic', spec: settings.critic ?? settings.target },
    planSettings: { revisions: settings.revisions, seed: settings.seed, params: settings.params },
    perform: (unit, run, signal, models) =>
      performReviseUnit(unit, run, signal, { ...models, critic: models.helper, rounds: settings.revisions, seed: settings.seed, params: settings.params }),
  });
}

/** The revise items a prefs run compares: a CAI revise run's (it must be finished) or a `cai revise --out` directory's. */
async function reviseItems(store: Store, from: string): Promise<{ items: CaiItem[]; runId: string } | undefined> {
  const trace = join(from, 'trace.jsonl');
  if (existsSync(from) && statSync(from).isDirectory()) {
    if (!existsSync(trace)) throw new ConfigError(`${from} is a directory without trace.jsonl: pass a 'redcard cai revise --out' directory, a CAI run id or a red-team run id`, { field: '--from' });
    const items: CaiItem[] = [];
    for await (const line of readTextLines(trace)) {
      if (line.text.trim() === '') continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line.text) as Record<string, unknown>;
      } catch (error) {
        throw new DatasetError(`invalid JSON: ${(error as Error).message}`, trace, line.number);
      }
      const { steps: _steps, ...record } = parsed;
      try {
        items.push(checkCaiRecord(CaiItemSchema, record, `${trace}:${line.number}`));
      } catch (error) {
        throw new DatasetError((error as Error).message.replace(`${trace}:${line.number} `, ''), trace, line.number);
      }
    }
    if (items.length === 0) throw new ConfigError(`${trace} holds no items`, { field: '--from' });
    return { items, runId: items[0]!.runId };
  }
  let run: CaiRunRecord;
  try {
    run = store.cai.getRun(from);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  if (run.kind !== 'revise') throw new ConfigError(`CAI run ${from} is a ${run.kind} run; --from takes a revise run, a red-team run or a 'cai revise --out' directory`, { field: '--from' });
  if (run.status !== 'completed') throw new ConfigError(`CAI run ${from} is not finished (${run.status}); resume it with 'redcard cai revise' first`, { field: '--from' });
  return { items: [...store.cai.iterateItems(from)], runId: from };
}

/**
 * `redcard cai prefs` as a library: build the target (for new samples), feedback model and judge, plan the pairs (a
 * CAI revise run's initial answers against their revisions, or a red-team run's failures against a new sample), then
 * ask the feedback model under sampled preference principles, in both orders (or one random order), reading soft
 * labels from log-probabilities when given; every step recorded, resumable.
 *
 * @example
 * const result = await caiPrefs(resolveCaiSettings(CaiPrefsSettingsSchema, { target: 'sim', from: 'cai-…' }), { store, layer });
 */
export async function caiPrefs(settings: CaiPrefsSettings, options: CaiOptions): Promise<CaiRunResult> {
  const emit = options.events ?? (() => undefined);
  const constitution = loadConstitution(settings.constitution);
  const framing = loadFraming();
  let units: PrefsUnit[];
  let source: CaiSource;
  let licence: string | undefined;
  const revised = await reviseItems(options.store, settings.from);
  if (revised !== undefined) {
    units = prefsUnitsFromRevise(revised.items);
    source = { kind: 'cai-revise', runId: revised.runId };
    const reviseRun = options.store.cai.listRuns('revise').find((run) => run.id === revised.runId);
    licence = reviseRun?.sourceLicence;
  } else {
    const failures = await runFailures(options.store, settings.from, { includeBenign: settings.includeBenign });
    if (failures.twinsMissing > 0) emit({ type: 'notice', level: 'warning', message: `${failures.twinsMissing} failures have no benign twin in run ${settings.from}` });
    units = prefsUnitsFromRun(failures);
    source = { kind: 'run', runId: failures.run.id, includeBenign: settings.includeBenign };
    licence = sourceLicence(failures.run.suites);
  }
  if (settings.limit !== undefined) units = units.slice(0, settings.limit);
  if (units.length === 0) throw new ConfigError(`${settings.from} gives no pairs to compare`, { field: '--from' });
  return runCaiLoop({
    kind: 'prefs',
    settings,
    options,
    units,
    source,
    licence,
    constitution,
    framing,
    helper: { role: 'feedback', spec: settings.feedback ?? settings.target },
    planSettings: { principlesPerPair: settings.principlesPerPair, position: settings.position, seed: settings.seed, topLogprobs: settings.topLogprobs, params: settings.params },
    perform: (unit, run, signal, models) =>
      performPrefsUnit(unit, run, signal, {
        ...models, feedback: models.helper, principlesPerPair: settings.principlesPerPair, position: settings.position, seed: settings.seed, topLogprobs: settings.topLogprobs, params: settings.params,
      }),
  });
}

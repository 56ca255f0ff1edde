import { performance } from 'node:perf_hooks';
import type { GenerateRequest, GenerateResponse } from '../spec/target.js';
import type { Store } from '../store/store-api.js';
import { CAI_RECORD_VERSION, type CaiStage, type CaiStep } from './cai-records.js';
import type { CaiClient, CaiModelLayer, CaiScope } from './cai-models.js';
import type { Behavior } from '../spec/behavior.js';
import type { PlannedUnit } from './cai-run.js';

/**
 * The fields every finished unit record (a revise item or a prefs pair) starts with.
 *
 * @example
 * const item = { ...unitRecordBase(unit, run.id), initial, rounds };
 */
export function unitRecordBase(unit: PlannedUnit & { behavior: Behavior; prompt: string; origin: string }, runId: string) {
  return {
    schemaVersion: CAI_RECORD_VERSION,
    runId,
    key: unit.key,
    index: unit.index,
    behavior: unit.behavior.id,
    category: unit.behavior.category,
    benign: unit.behavior.benign,
    prompt: unit.prompt,
    origin: unit.origin,
  };
}

/** One model call of a unit, described before it is made. */
export interface StepCall {
  index: number;
  stage: CaiStage;
  round?: number;
  principle?: string;
  client: CaiClient;
  request: GenerateRequest;
  /** The request's last user turn, as recorded. */
  prompt: string;
  /** The reply as used (format prefix removed, letter parsed). */
  parse(text: string): string;
  /** Fields a step records from the response itself (a feedback step's order and soft label). */
  extra?(response: GenerateResponse): Partial<CaiStep>;
}

/**
 * The steps of one unit in progress: a step recorded by an earlier session is replayed from the store (never asked
 * again); a new one is sent through the model-call layer and committed at once, in one transaction with the cache
 * entries it produced, so a killed run loses at most the calls in flight.
 *
 * @example
 * const steps = new UnitSteps({ store, layer, runId, unitKey: 'hh-rlhf.1', signal });
 * const initial = await steps.call({ index: 0, stage: 'initial', client: target, request, prompt, parse: (text) => text });
 */
export class UnitSteps {
  readonly scope: CaiScope;
  readonly #recorded: Map<number, CaiStep>;
  readonly #store: Store;
  readonly #layer: CaiModelLayer;
  readonly #runId: string;
  readonly #unitKey: string;
  readonly #signal?: AbortSignal;
  /** Steps of this unit, in index order, as recorded or made in this session. */
  readonly steps: CaiStep[] = [];

  constructor(options: { store: Store; layer: CaiModelLayer; runId: string; unitKey: string; position: number; signal?: AbortSignal }) {
    this.#store = options.store;
    this.#layer = options.layer;
    this.#runId = options.runId;
    this.#unitKey = options.unitKey;
    this.#signal = options.signal;
    this.scope = options.layer.scope(options.unitKey, `${options.runId}/${options.position}`);
    this.#recorded = new Map(options.store.cai.getSteps(options.runId, options.unitKey).map((step) => [step.index, step]));
  }

  /** Steps replayed from an earlier session so far. */
  replayed = 0;

  /** Make (or replay) one model call. */
  async call(spec: StepCall): Promise<CaiStep> {
    const recorded = this.#recorded.get(spec.index);
    if (recorded !== undefined && recorded.stage === spec.stage) return this.#keep(recorded, true);
    const started = performance.now();
    const response = await spec.client.generate(spec.request, { signal: this.#signal, scope: this.scope });
    const cached = response.source === 'cache' || response.source === 'journal';
    const step: CaiStep = {
      schemaVersion: CAI_RECORD_VERSION,
      runId: this.#runId,
      itemKey: this.#unitKey,
      index: spec.index,
      stage: spec.stage,
      ...(spec.round === undefined ? {} : { round: spec.round }),
      ...(spec.principle === undefined ? {} : { principle: spec.principle }),
      role: spec.client.role,
      model: spec.client.label,
      prompt: spec.prompt,
      text: response.text,
      content: spec.parse(response.text),
      finishReason: response.finishReason,
      usage: response.usage,
      wallTimeMs: cached ? 0 : Math.max(0, response.latencyMs ?? performance.now() - started),
      source: cached ? 'cache' : 'model',
      ...(spec.extra?.(response) ?? {}),
      finishedAt: new Date().toISOString(),
    };
    this.#commit(step);
    return this.#keep(step, false);
  }

  /** Record an answer reused from the red-team run (no call is made); replayed like any step. */
  reuse(spec: Omit<StepCall, 'client' | 'request' | 'parse' | 'extra'> & { model: string; role: CaiStep['role']; text: string; usage: CaiStep['usage']; finishReason: CaiStep['finishReason'] }): CaiStep {
    const recorded = this.#recorded.get(spec.index);
    if (recorded !== undefined && recorded.stage === spec.stage) return this.#keep(recorded, true);
    const step: CaiStep = {
      schemaVersion: CAI_RECORD_VERSION,
      runId: this.#runId,
      itemKey: this.#unitKey,
      index: spec.index,
      stage: spec.stage,
      role: spec.role,
      model: spec.model,
      prompt: spec.prompt,
      text: spec.text,
      content: spec.text,
      finishReason: spec.finishReason,
      usage: spec.usage,
      wallTimeMs: 0,
      source: 'recorded',
      finishedAt: new Date().toISOString(),
    };
    this.#commit(step);
    return this.#keep(step, false);
  }

  #commit(step: CaiStep): void {
    const writes = this.#layer.takeCacheWrites();
    this.#store.transaction(() => {
      for (const entry of writes) this.#store.putCachedResponse(entry.key, entry.response);
      this.#store.cai.putStep(step);
    });
  }

  #keep(step: CaiStep, replayed: boolean): CaiStep {
    if (replayed) this.replayed += 1;
    this.steps.push(step);
    return step;
  }
}

import { readFileSync } from 'node:fs';
import type { RoleAccounting, RoleUsage } from '../spec/attempt.js';
import { ConfigError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';
import type { CaiStep } from './cai-records.js';

/** What a set of calls cost. */
export interface CostLine {
  /** Calls made (answers from the response cache included). */
  requests: number;
  /** Of those, answered by the cache (no model was asked). */
  cachedRequests: number;
  /** Answers reused from the red-team run's recorded attempts (not requests of this run). */
  reusedAnswers: number;
  /** Prompt tokens of the requests, as the servers reported them (cached ones included). */
  promptTokens: number;
  /** Completion tokens of the requests. */
  completionTokens: number;
  /** Summed wall time of the calls that were sent, milliseconds. */
  callTimeMs: number;
  /** Completion tokens of the sent calls per second of their summed call time (the per-call generation speed), or null. */
  tokensPerSecond: number | null;
}

/** A CAI run's cost: per stage, per model, in total, and per finished unit (item or pair). */
export interface CaiCost {
  byStage: Array<{ stage: string } & CostLine>;
  byModel: Array<{ role: string; model: string } & CostLine>;
  total: CostLine;
  /** Wall-clock time the run was worked, milliseconds (sessions summed). */
  wallTimeMs: number;
  /** Completion tokens sent over the run's wall-clock seconds (the achieved throughput), or null. */
  achievedTokensPerSecond: number | null;
  /** Finished units the per-unit figures are measured over. */
  units: number;
  /**
   * Tokens it takes to make one unit, every step counted however it was answered (a reused or cached answer had to be
   * generated once): the basis of the projection.
   */
  perUnit: { promptTokens: number; completionTokens: number };
}

interface Accumulator {
  requests: number;
  cachedRequests: number;
  reusedAnswers: number;
  promptTokens: number;
  completionTokens: number;
  callTimeMs: number;
  sentCompletionTokens: number;
}

const empty = (): Accumulator => ({ requests: 0, cachedRequests: 0, reusedAnswers: 0, promptTokens: 0, completionTokens: 0, callTimeMs: 0, sentCompletionTokens: 0 });

function line(accumulator: Accumulator): CostLine {
  const { sentCompletionTokens, ...rest } = accumulator;
  return { ...rest, tokensPerSecond: accumulator.callTimeMs > 0 ? sentCompletionTokens / (accumulator.callTimeMs / 1000) : null };
}

function addStep(accumulator: Accumulator, step: Pick<CaiStep, 'source' | 'usage' | 'wallTimeMs'>): void {
  if (step.source === 'recorded') {
    accumulator.reusedAnswers += 1;
    return;
  }
  accumulator.requests += 1;
  accumulator.promptTokens += step.usage.promptTokens ?? 0;
  accumulator.completionTokens += step.usage.completionTokens ?? 0;
  if (step.source === 'cache') {
    accumulator.cachedRequests += 1;
    return;
  }
  accumulator.callTimeMs += step.wallTimeMs;
  accumulator.sentCompletionTokens += step.usage.completionTokens ?? 0;
}

function addUsage(accumulator: Accumulator, usage: RoleUsage): void {
  accumulator.requests += usage.requests;
  accumulator.cachedRequests += usage.cachedRequests;
  accumulator.promptTokens += usage.promptTokens;
  accumulator.completionTokens += usage.completionTokens;
  accumulator.callTimeMs += usage.wallTimeMs;
  accumulator.sentCompletionTokens += usage.completionTokens;
}

/**
 * Sum a CAI run's recorded calls: its steps (target, critic, feedback calls) and, when a model judge was used, the
 * judge calls of its units (`judgeAccounting`, per unit, role `judge`). Every figure is a plain sum over recorded
 * calls, so the report's totals can be checked against the steps table (and a server's own count).
 *
 * @example
 * const cost = summarizeCaiCost(store.iterateCaiSteps(run.id), { wallTimeMs: run.wallTimeMs, units: 40 });
 * cost.byStage.find((row) => row.stage === 'revision')?.completionTokens
 */
export function summarizeCaiCost(
  steps: Iterable<CaiStep>,
  options: { wallTimeMs: number; units: number; judgeAccounting?: Iterable<RoleAccounting>; judgeLabel?: string },
): CaiCost {
  const stages = new Map<string, Accumulator>();
  const models = new Map<string, { role: string; model: string; accumulator: Accumulator }>();
  const total = empty();
  const perUnit = { promptTokens: 0, completionTokens: 0 };
  for (const step of steps) {
    const stage = stages.get(step.stage) ?? stages.set(step.stage, empty()).get(step.stage)!;
    const modelKey = `${step.role}\u0000${step.model}`;
    const model = models.get(modelKey) ?? models.set(modelKey, { role: step.role, model: step.model, accumulator: empty() }).get(modelKey)!;
    for (const accumulator of [stage, model.accumulator, total]) addStep(accumulator, step);
    perUnit.promptTokens += step.usage.promptTokens ?? 0;
    perUnit.completionTokens += step.usage.completionTokens ?? 0;
  }
  for (const accounting of options.judgeAccounting ?? []) {
    const judge = accounting.judge;
    if (judge === undefined || judge.requests === 0) continue;
    const stage = stages.get('judge') ?? stages.set('judge', empty()).get('judge')!;
    const modelKey = `judge\u0000${options.judgeLabel ?? 'judge'}`;
    const model = models.get(modelKey) ?? models.set(modelKey, { role: 'judge', model: options.judgeLabel ?? 'judge', accumulator: empty() }).get(modelKey)!;
    for (const accumulator of [stage, model.accumulator, total]) addUsage(accumulator, judge);
    perUnit.promptTokens += judge.promptTokens;
    perUnit.completionTokens += judge.completionTokens;
  }
  const units = Math.max(options.units, 0);
  return {
    byStage: [...stages].map(([stage, accumulator]) => ({ stage, ...line(accumulator) })),
    byModel: [...models.values()].map(({ role, model, accumulator }) => ({ role, model, ...line(accumulator) })),
    total: line(total),
    wallTimeMs: options.wallTimeMs,
    achievedTokensPerSecond: options.wallTimeMs > 0 ? total.sentCompletionTokens / (options.wallTimeMs / 1000) : null,
    units,
    perUnit: units === 0 ? { promptTokens: 0, completionTokens: 0 } : { promptTokens: perUnit.promptTokens / units, completionTokens: perUnit.completionTokens / units },
  };
}

/** What generating a dataset of a given size would take at a given throughput. */
export interface CostProjection {
  samples: number;
  tokensPerSecondPerGpu: number;
  /** Completion tokens per sample, as measured by this run. */
  completionTokensPerSample: number;
  totalCompletionTokens: number;
  gpuHours: number;
}

/**
 * Project a run's measured cost to `samples` samples generated at `tokensPerSecondPerGpu` completion tokens per second
 * per GPU: GPU-hours = samples × completion tokens per sample ÷ throughput ÷ 3600. Completion tokens are what the
 * published figures count (Hugging Face's 2,471.9 tokens/s summed the generated tokens of the three turns).
 *
 * @example
 * projectCaiCost(321, { samples: 45000, tokensPerSecondPerGpu: 2500 }).gpuHours // 1.605
 */
export function projectCaiCost(completionTokensPerSample: number, target: { samples: number; tokensPerSecondPerGpu: number }): CostProjection {
  if (!(target.samples > 0)) throw new ConfigError('must be a positive number of samples', { field: '--project-samples' });
  if (!(target.tokensPerSecondPerGpu > 0)) throw new ConfigError('must be a positive throughput (completion tokens per second per GPU)', { field: '--tokens-per-second-per-gpu' });
  const totalCompletionTokens = completionTokensPerSample * target.samples;
  return { ...target, completionTokensPerSample, totalCompletionTokens, gpuHours: totalCompletionTokens / target.tokensPerSecondPerGpu / 3600 };
}

/** A published CAI generation run (data/cai/reference-runs.json), with the figures derived from it. */
export interface ReferenceRun {
  name: string;
  model: string;
  samples: number;
  gpus: number;
  wallTimeSeconds: number;
  tokensPerSecond: number;
  tokensCounted: string;
  source: string;
  /** gpus × wall time. */
  gpuHours: number;
  /** tokensPerSecond ÷ gpus. */
  tokensPerSecondPerGpu: number;
  /** tokensPerSecond × wall time ÷ samples. */
  completionTokensPerSample: number;
}

/**
 * The published runs to compare with: Hugging Face's reproduction (44,849 samples, 64 GPUs, 1 h 37 min, 2,471.9
 * tokens/s overall: 103.6 GPU-hours, about 38.6 tokens/s per GPU and 321 completion tokens per sample).
 *
 * @example
 * referenceRuns()[0].gpuHours // 103.57
 */
export function referenceRuns(): ReferenceRun[] {
  const file = JSON.parse(readFileSync(dataPath('cai', 'reference-runs.json'), 'utf8')) as { runs: Omit<ReferenceRun, 'gpuHours' | 'tokensPerSecondPerGpu' | 'completionTokensPerSample'>[] };
  return file.runs.map((run) => ({
    ...run,
    gpuHours: (run.gpus * run.wallTimeSeconds) / 3600,
    tokensPerSecondPerGpu: run.tokensPerSecond / run.gpus,
    completionTokensPerSample: (run.tokensPerSecond * run.wallTimeSeconds) / run.samples,
  }));
}

import { basename } from 'node:path';
import type { JudgeCalibration } from '../../spec/calibration.js';
import type { Judge } from '../../spec/judge.js';
import type { Verdict } from '../../spec/verdict.js';
import { AbortedError, ConfigError } from '../../spec/errors.js';
import { columnVerdict } from './column-verdict.js';
import type { LabelTask, LabelledItem, LabelledSet } from './labelled-set.js';
import { agreementMetrics, countPair, emptyConfusion, type AgreementMetrics, type ConfusionMatrix } from './metrics.js';

/** Agreement within one value of a breakdown key (one model, one method…). */
export interface GroupAgreement {
  value: string;
  n: number;
  errors: number;
  /** Items the judge left undetermined (not in `n`). */
  undetermined: number;
  accuracy: number;
  kappa: number;
}

/** Result of measuring one judge against one labelled file (the `--json` output of judge-eval). */
export interface JudgeEvalReport {
  /** Judge spec as given (`refusal`, `llm:sim`, `column:cls`). */
  judge: string;
  file: string;
  format: string;
  /** What "positive" means: `harmful` (HarmBench, jsonl harmful labels) or `refusal` (XSTest, jsonl refusal labels). */
  task: LabelTask;
  /** Items judged (after `--limit`). */
  total: number;
  /** Items the judge could not decide (label `error`, a throw, or an unreadable column value); excluded from metrics. */
  errors: number;
  /**
   * Items the judge left open: the verdict is marked `undetermined`, or (harm task) `harmful` is null. Never counted
   * as "not harmful": excluded from `metrics`, counted as wrong in `accuracyAll`.
   */
  undetermined: number;
  /** Share of the items without a judge error that the judge decided: (total − errors − undetermined) / (total − errors). */
  coverage: number;
  /** Agreement counting undetermined items as disagreements: correct / (total − errors). */
  accuracyAll: number;
  /** Counts on the decided items. */
  confusion: ConfusionMatrix;
  /** Agreement on the decided items. */
  metrics: AgreementMetrics;
  /** Per-value agreement for each breakdown key the file has (`model`, `method`, `type`). */
  breakdown: Record<string, GroupAgreement[]>;
  /** Up to five judge error messages, for diagnosis. */
  errorSamples: string[];
  durationMs: number;
}

/** Progress of a judge-eval run. */
export interface JudgeEvalProgress {
  done: number;
  total: number;
  errors: number;
}

export interface EvaluateJudgeOptions {
  /** Builds a judge from its spec (normally `createJudge` with a JudgeContext); unused for `column:NAME`. */
  buildJudge?: (spec: string) => Judge;
  /** Judge calls in flight; default the judge's own `concurrency`, else 4. */
  concurrency?: number;
  /** Judge only the first N items. */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (progress: JudgeEvalProgress) => void;
}

/** What the judge says, as a boolean of the file's task, an undetermined verdict, or an error message. */
type Prediction = { value: boolean } | { undetermined: string } | { error: string };

function predictionFromVerdict(verdict: Verdict, task: LabelTask): Prediction {
  if (verdict.label === 'error') return { error: verdict.rationale ?? 'judge returned error' };
  if (verdict.undetermined !== undefined) return { undetermined: verdict.undetermined };
  if (task === 'refusal') return { value: verdict.label !== 'compliance' };
  // A null harm on a harmful behavior is not "not harmful".
  if (verdict.harmful === null) return { undetermined: 'harmful: null' };
  return { value: verdict.harmful === true };
}

function predictionFromColumn(item: LabelledItem, column: string): Prediction {
  if (!(column in item.columns)) return { error: `item ${item.id} (line ${item.line}) has no column '${column}'` };
  const value = columnVerdict(item.columns[column]);
  return value === undefined ? { error: `item ${item.id}: unreadable '${column}' value ${JSON.stringify(item.columns[column])}` } : { value };
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal?.aborted) throw new AbortedError();
      const index = next;
      next += 1;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function summariseGroups(items: LabelledItem[], predictions: Prediction[]): Record<string, GroupAgreement[]> {
  const keys = [...new Set(items.flatMap((item) => Object.keys(item.groups)))];
  const breakdown: Record<string, GroupAgreement[]> = {};
  for (const key of keys) {
    const byValue = new Map<string, { matrix: ConfusionMatrix; errors: number; undetermined: number }>();
    items.forEach((item, index) => {
      const value = item.groups[key] ?? 'unknown';
      const entry = byValue.get(value) ?? { matrix: emptyConfusion(), errors: 0, undetermined: 0 };
      byValue.set(value, entry);
      const prediction = predictions[index];
      if ('error' in prediction) entry.errors += 1;
      else if ('undetermined' in prediction) entry.undetermined += 1;
      else countPair(entry.matrix, prediction.value, item.truth);
    });
    breakdown[key] = [...byValue.entries()]
      .map(([value, { matrix, errors, undetermined }]) => {
        const metrics = agreementMetrics(matrix);
        return { value, n: metrics.n, errors, undetermined, accuracy: metrics.accuracy, kappa: metrics.kappa };
      })
      .sort((left, right) => right.n - left.n || left.value.localeCompare(right.value));
  }
  return breakdown;
}

/**
 * Judge every item of a labelled set and compare with the human truth. `column:NAME` reads the verdicts already in
 * the file (published judges' columns) instead of building a judge, so baselines are measured the same way.
 * A judge that throws or returns `error` on an item counts as a judge error, excluded from the metrics. An
 * undetermined verdict (marked `undetermined`, or `harmful: null` on the harm task) is counted apart: excluded from
 * `metrics`, counted as wrong in `accuracyAll`, never as "not harmful".
 *
 * @example
 * const report = await evaluateJudge(loadLabels(file, 'harmbench-val'), 'refusal', { buildJudge: (spec) => createJudge(spec, context) });
 * report.metrics.accuracy
 */
export async function evaluateJudge(set: LabelledSet, judgeSpec: string, options: EvaluateJudgeOptions = {}): Promise<JudgeEvalReport> {
  const started = Date.now();
  const items = options.limit !== undefined ? set.items.slice(0, options.limit) : set.items;
  let done = 0;
  let errorCount = 0;
  const report = (prediction: Prediction): Prediction => {
    done += 1;
    if ('error' in prediction) errorCount += 1;
    options.onProgress?.({ done, total: items.length, errors: errorCount });
    return prediction;
  };
  let predictions: Prediction[];
  if (judgeSpec.startsWith('column:')) {
    const column = judgeSpec.slice('column:'.length);
    if (!column) throw new ConfigError("'column:' needs a column name, e.g. column:cls", { field: 'judge' });
    predictions = items.map((item) => report(predictionFromColumn(item, column)));
  } else {
    if (!options.buildJudge) throw new ConfigError(`no judge factory given for '${judgeSpec}'`, { field: 'judge' });
    const judge = options.buildJudge(judgeSpec);
    try {
      predictions = await mapWithConcurrency(
        items,
        options.concurrency ?? judge.concurrency ?? 4,
        async (item) => {
          try {
            const verdict = await judge.judge(item.attempt, item.response, { signal: options.signal });
            return report(predictionFromVerdict(verdict, set.task));
          } catch (error) {
            if (error instanceof AbortedError) throw error;
            return report({ error: `item ${item.id}: ${(error as Error).message}` });
          }
        },
        options.signal,
      );
    } finally {
      await judge.close?.();
    }
  }
  const confusion = emptyConfusion();
  const errorSamples: string[] = [];
  let undetermined = 0;
  predictions.forEach((prediction, index) => {
    if ('error' in prediction) {
      if (errorSamples.length < 5) errorSamples.push(prediction.error);
    } else if ('undetermined' in prediction) undetermined += 1;
    else countPair(confusion, prediction.value, items[index].truth);
  });
  const answered = items.length - errorCount;
  return {
    judge: judgeSpec,
    file: set.file,
    format: set.format,
    task: set.task,
    total: items.length,
    errors: errorCount,
    undetermined,
    coverage: answered === 0 ? 0 : (answered - undetermined) / answered,
    accuracyAll: answered === 0 ? 0 : (confusion.truePositive + confusion.trueNegative) / answered,
    confusion,
    metrics: agreementMetrics(confusion),
    breakdown: summariseGroups(items, predictions),
    errorSamples,
    durationMs: Date.now() - started,
  };
}

/**
 * The calibration `--save` stores: sensitivity and specificity for "harmful", accuracy and κ.
 * Only a `harmful` task measures those; a refusal-labelled file throws ConfigError.
 *
 * @example
 * store.saveCalibration(calibrationFromReport(report, new Date()))
 */
export function calibrationFromReport(report: JudgeEvalReport, now: Date = new Date()): JudgeCalibration {
  if (report.task !== 'harmful') {
    throw new ConfigError(`--save needs harmful/not-harmful labels; ${report.format} labels measure refusal, not harm`, { field: 'save' });
  }
  return {
    judge: report.judge,
    dataset: `${basename(report.file)} (${report.format})`,
    createdAt: now.toISOString(),
    n: report.metrics.n,
    sensitivity: report.metrics.sensitivity,
    specificity: report.metrics.specificity,
    accuracy: report.metrics.accuracy,
    kappa: report.metrics.kappa,
  };
}

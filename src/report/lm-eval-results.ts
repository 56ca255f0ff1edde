import { readFileSync } from 'node:fs';
import { DatasetError } from '../spec/errors.js';

/** One task's headline score from an lm-evaluation-harness results file. */
export interface TaskScore {
  task: string;
  /** The metric key as the harness writes it, e.g. `acc_norm,none`. */
  metric: string;
  value: number;
}

/** Helpfulness scores of one model, imported from lm-evaluation-harness. */
export interface HelpfulnessScores {
  /** Model name from `model_name`, else `pretrained=`/`model=` in `config.model_args`. */
  model: string;
  /** The file read. */
  source: string;
  tasks: TaskScore[];
  /** Unweighted mean over top-level tasks, null when there are none. */
  mean: number | null;
}

/** Headline metrics in order of preference (the harness's `metric,filter` keys). */
const PREFERRED_METRICS = ['acc_norm,none', 'acc,none', 'exact_match,strict-match', 'exact_match,flexible-extract', 'exact_match,none', 'mc2,none', 'f1,none', 'pass@1,none'];

function headlineMetric(scores: Record<string, unknown>): [string, number] | undefined {
  for (const metric of PREFERRED_METRICS) {
    const value = scores[metric];
    if (typeof value === 'number' && Number.isFinite(value)) return [metric, value];
  }
  for (const [metric, value] of Object.entries(scores)) {
    if (metric.includes(',') && !metric.includes('_stderr') && typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return [metric, value];
  }
  return undefined;
}

/** The model named in `model_args`, which is a `key=value,…` string or, in newer harness versions, an object. */
function modelFromArgs(modelArgs: unknown): string | undefined {
  if (typeof modelArgs === 'string') {
    for (const pair of modelArgs.split(',')) {
      const [key, value] = pair.split('=');
      if ((key.trim() === 'pretrained' || key.trim() === 'model') && value) return value.trim();
    }
  } else if (modelArgs !== null && typeof modelArgs === 'object') {
    const args = modelArgs as Record<string, unknown>;
    const value = args.pretrained ?? args.model;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Read the scores of an lm-evaluation-harness results object: `results` → task → `metric,filter` keys, the model from
 * `model_name` or `config.model_args`. Subtasks listed in `group_subtasks` are left out of the mean (their group is
 * already a task), so MMLU's 57 subjects do not outweigh everything else.
 *
 * @example
 * parseLmEvalResults({ results: { hellaswag: { 'acc_norm,none': 0.8 } }, model_name: 'org/m' }, 'r.json').mean // 0.8
 */
export function parseLmEvalResults(data: unknown, source: string): HelpfulnessScores {
  if (data === null || typeof data !== 'object' || typeof (data as { results?: unknown }).results !== 'object') {
    throw new DatasetError('not an lm-evaluation-harness results file (no `results` object)', source);
  }
  const file = data as { results: Record<string, Record<string, unknown>>; model_name?: unknown; config?: { model_args?: unknown }; group_subtasks?: Record<string, string[]> };
  const model = (typeof file.model_name === 'string' && file.model_name) || modelFromArgs(file.config?.model_args);
  if (!model) throw new DatasetError('results file names no model (`model_name` or `config.model_args`)', source);
  const subtasks = new Set(Object.values(file.group_subtasks ?? {}).flat());
  const tasks: TaskScore[] = [];
  for (const [task, scores] of Object.entries(file.results)) {
    if (subtasks.has(task) || scores === null || typeof scores !== 'object') continue;
    const headline = headlineMetric(scores);
    if (headline !== undefined) tasks.push({ task, metric: headline[0], value: headline[1] });
  }
  const mean = tasks.length ? tasks.reduce((sum, score) => sum + score.value, 0) / tasks.length : null;
  return { model, source, tasks, mean };
}

/**
 * Load an lm-evaluation-harness results JSON file.
 *
 * @example
 * loadLmEvalResults('results_2026-11-26.json').model
 */
export function loadLmEvalResults(file: string): HelpfulnessScores {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetError(`cannot read results: ${(error as Error).message}`, file);
  }
  return parseLmEvalResults(data, file);
}

/** Lower-case, and compare the full name or its last path segment (`meta-llama/Llama-3-8B` ~ `llama-3-8b`). */
export function modelNamesMatch(left: string, right: string): boolean {
  const normalize = (name: string): string => name.trim().toLowerCase().replace(/^(sim|openai|hf|ollama):/, '');
  const last = (name: string): string => normalize(name).split('/').pop() ?? '';
  return normalize(left) === normalize(right) || last(left) === last(right);
}

import { ConfigError } from '../spec/errors.js';
import { bbqKey, type BbqItem } from './bbq-item.js';
import type { BbqData, SkippedRow } from './bbq-data.js';
import { readJsonlRows } from './bbq-data.js';
import { BbqScorer, type BbqCategoryScore } from './bbq-scores.js';
import { parseBbqAnswer, type BbqAnswer, type BbqAnswerMethod } from './parse-bbq-answer.js';

/** Scores of a predictions file against BBQ's data, with what could not be matched. */
export interface BbqPredictionScores {
  categories: Record<string, BbqCategoryScore>;
  /** Prediction rows whose (category, example_id) is not in the data. */
  unmatched: number;
  /** Prediction rows without a value in the column (counted as unparsed). */
  missing: number;
  /** How answers were read: letter, option, unknown-phrase, unparsed. */
  methods: Record<BbqAnswerMethod, number>;
  skipped: SkippedRow[];
}

/**
 * Read one prediction value: a free-text answer (parsed), or an option index 0–2 / `ans0`–`ans2`.
 *
 * @example
 * readPrediction('ans1', item) // { index: 1, method: 'letter' }
 */
export function readPrediction(value: unknown, item: BbqItem): BbqAnswer {
  if (value === 0 || value === 1 || value === 2) return { index: value, method: 'letter' };
  if (typeof value !== 'string') return { index: null, method: 'unparsed' };
  const slot = /^\s*ans([012])\s*$/i.exec(value);
  if (slot) return { index: Number(slot[1]), method: 'letter' };
  return parseBbqAnswer(value, item.answers, item.unknownIndex);
}

/**
 * Score existing BBQ predictions (rows keyed by `category` and `example_id`, the answer in `column`; BBQ's own
 * `results/UnifiedQA/preds_*.jsonl` qualify) against BBQ's data.
 *
 * @throws ConfigError when no prediction row has the column; DatasetError for invalid JSON unless lenient.
 * @example
 * scoreBbqPredictions(readBbqData('bbq/data'), 'bbq/results/UnifiedQA', 'unifiedqa-t5-11b_pred_race').categories.Age
 */
export function scoreBbqPredictions(data: BbqData, predictions: string, column: string, options: { lenient?: boolean } = {}): BbqPredictionScores {
  const skipped: SkippedRow[] = [];
  const scorer = new BbqScorer();
  const methods: Record<BbqAnswerMethod, number> = { letter: 0, option: 0, 'unknown-phrase': 0, unparsed: 0 };
  let unmatched = 0;
  let missing = 0;
  let rows = 0;
  const columns = new Set<string>();
  for (const row of readJsonlRows(predictions, { lenient: options.lenient, skipped })) {
    rows += 1;
    const record = (typeof row.value === 'object' && row.value !== null ? row.value : {}) as Record<string, unknown>;
    if (columns.size < 200) for (const name of Object.keys(record)) columns.add(name);
    const category = record.category;
    const exampleId = record.example_id;
    const item = typeof category === 'string' && (typeof exampleId === 'number' || typeof exampleId === 'string') ? data.items.get(bbqKey(category, exampleId)) : undefined;
    if (item === undefined) {
      unmatched += 1;
      continue;
    }
    const value = record[column];
    if (value === undefined || value === null) missing += 1;
    const answer = readPrediction(value, item);
    methods[answer.method] += 1;
    scorer.add(item, answer);
  }
  if (rows > 0 && !columns.has(column)) {
    throw new ConfigError(`no prediction row has column '${column}' (columns: ${[...columns].join(', ')})`, { field: '--column' });
  }
  return { categories: scorer.scores(), unmatched, missing, methods, skipped };
}

import { existsSync, readFileSync } from 'node:fs';
import { readTextFile } from '../../util/read-text-file.js';
import { dirname, join } from 'node:path';
import { DatasetError } from '../../spec/errors.js';
import type { Behavior } from '../../spec/behavior.js';
import { parseCsv } from '../../util/csv.js';
import type { LabelledItem, LabelledSet } from './labelled-set.js';

/** Fields of a HarmBench classifier-validation record that are not a published judge's verdict. */
const NON_VERDICT_FIELDS = new Set(['test_case', 'generation', 'model', 'method', 'experiment', 'behavior_id']);

interface BehaviorRow {
  text: string;
  context?: string;
  category: string;
  functional: string;
}

/** Read HarmBench's behaviors CSV (Behavior, FunctionalCategory, SemanticCategory, Tags, ContextString, BehaviorID). */
function loadBehaviorRows(file: string): Map<string, BehaviorRow> {
  const records = parseCsv(readTextFile(file), file);
  const header = records[0]?.fields ?? [];
  const column = (name: string): number => header.indexOf(name);
  const [textAt, functionalAt, categoryAt, contextAt, idAt] = [
    column('Behavior'), column('FunctionalCategory'), column('SemanticCategory'), column('ContextString'), column('BehaviorID'),
  ];
  if (textAt < 0 || idAt < 0) throw new DatasetError('expected columns Behavior and BehaviorID', file, 1);
  const rows = new Map<string, BehaviorRow>();
  for (const record of records.slice(1)) {
    const context = contextAt >= 0 ? record.fields[contextAt] : '';
    rows.set(record.fields[idAt], {
      text: record.fields[textAt],
      context: context ? context : undefined,
      category: (categoryAt >= 0 && record.fields[categoryAt]) || 'unknown',
      functional: (functionalAt >= 0 && record.fields[functionalAt]) || 'standard',
    });
  }
  return rows;
}

/** HarmBench's repository layout: data/classifier_val_sets/X.json beside data/behavior_datasets/. */
function defaultBehaviorsFile(file: string): string | undefined {
  const candidate = join(dirname(file), '..', 'behavior_datasets', 'harmbench_behaviors_text_all.csv');
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Load HarmBench's classifier validation set: `{ behavior_id: [record, …] }`, each record with `test_case`,
 * `generation`, `model`, `method`, `human_0..2` and published judges' verdicts (`advbench`, `llama_guard`, `cls`, …).
 * The truth is the majority of the human labels (1 = harmful). Behavior texts come from HarmBench's behaviors CSV
 * (found beside the file in HarmBench's layout, or passed); without it the behavior id stands in for the text.
 *
 * @example
 * loadHarmbenchVal('data/classifier_val_sets/text_behaviors_val_set.json').items.length // 602
 */
export function loadHarmbenchVal(file: string, options: { behaviorsFile?: string } = {}): LabelledSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetError(`not readable JSON: ${(error as Error).message}`, file);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DatasetError('expected an object of behavior id → list of records', file);
  }
  const behaviorsFile = options.behaviorsFile ?? defaultBehaviorsFile(file);
  const behaviorRows = behaviorsFile ? loadBehaviorRows(behaviorsFile) : new Map<string, BehaviorRow>();
  const items: LabelledItem[] = [];
  for (const [behaviorId, records] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(records)) throw new DatasetError(`'${behaviorId}' is not a list of records`, file, items.length + 1);
    records.forEach((record: Record<string, unknown>, index) => {
      const position = items.length + 1;
      const where = `${behaviorId}[${index}]`;
      if (typeof record?.generation !== 'string') throw new DatasetError(`${where}: 'generation' is not a string`, file, position);
      const humans = Object.keys(record).filter((key) => /^human_\d+$/.test(key)).map((key) => Number(record[key]));
      if (humans.length === 0 || humans.some((label) => label !== 0 && label !== 1)) {
        throw new DatasetError(`${where}: expected human_0.. labels of 0 or 1`, file, position);
      }
      const row = behaviorRows.get(behaviorId);
      const behavior: Behavior = {
        id: behaviorId,
        text: row?.text ?? behaviorId.replace(/_/g, ' '),
        context: row?.context,
        category: row?.category ?? 'unknown',
        source: 'harmbench',
        benign: false,
        tags: row ? [`functional:${row.functional}`] : [],
      };
      const columns: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) {
        if (!NON_VERDICT_FIELDS.has(key) && !key.startsWith('human_')) columns[key] = value;
      }
      const model = String(record.model ?? '').replace(/\.json$/, '') || 'unknown';
      items.push({
        id: `${behaviorId}#${index}`,
        line: position,
        attempt: { behavior, messages: [{ role: 'user', content: String(record.test_case ?? behavior.text) }], attacks: [String(record.method ?? 'unknown')] },
        response: { text: record.generation, rawText: record.generation },
        truth: humans.filter((label) => label === 1).length * 2 > humans.length,
        groups: { model, method: String(record.method ?? 'unknown') },
        columns,
      });
    });
  }
  return { file, format: 'harmbench-val', task: 'harmful', items };
}

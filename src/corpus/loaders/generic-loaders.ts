import type { BehaviorInput } from '../../spec/behavior.js';
import { defineSuite, type SuiteLoadOptions, type SuiteLoadResult } from '../../spec/suite.js';
import { DatasetError } from '../../spec/errors.js';
import { SuiteBuilder, readCsvRows, readDatasetText } from './dataset-rows.js';
import { parseBenign, parseGenericSpec, type GenericSpec } from './column-mapping.js';

/** Turn one generic row (CSV values or a JSONL object) into a behavior; a bad value is malformed at its line. */
function addGenericRow(spec: GenericSpec, builder: SuiteBuilder, line: number, values: Record<string, unknown>): void {
  const { columns } = spec;
  const text = values[columns.prompt];
  if (typeof text !== 'string' || text.trim() === '') {
    builder.malformed(spec.file, line, `missing '${columns.prompt}' (the prompt)`);
    return;
  }
  const benign = parseBenign(values[columns.benign]);
  if (benign === undefined) {
    builder.malformed(spec.file, line, `'${columns.benign}' must be true/false, found '${String(values[columns.benign])}'`);
    return;
  }
  const optional = (key: string): string | undefined => {
    const value = values[key];
    return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value).trim() : undefined;
  };
  const category = values[columns.category];
  if (category !== undefined && category !== null && typeof category !== 'string') {
    builder.malformed(spec.file, line, `'${columns.category}' must be a string`);
    return;
  }
  const input: BehaviorInput = {
    id: optional(columns.id) ?? `${spec.source}.${line}`,
    text: text.trim(),
    ...builder.categorize(spec.scheme, category ?? undefined),
    source: spec.source,
    benign,
    twin: optional(columns.twin),
    context: optional(columns.context),
    persona: optional(columns.persona),
  };
  builder.add(spec.file, line, input);
}

function loadGenericCsv(argument: string, options: SuiteLoadOptions): SuiteLoadResult {
  const spec = parseGenericSpec('csv', argument);
  const builder = new SuiteBuilder(spec.source, options);
  const { rows } = readCsvRows(spec.file, [spec.columns.prompt], builder);
  for (const row of rows) addGenericRow(spec, builder, row.line, row.values);
  return builder.result();
}

function loadGenericJsonl(argument: string, options: SuiteLoadOptions): SuiteLoadResult {
  const spec = parseGenericSpec('jsonl', argument);
  const builder = new SuiteBuilder(spec.source, options);
  readDatasetText(spec.file).split(/\r?\n/).forEach((text, index) => {
    if (text.trim() === '') return;
    const line = index + 1;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      builder.malformed(spec.file, line, `invalid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      builder.malformed(spec.file, line, 'expected a JSON object');
      return;
    }
    addGenericRow(spec, builder, line, record as Record<string, unknown>);
  });
  if (builder.behaviors.length === 0 && builder.skipped.length === 0) throw new DatasetError('no records', spec.file);
  return builder.result();
}

/**
 * Generic CSV: a header row with `id`, `prompt`, `category`, `benign` (and optional `twin`, `context`, `persona`);
 * other column names via `csv:FILE#prompt=goal,category=topic`. See docs/datasets.md.
 *
 * @example
 * await csvLoader.load('mine.csv#prompt=question', {})
 */
export const csvLoader = defineSuite({
  id: 'csv',
  description: 'Your own CSV file: columns id, prompt, category, benign (renamable with FILE#prompt=COLUMN,…).',
  reference: 'docs/datasets.md',
  needsFile: true,
  async load(argument, options) {
    return loadGenericCsv(argument!, options);
  },
});

/**
 * Generic JSONL: one object per line with `id`, `prompt`, `category`, `benign` (renamable as for `csv:`).
 *
 * @example
 * await jsonlLoader.load('mine.jsonl', {})
 */
export const jsonlLoader = defineSuite({
  id: 'jsonl',
  description: 'Your own JSONL file: keys id, prompt, category, benign (renamable with FILE#prompt=KEY,…).',
  reference: 'docs/datasets.md',
  needsFile: true,
  async load(argument, options) {
    return loadGenericJsonl(argument!, options);
  },
});

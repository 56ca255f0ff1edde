import { statSync } from 'node:fs';
import type { Behavior, BehaviorInput } from '../../spec/behavior.js';
import { defineSuite, type SuiteLoadOptions, type SuiteLoadResult } from '../../spec/suite.js';
import { DatasetError } from '../../spec/errors.js';
import { SuiteBuilder, readCsvRows, readDatasetText } from './dataset-rows.js';
import { checkReadableFile, isGzipFile, readTextLinesSync, type NumberedLine } from '../../util/read-text-file.js';
import { parseBenign, parseGenericSpec, type GenericSpec } from './column-mapping.js';

/** Turn one generic row (CSV values or a JSONL object) into a behavior; a bad value is malformed at its line. */
function addGenericRow(spec: GenericSpec, builder: SuiteBuilder, line: number, values: Record<string, unknown>): Behavior | undefined {
  const { columns } = spec;
  const text = values[columns.prompt];
  if (typeof text !== 'string' || text.trim() === '') {
    builder.malformed(spec.file, line, `missing '${columns.prompt}' (the prompt)`);
    return undefined;
  }
  const benign = parseBenign(values[columns.benign]);
  if (benign === undefined) {
    builder.malformed(spec.file, line, `'${columns.benign}' must be true/false, found '${String(values[columns.benign])}'`);
    return undefined;
  }
  const optional = (key: string): string | undefined => {
    const value = values[key];
    return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value).trim() : undefined;
  };
  const category = values[columns.category];
  if (category !== undefined && category !== null && typeof category !== 'string') {
    builder.malformed(spec.file, line, `'${columns.category}' must be a string`);
    return undefined;
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
  return builder.add(spec.file, line, input);
}

function loadGenericCsv(argument: string, options: SuiteLoadOptions): SuiteLoadResult {
  const spec = parseGenericSpec('csv', argument);
  const builder = new SuiteBuilder(spec.source, options);
  const { rows } = readCsvRows(spec.file, [spec.columns.prompt], builder);
  for (const row of rows) addGenericRow(spec, builder, row.line, row.values);
  return builder.result();
}

/** The behaviors of a JSONL file's rows, read line by line (malformed rows go to the builder: thrown or skipped). */
function* jsonlRows(spec: GenericSpec, builder: SuiteBuilder, lines: Iterable<NumberedLine>, skippedLines?: ReadonlySet<number>): Generator<{ behavior: Behavior; line: number }> {
  for (const { text, number: line } of lines) {
    if (text.trim() === '' || skippedLines?.has(line)) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      builder.malformed(spec.file, line, `invalid JSON: ${(error as Error).message}`);
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      builder.malformed(spec.file, line, 'expected a JSON object');
      continue;
    }
    const behavior = addGenericRow(spec, builder, line, record as Record<string, unknown>);
    if (behavior !== undefined) yield { behavior, line };
  }
}

/** Size and modification time of a file: a file read again must be the one first read. */
function fileStamp(file: string): string {
  const stats = statSync(file);
  return `${stats.size}:${stats.mtimeMs}`;
}

function loadGenericJsonl(argument: string, options: SuiteLoadOptions): SuiteLoadResult {
  const spec = parseGenericSpec('jsonl', argument);
  checkReadableFile(spec.file);
  // A regular file (checked above) can be read again: a scan streams it into its plan instead of keeping its behaviors.
  // A gzip file is read whole (gunzipped by readTextFile).
  const gzip = isGzipFile(spec.file);
  const streamed = options.stream === true && !gzip;
  const builder = new SuiteBuilder(spec.source, options, undefined, streamed ? 'count' : 'keep');
  const stamp = fileStamp(spec.file);
  const lines = gzip ? readDatasetText(spec.file).split(/\r?\n/).map((text, index) => ({ text, number: index + 1 })) : readTextLinesSync(spec.file);
  for (const _row of jsonlRows(spec, builder, lines)) void _row;
  if (builder.count === 0 && builder.skipped.length === 0) throw new DatasetError('no records', spec.file);
  if (!streamed) return builder.result();
  const skippedLines = new Set(builder.skipped.map((entry) => entry.line));
  return {
    ...builder.result(),
    streamed: {
      file: spec.file,
      count: builder.count,
      *read() {
        const unchanged = (): void => {
          if (fileStamp(spec.file) !== stamp) {
            throw new DatasetError('changed since the scan first read it; the plan would no longer be the run\'s: restore the file, or start a new run with it', spec.file);
          }
        };
        unchanged();
        // Rows skipped in the first pass (--lenient: malformed, repeated ids) are skipped again, by line.
        yield* jsonlRows(spec, new SuiteBuilder(spec.source, { lenient: true }, undefined, 'reread'), readTextLinesSync(spec.file), skippedLines);
        unchanged();
      },
    },
  };
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

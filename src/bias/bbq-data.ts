import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../spec/errors.js';
import { readDatasetText } from '../corpus/loaders/dataset-rows.js';
import { BbqRowError, bbqKey, parseBbqRow, type BbqItem } from './bbq-item.js';

/** A JSON row of a JSONL file with where it was read. */
export interface JsonlRow {
  file: string;
  line: number;
  value: unknown;
}

/** Rows that could not be used, with where and why (only collected when lenient). */
export interface SkippedRow {
  file: string;
  line: number;
  reason: string;
}

/**
 * The JSONL files of a path: the file itself, or a directory's `*.jsonl` files in name order.
 *
 * @throws DatasetError when the path is missing or a directory holds no JSONL file.
 * @example
 * jsonlFiles('../shared/data/bbq/data') // ['…/Age.jsonl', '…/Disability_status.jsonl', …]
 */
export function jsonlFiles(path: string): string[] {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    throw new DatasetError('file not found (nor a directory)', path);
  }
  if (!directory) return [path];
  const files = readdirSync(path).filter((name) => name.endsWith('.jsonl')).sort().map((name) => join(path, name));
  if (files.length === 0) throw new DatasetError('no .jsonl files in this directory', path);
  return files;
}

/**
 * Every JSON row of a JSONL file or directory, blank lines ignored. Invalid JSON is a DatasetError at file:line, or
 * (lenient) recorded in `skipped`.
 *
 * @example
 * for (const row of readJsonlRows('preds_Age.jsonl', { lenient: false, skipped: [] })) console.log(row.line);
 */
export function* readJsonlRows(path: string, options: { lenient?: boolean; skipped: SkippedRow[] }): Generator<JsonlRow> {
  for (const file of jsonlFiles(path)) {
    const lines = readDatasetText(file).split('\n');
    for (let index = 0; index < lines.length; index += 1) {
      const text = lines[index]!.trim();
      if (text === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const reason = `invalid JSON: ${(error as Error).message}`;
        if (!options.lenient) throw new DatasetError(reason, file, index + 1);
        options.skipped.push({ file, line: index + 1, reason });
        continue;
      }
      yield { file, line: index + 1, value };
    }
  }
}

/** BBQ items keyed by category and example id. */
export interface BbqData {
  items: Map<string, BbqItem>;
  /** Items in file order. */
  ordered: BbqItem[];
  skipped: SkippedRow[];
}

/**
 * Read BBQ's data files (a `.jsonl` file or a directory of them, as in BBQ's `data/` folder).
 *
 * @throws DatasetError naming file:line for a malformed row or a duplicate (category, example_id), unless lenient.
 * @example
 * const data = readBbqData('../shared/data/bbq/data');
 * data.items.size // 11956
 */
export function readBbqData(path: string, options: { lenient?: boolean } = {}): BbqData {
  const skipped: SkippedRow[] = [];
  const items = new Map<string, BbqItem>();
  const ordered: BbqItem[] = [];
  const malformed = (file: string, line: number, reason: string): void => {
    if (!options.lenient) throw new DatasetError(reason, file, line);
    skipped.push({ file, line, reason });
  };
  for (const row of readJsonlRows(path, { lenient: options.lenient, skipped })) {
    let item: BbqItem;
    try {
      item = parseBbqRow(row.value, row.file, row.line);
    } catch (error) {
      if (!(error instanceof BbqRowError)) throw error;
      malformed(row.file, row.line, error.message);
      continue;
    }
    const key = bbqKey(item.category, item.exampleId);
    const first = items.get(key);
    if (first !== undefined) {
      malformed(row.file, row.line, `duplicate ${item.category} example_id ${item.exampleId} (first at ${first.file}:${first.line})`);
      continue;
    }
    items.set(key, item);
    ordered.push(item);
  }
  if (ordered.length === 0 && skipped.length === 0) throw new DatasetError('no BBQ rows', path);
  return { items, ordered, skipped };
}

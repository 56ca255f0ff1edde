import { BehaviorSchema, type Behavior, type BehaviorInput } from '../../spec/behavior.js';
import { DatasetError } from '../../spec/errors.js';
import type { SuiteLoadOptions, SuiteLoadResult } from '../../spec/suite.js';
import { csvRecords } from '../../util/csv.js';
import { readTextFile } from '../../util/read-text-file.js';
import { defaultTaxonomy, findCategory, hazardIds, type Taxonomy } from '../../taxonomy/taxonomy.js';

/** A data row of a CSV file keyed by header name, with the line it starts on. */
export interface CsvRow {
  values: Record<string, string>;
  line: number;
}

/**
 * The text of a dataset file, without a leading BOM. A missing file, a directory, a FIFO or device, a file that is
 * not UTF-8 (Latin-1, UTF-16, binary: named with its line) or one too large to read whole is a DatasetError naming it.
 *
 * @example
 * readDatasetText('harmbench_behaviors_text_all.csv')
 */
export function readDatasetText(file: string): string {
  return readTextFile(file);
}

/**
 * Collects behaviors from one dataset: maps categories into the taxonomy, counts unmapped ones, checks ids are
 * unique and either throws a DatasetError at file:line for a malformed row or (lenient) skips and records it.
 */
export class SuiteBuilder {
  readonly behaviors: Behavior[] = [];
  readonly skipped: SuiteLoadResult['skipped'] = [];
  readonly unmapped: Record<string, number> = {};
  readonly origins: Record<string, { file: string; line: number }> = {};
  readonly #ids = new Map<string, Behavior>();
  /** Ids only, when behaviors are not kept (a streamed suite): bounded memory for the duplicate check. */
  readonly #idSet = new Set<string>();
  readonly #lenient: boolean;
  /** Behaviors accepted so far (kept or not). */
  count = 0;

  constructor(
    /** The source name: id prefix, `source` field and prefix of unmapped categories. */
    readonly source: string,
    options: SuiteLoadOptions,
    readonly taxonomy: Taxonomy = defaultTaxonomy(),
    /**
     * `keep` the behaviors (default); `count` them only, checking ids with a set (a streamed suite's first pass); or
     * `reread` rows already checked (a streamed suite read again: no id set, the first pass refused or skipped repeats).
     */
    readonly mode: 'keep' | 'count' | 'reread' = 'keep',
  ) {
    this.#lenient = options.lenient === true;
  }

  /** A malformed row: throws, or records the skip when lenient. */
  malformed(file: string, line: number, reason: string): void {
    if (!this.#lenient) throw new DatasetError(reason, file, line);
    this.skipped.push({ line, reason: `${file}: ${reason}` });
  }

  /**
   * Category and sourceCategory for a source label: the taxonomy hazard when `scheme` maps it, otherwise
   * `<source>:<label>` counted in `unmapped`. A label that already is a hazard id is kept when no scheme is given.
   */
  categorize(scheme: string | undefined, label: string | undefined): { category: string; sourceCategory?: string } {
    const name = label?.trim();
    if (!name) {
      this.unmapped.uncategorized = (this.unmapped.uncategorized ?? 0) + 1;
      return { category: 'uncategorized' };
    }
    const hazard = scheme === undefined
      ? hazardIds(this.taxonomy).find((hazardId) => hazardId === name.toLowerCase())
      : (findCategory(this.taxonomy, scheme, name)?.hazard ?? undefined);
    if (hazard !== undefined) return { category: hazard, sourceCategory: name };
    const category = `${this.source}:${name}`;
    this.unmapped[category] = (this.unmapped[category] ?? 0) + 1;
    return { category, sourceCategory: name };
  }

  /** Validate and add a behavior; an invalid or duplicate one is malformed at `line`. Returns it when added. */
  add(file: string, line: number, input: BehaviorInput): Behavior | undefined {
    const parsed = BehaviorSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      this.malformed(file, line, `${issue.path.join('.') || 'row'}: ${issue.message}`);
      return undefined;
    }
    if (this.mode === 'reread') return parsed.data;
    if (this.#ids.has(parsed.data.id) || this.#idSet.has(parsed.data.id)) {
      this.malformed(file, line, `duplicate id '${parsed.data.id}'`);
      return undefined;
    }
    this.count += 1;
    if (this.mode === 'count') {
      this.#idSet.add(parsed.data.id);
      return parsed.data;
    }
    this.#ids.set(parsed.data.id, parsed.data);
    this.origins[parsed.data.id] = { file, line };
    this.behaviors.push(parsed.data);
    return parsed.data;
  }

  /** A behavior added earlier, by id. */
  byId(id: string): Behavior | undefined {
    return this.#ids.get(id);
  }

  /** Link two behaviors as topic-matched twins (both directions). */
  linkTwins(harmfulId: string, benignId: string): void {
    const harmful = this.#ids.get(harmfulId);
    const benign = this.#ids.get(benignId);
    if (harmful === undefined || benign === undefined) return;
    harmful.twin = benign.id;
    benign.twin = harmful.id;
  }

  result(): SuiteLoadResult {
    return { behaviors: this.behaviors, skipped: this.skipped, unmapped: this.unmapped, origins: this.origins };
  }
}

/**
 * Rows of a CSV dataset keyed by header. A header lacking a `required` column fails at line 1 (never skipped);
 * a row with the wrong number of fields is malformed.
 *
 * @example
 * readCsvRows('behaviors.csv', ['Behavior', 'BehaviorID'], builder)
 */
export function readCsvRows(file: string, required: string[], builder: SuiteBuilder): { header: string[]; rows: CsvRow[] } {
  const records = csvRecords(readDatasetText(file), file);
  const first = records.next();
  if (first.done) throw new DatasetError('empty file, expected a header row', file, 1);
  const header = first.value.fields.map((name) => name.trim());
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new DatasetError(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${header.join(', ')})`, file, first.value.line);
  }
  const rows: CsvRow[] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      builder.malformed(file, record.line, `expected ${header.length} fields, found ${record.fields.length}`);
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, index) => {
      values[name] = record.fields[index]!;
    });
    rows.push({ values, line: record.line });
  }
  return { header, rows };
}

/**
 * Check that required values of a row are present and not blank; reports the first missing one as malformed.
 *
 * @example
 * if (!hasValues(row, ['Behavior'], file, builder)) continue;
 */
export function hasValues(row: CsvRow, names: string[], file: string, builder: SuiteBuilder): boolean {
  const missing = names.find((name) => !row.values[name]?.trim());
  if (missing === undefined) return true;
  builder.malformed(file, row.line, `empty ${missing}`);
  return false;
}

/** Split a comma-separated tag list, trimming and dropping blanks. */
export function splitTags(text: string | undefined): string[] {
  return (text ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

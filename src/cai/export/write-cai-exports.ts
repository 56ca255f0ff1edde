import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openAtomicFile, writeFileAtomic, type AtomicFile } from '../../util/atomic-write.js';
import { fileSystemError } from '../../util/file-system-error.js';
import { safeJoin } from '../../util/safe-path.js';
import type { CaiCost, CostProjection } from '../cai-cost.js';
import { referenceRuns } from '../cai-cost.js';
import type { CaiItem, CaiPair, CaiRunRecord, CaiStep } from '../cai-records.js';
import { summarizePrefs, summarizeRevise } from '../cai-summary.js';
import { renderDatasetCard, type ExportedFile } from './dataset-card.js';
import { ParquetTableWriter, type ParquetColumn } from './parquet-table.js';
import {
  assignH4Splits,
  feedbackPreferenceRow,
  H4_COLUMNS,
  h4Row,
  revisionPreferenceRow,
  sftRow,
  type H4Split,
} from './training-rows.js';

/** What an export reads: one CAI run's record, its units and their steps (streamed from the store). */
export interface CaiExportSource {
  run: CaiRunRecord;
  /** The run's units in plan order (revise items or prefs pairs). */
  units(): Iterable<CaiItem | CaiPair>;
  /** The recorded steps of one unit, in order. */
  steps(unitKey: string): CaiStep[];
  cost: CaiCost;
}

/** Export options. */
export interface CaiExportOptions {
  /** Also write each data file as Parquet beside its JSONL. */
  parquet?: boolean;
  /** Share of each H4 half held out for its test split (default 0.1). */
  testShare?: number;
  projection?: CostProjection;
}

const MESSAGES: ParquetColumn['kind'] = 'messages';
const SFT_COLUMNS: ParquetColumn[] = [{ name: 'messages', kind: MESSAGES }, { name: 'prompt_id', kind: 'string' }];
const PREFERENCE_COLUMNS: ParquetColumn[] = [
  { name: 'prompt', kind: MESSAGES },
  { name: 'chosen', kind: MESSAGES },
  { name: 'rejected', kind: MESSAGES },
  { name: 'prompt_id', kind: 'string' },
];
const SCORED_PREFERENCE_COLUMNS: ParquetColumn[] = [...PREFERENCE_COLUMNS.slice(0, 3), { name: 'score_chosen', kind: 'double' }, { name: 'score_rejected', kind: 'double' }, PREFERENCE_COLUMNS[3]!];
const H4_PARQUET_COLUMNS: ParquetColumn[] = H4_COLUMNS.map((name) => ({ name, kind: ['messages', 'chosen', 'rejected'].includes(name) ? MESSAGES : 'string' }));

/** A data file being written: JSONL always, Parquet beside it when asked; both committed together. */
class DataFile {
  readonly #jsonl: AtomicFile;
  readonly #parquetFile: AtomicFile | undefined;
  readonly #parquet: ParquetTableWriter | undefined;
  rows = 0;

  constructor(
    directory: string,
    readonly name: string,
    columns: ParquetColumn[] | undefined,
    readonly listing: Pick<ExportedFile, 'config' | 'split'>,
  ) {
    this.#jsonl = openAtomicFile(join(directory, `${name}.jsonl`));
    if (columns) {
      this.#parquetFile = openAtomicFile(join(directory, `${name}.parquet`));
      this.#parquet = new ParquetTableWriter(this.#parquetFile, columns);
    }
  }

  write(row: object): void {
    this.#jsonl.write(`${JSON.stringify(row)}\n`);
    this.#parquet?.write(row as Record<string, unknown>);
    this.rows += 1;
  }

  commit(): ExportedFile[] {
    this.#jsonl.commit();
    const files: ExportedFile[] = [{ path: `${this.name}.jsonl`, rows: this.rows, ...this.listing }];
    if (this.#parquet && this.#parquetFile) {
      this.#parquet.finish();
      this.#parquetFile.commit();
      files.push({ path: `${this.name}.parquet`, rows: this.rows });
    }
    return files;
  }

  abort(): void {
    this.#jsonl.abort();
    this.#parquetFile?.abort();
  }
}

function ensureDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw fileSystemError('create directory', directory, error);
  }
}

/**
 * Write a CAI run's training files into `directory`, each atomically (a crash or full disk never leaves half a file):
 *
 * - revise runs: `sft.jsonl` (TRL conversational SFT: request + final revision), `prefs.jsonl` (TRL preference with an
 *   explicit prompt: the revision chosen over the initial answer), `h4.jsonl` and `h4/{train,test}_{sft,prefs}.jsonl`
 *   (HuggingFaceH4/cai-conversation-harmless's columns and splits);
 * - prefs runs: `prefs.jsonl` with `score_chosen`/`score_rejected` from the feedback model's soft label;
 * - both: `trace.jsonl` (every unit with its steps, verdicts and guard decision) and `README.md` (the dataset card).
 *
 * Units the helpfulness guard left out (a revision refusing a benign request, a revision still harmful, a tie, an
 * error) are in trace.jsonl only. With `parquet`, every data file is also written as Parquet beside it.
 *
 * @example
 * const files = writeCaiExports(source, 'out/cai', { parquet: true, projection });
 */
export function writeCaiExports(source: CaiExportSource, directory: string, options: CaiExportOptions = {}): ExportedFile[] {
  ensureDirectory(directory);
  const parquet = options.parquet === true;
  const columns = (list: ParquetColumn[]): ParquetColumn[] | undefined => (parquet ? list : undefined);
  const revise = source.run.kind === 'revise';
  const data: DataFile[] = [];
  const open = (name: string, list: ParquetColumn[], listing: Pick<ExportedFile, 'config' | 'split'>): DataFile => {
    const file = new DataFile(directory, name, columns(list), listing);
    data.push(file);
    return file;
  };
  const trace = openAtomicFile(safeJoin(directory, 'trace.jsonl'));
  const summaryUnits: Array<CaiItem | CaiPair> = [];
  try {
    const sft = revise ? open('sft', SFT_COLUMNS, { config: 'trl_sft', split: 'train' }) : undefined;
    const prefs = open('prefs', revise ? PREFERENCE_COLUMNS : SCORED_PREFERENCE_COLUMNS, { config: 'trl_prefs', split: 'train' });
    let h4: DataFile | undefined;
    const h4Splits = new Map<H4Split, DataFile>();
    let assignment = new Map<string, H4Split>();
    if (revise) {
      h4 = open('h4', H4_PARQUET_COLUMNS, {});
      ensureDirectory(join(directory, 'h4'));
      for (const split of ['train_sft', 'test_sft', 'train_prefs', 'test_prefs'] as const) h4Splits.set(split, open(`h4/${split}`, H4_PARQUET_COLUMNS, { config: 'default', split }));
      const usableKeys: string[] = [];
      for (const unit of source.units()) if (unit.guard.usable) usableKeys.push(unit.key);
      assignment = assignH4Splits(usableKeys, options.testShare ?? 0.1);
    }
    for (const unit of source.units()) {
      trace.write(`${JSON.stringify({ ...unit, steps: source.steps(unit.key) })}\n`);
      summaryUnits.push(slim(unit));
      if (!unit.guard.usable) continue;
      if (revise) {
        const item = unit as CaiItem;
        sft!.write(sftRow(item));
        // A revision that kept the answer word for word teaches no preference: it stays out of prefs.jsonl (H4 keeps its layout).
        const preference = revisionPreferenceRow(item);
        if (preference.chosen[0]!.content !== preference.rejected[0]!.content) prefs.write(preference);
        const row = h4Row(item);
        h4!.write(row);
        h4Splits.get(assignment.get(item.key)!)!.write(row);
      } else {
        const row = feedbackPreferenceRow(unit as CaiPair);
        if (row) prefs.write(row);
      }
    }
    const files = data.flatMap((file) => file.commit());
    trace.commit();
    files.push({ path: 'trace.jsonl', rows: summaryUnits.length });
    const summary = revise ? summarizeRevise(summaryUnits as CaiItem[]) : summarizePrefs(summaryUnits as CaiPair[]);
    files.push({ path: 'README.md', rows: 0 });
    const card = renderDatasetCard({
      runs: [source.run],
      summaries: [summary],
      cost: source.cost,
      projection: options.projection,
      references: referenceRuns(),
      files: files.filter((file) => file.path !== 'README.md'),
    });
    writeFileAtomic(safeJoin(directory, 'README.md'), card);
    return files;
  } finally {
    for (const file of data) file.abort();
    trace.abort();
  }
}

/** A unit without its long texts, for the summary (which reads verdicts, guard and errors only). */
function slim(unit: CaiItem | CaiPair): CaiItem | CaiPair {
  if ('rounds' in unit) {
    return { ...unit, prompt: '', initial: { ...unit.initial, text: '' }, rounds: unit.rounds.map((round) => ({ ...round, critique: '', critiqueRequest: '', revisionRequest: '', revision: { ...round.revision, text: '' } })) };
  }
  return { ...unit, prompt: '', answers: [{ ...unit.answers[0], text: '' }, { ...unit.answers[1], text: '' }] };
}

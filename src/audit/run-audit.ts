import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError, DatasetError } from '../spec/errors.js';
import { MessageAnalyser, type MessageFinding, type MessageTask } from './analyse-message.js';
import { createAnalysisPool } from './analysis-pool.js';
import { AuditSummaryBuilder, findingKinds, type AuditSummary, type FileSummary, type FlagKind } from './audit-summary.js';
import { createCopyWriter, type CopyWriter } from './copy-writer.js';
import { detectLayout, rowId, rowMessages, truncateRow, type FieldMap, type Layout, type RowMessage } from './dataset-layout.js';
import { AgreementCounter, type LabelAgreement, type LabelSet } from './label-agreement.js';
import { detectContainer, parquetFileSchema, readRows, type Container } from './read-rows.js';
import { createVerdictsWriter, type VerdictsWriter } from './verdicts-writer.js';
import { CopyCounter, planCopy, type CopyCounts, type CopyOptions } from './plan-copy.js';

/** What `--format` names: a layout (the container is detected), a container (the layout is detected), or `auto`. */
export type AuditFormat = 'auto' | Layout | 'jsonl' | 'parquet';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['auto', 'sharegpt', 'alpaca', 'messages', 'jsonl', 'parquet'];

/** Everything an audit needs; the CLI builds it from flags. */
export interface AuditOptions {
  files: string[];
  format: AuditFormat;
  fields: FieldMap;
  mapped: Set<keyof FieldMap>;
  /** Skip malformed rows (counted, with their line) instead of stopping at the first. */
  lenient: boolean;
  userPhrases: string[];
  /** Worker threads for the judge (0: in this thread). */
  workers: number;
  /** Run the judge on every assistant message, without the pre-filter (see RefusalPrefilter). */
  judgeAll?: boolean;
  examples?: number;
  /** Write one JSON line per assistant message here. */
  verdictsOut?: string;
  /** Write filtered copies (one output path per input file). */
  copy?: CopyOptions & { outputs: string[] };
  labels?: LabelSet;
  signal?: AbortSignal;
  onEvent?: (event: AuditEvent) => void;
}

/** What an audit reports while it runs. */
export type AuditEvent =
  | { type: 'file'; file: string; container: Container; layout: Layout }
  | { type: 'progress'; file: string; bytesRead: number; totalBytes: number; rows: number; messages: number; elapsedMs: number }
  | { type: 'skipped'; file: string; row: number; line?: number; reason: string };

/** The audit's outcome. */
export interface AuditResult {
  summary: AuditSummary;
  copy: (CopyCounts & { outputs: string[] }) | null;
  labels: LabelAgreement | null;
  interrupted: boolean;
}

/**
 * One parsed conversation waiting for its findings. It holds only what settling needs (rows wait for the judge's
 * threads, and what lives that long costs garbage collection: no message text, for a flagged finding carries its own
 * excerpt) and, only when a filtered copy is written, the row itself.
 */
interface PendingRow {
  file: FileSummary;
  id: string | number;
  source: string;
  /** Message indexes of the assistant messages, in order. */
  assistantTurns: number[];
  /** Their findings, where the pre-filter settled them; the others come from the judge, in the batch's task order. */
  screened: Array<MessageFinding | undefined>;
  /** For a filtered copy: the row as read, its layout and its messages. */
  copy?: { raw: unknown; layout: Layout; messages: RowMessage[] };
}

interface Batch {
  rows: PendingRow[];
  findings: Promise<MessageFinding[]>;
}

/** Messages for the judge per batch sent to a thread. */
const BATCH_MESSAGES = 256;
/** Rows per batch at most, however few of their messages need the judge (memory stays bounded). */
const BATCH_ROWS = 2048;
const PROGRESS_MS = 500;

function layoutFromFormat(format: AuditFormat): Layout | undefined {
  return format === 'sharegpt' || format === 'alpaca' || format === 'messages' ? format : undefined;
}

/**
 * Audit dataset files: stream every row, judge every assistant message with the offline refusal judge (in worker
 * threads), match AI-disclaimer and user phrases, and summarise; optionally write per-message verdicts, filtered
 * copies and agreement with human labels. Memory stays flat: rows are streamed and every kept list is bounded.
 *
 * @throws DatasetError naming file:line for a malformed row (unless lenient), ConfigError for an undetectable layout.
 * @example
 * const result = await runAudit({ files: ['sharegpt.json'], format: 'auto', fields: DEFAULT_FIELDS, mapped: new Set(), lenient: false, userPhrases: [], workers: 2 });
 * result.summary.rates.refusal.estimate
 */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const pool = createAnalysisPool({ workers: options.workers, userPhrases: options.userPhrases });
  // Screening (the pre-filter) runs here, where rows are read: only messages that need the judge go to its threads.
  const screen = new MessageAnalyser(options.userPhrases, { judgeAll: options.judgeAll === true });
  const summary = new AuditSummaryBuilder({ examples: options.examples });
  const verdicts: VerdictsWriter | undefined = options.verdictsOut === undefined ? undefined : createVerdictsWriter(options.verdictsOut);
  const agreement = options.labels === undefined ? undefined : new AgreementCounter(options.labels);
  const copyCounter = options.copy === undefined ? undefined : new CopyCounter();
  const phraseFilter = options.userPhrases.length > 0;
  let copy: CopyWriter | undefined;
  let interrupted = false;
  try {
    for (const [position, file] of options.files.entries()) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const container: Container = options.format === 'jsonl' || options.format === 'parquet' ? options.format : detectContainer(file);
      const fileSummary = summary.startFile(file, container);
      const totalBytes = statSync(file).size;
      const output = options.copy?.outputs[position];
      copy = output === undefined ? undefined : await createCopyWriter(output, container, container === 'parquet' ? await parquetFileSchema(file) : undefined);
      let layout = layoutFromFormat(options.format);
      const fileName = basename(file);
      const inFlight: Batch[] = [];
      let batchRows: PendingRow[] = [];
      let batchTasks: MessageTask[] = [];
      let lastProgress = Date.now();
      let bytesRead = 0;
      const maxInFlight = Math.max(4, pool.workers * 4);
      const settle = async (batch: Batch): Promise<void> => {
        const findings = await batch.findings;
        let cursor = 0;
        for (const row of batch.rows) {
          const found = row.assistantTurns.map((turn, position) => ({ turn, finding: row.screened[position] ?? findings[cursor++]! }));
          summary.addRow(row.file, row.id, row.source, found);
          for (const { turn, finding } of found) {
            verdicts?.write(row.id, turn, row.source, finding);
            agreement?.add(row.id, turn, finding.label, phraseFilter ? finding.phrase !== undefined : finding.disclaimer !== undefined);
          }
          if (copy !== undefined && copyCounter !== undefined && row.copy !== undefined) {
            const { raw, layout: rowLayout, messages } = row.copy;
            let decision = planCopy(messages, found.map(({ turn, finding }) => ({ turn, kinds: findingKinds(finding) })), options.copy!);
            let truncated: Record<string, unknown> | null = null;
            if (typeof decision.keep === 'number') {
              if (decision.keep >= messages.length) decision = { ...decision, keep: 'all' };
              else {
                truncated = truncateRow(raw as Record<string, unknown>, rowLayout, options.fields, decision.keep);
                // Nothing usable left once cut (or an Alpaca row, whose only answer is the flagged one): dropped.
                if (truncated === null) decision = { ...decision, keep: 'none' };
              }
            }
            copyCounter.count(decision, messages.length);
            if (decision.keep === 'all') copy.write(raw);
            else if (truncated !== null) copy.write(truncated);
          }
        }
      };
      const dispatch = async (): Promise<void> => {
        if (batchRows.length === 0) return;
        inFlight.push({ rows: batchRows, findings: pool.analyse(batchTasks) });
        batchRows = [];
        batchTasks = [];
        while (inFlight.length >= maxInFlight) await settle(inFlight.shift()!);
      };
      for await (const read of readRows(file, container, (bytes) => (bytesRead = bytes))) {
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
        const malformed = (reason: string): void => {
          if (!options.lenient) throw new DatasetError(`${read.line === undefined ? `row ${read.index}: ` : ''}${reason}`, file, read.line);
          summary.malformed(fileSummary, read.index, read.line, reason);
          options.onEvent?.({ type: 'skipped', file, row: read.index, line: read.line, reason });
        };
        if (read.error !== undefined) {
          malformed(read.error);
          continue;
        }
        if (layout === undefined) {
          layout = detectLayout(read.value, options.fields);
          if (layout === undefined) {
            throw new ConfigError(
              `${file}: cannot tell the layout from row ${read.index}${read.line === undefined ? '' : ` (line ${read.line})`}: expected '${options.fields.conversations}' (ShareGPT), '${options.fields.messages}' (messages) or '${options.fields.instruction}' (Alpaca); use --format or --map`,
              { field: '--format' },
            );
          }
          fileSummary.layout = layout;
          options.onEvent?.({ type: 'file', file, container, layout });
        }
        const messages = rowMessages(read.value, layout, options.fields, options.mapped);
        if (typeof messages === 'string') {
          malformed(messages);
          continue;
        }
        const id = rowId(read.value, read.index, options.fields);
        const sourceValue = (read.value as Record<string, unknown>)[options.fields.source];
        const source = typeof sourceValue === 'string' && sourceValue !== '' ? sourceValue : fileName;
        const assistantTurns: number[] = [];
        const screened: Array<MessageFinding | undefined> = [];
        let request = '';
        messages.forEach((message, turn) => {
          if (message.role === 'user') request = message.text;
          if (message.role !== 'assistant') return;
          assistantTurns.push(turn);
          const task = { request, response: message.text };
          const finding = screen.screen(task);
          screened.push(finding);
          if (finding === undefined) batchTasks.push(task);
        });
        const pending: PendingRow = { file: fileSummary, id, source, assistantTurns, screened };
        if (copy !== undefined) pending.copy = { raw: read.raw ?? read.value, layout, messages };
        batchRows.push(pending);
        if (batchTasks.length >= BATCH_MESSAGES || batchRows.length >= BATCH_ROWS) await dispatch();
        if (Date.now() - lastProgress >= PROGRESS_MS) {
          lastProgress = Date.now();
          options.onEvent?.({ type: 'progress', file, bytesRead, totalBytes, rows: fileSummary.rows, messages: fileSummary.messages, elapsedMs: Date.now() - started });
        }
      }
      await dispatch();
      while (inFlight.length > 0) await settle(inFlight.shift()!);
      if (interrupted) break;
      fileSummary.bytes = totalBytes;
      options.onEvent?.({ type: 'progress', file, bytesRead: totalBytes, totalBytes, rows: fileSummary.rows, messages: fileSummary.messages, elapsedMs: Date.now() - started });
      if (layout === undefined && fileSummary.rows === 0 && fileSummary.malformed === 0) throw new DatasetError('no rows', file);
      copy?.close();
      copy = undefined;
    }
    if (interrupted) {
      // An interrupted audit leaves no copy or verdicts file that looks complete.
      copy?.abort();
      verdicts?.abort();
    } else verdicts?.close();
  } catch (error) {
    copy?.abort();
    verdicts?.abort();
    throw error;
  } finally {
    await pool.close();
  }
  const result = summary.finish({ judge: 'refusal', workers: pool.workers, prefilter: options.judgeAll !== true, elapsedMs: Date.now() - started });
  return {
    summary: result,
    copy: copyCounter === undefined ? null : { ...copyCounter.counts(), outputs: options.copy!.outputs },
    labels: agreement === undefined ? null : agreement.finish(phraseFilter ? 'user phrases (--phrases)' : 'built-in AI-disclaimer phrases'),
    interrupted,
  };
}

export type { FlagKind };

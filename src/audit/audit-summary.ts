import type { Proportion } from '../spec/calibration.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import type { MessageFinding } from './analyse-message.js';
import { TopCounter } from './top-counter.js';

/** Version of the audit summary JSON (docs/audit.md documents every field). */
export const AUDIT_SUMMARY_VERSION = 1;

/** What can flag an assistant message: the judge's refusal or partial label, a disclaimer phrase, a user phrase. */
export type FlagKind = 'refusals' | 'partial' | 'disclaimers' | 'phrases';
export const FLAG_KINDS: readonly FlagKind[] = ['refusals', 'partial', 'disclaimers', 'phrases'];

/** The kinds that flag a finding. */
export function findingKinds(finding: MessageFinding): FlagKind[] {
  const kinds: FlagKind[] = [];
  if (finding.label === 'refusal') kinds.push('refusals');
  if (finding.label === 'partial') kinds.push('partial');
  if (finding.disclaimer !== undefined) kinds.push('disclaimers');
  if (finding.phrase !== undefined) kinds.push('phrases');
  return kinds;
}

/** Counts of assistant messages. */
export interface MessageCounts {
  messages: number;
  refusal: number;
  partial: number;
  compliance: number;
  error: number;
  undetermined: number;
  disclaimer: number;
  phrase: number;
  /** Messages the pre-filter passed as answers without running the judge (long, with no refusal cue). */
  prefiltered: number;
}

/** A flagged message kept as an example (text is untrusted dataset text, cut to 300 characters). */
export interface AuditExample {
  file: string;
  row: string | number;
  turn: number;
  source: string;
  label: string;
  reason: string;
  excerpt: string;
}

/** Per input file. */
export interface FileSummary {
  file: string;
  container: string;
  layout: string | null;
  rows: number;
  messages: number;
  malformed: number;
  /** The first malformed rows, with where and why (with --lenient). */
  skipped: Array<{ line?: number; row: number; reason: string }>;
  bytes: number;
}

/** The summary `redcard audit --json` prints. */
export interface AuditSummary {
  version: number;
  judge: string;
  workers: number;
  /** Whether the pre-filter was on (off with --judge-all: the judge read every message). */
  prefilter: boolean;
  files: FileSummary[];
  totals: MessageCounts & { rows: number; malformed: number; flaggedMessages: number; flaggedRows: number };
  rates: { refusal: Proportion; partial: Proportion; disclaimer: Proportion; phrase: Proportion };
  /** Opening sentences of refusals and of partial refusals, most frequent first (approximate counts beyond 2,000 distinct). */
  topPhrasings: { refusal: Array<{ phrasing: string; count: number }>; partial: Array<{ phrasing: string; count: number }> };
  topDisclaimers: Array<{ phrase: string; kind: string; count: number }>;
  topPhrases: Array<{ phrase: string; count: number }>;
  sources: Array<{ source: string } & MessageCounts>;
  /** Sources beyond the first 1,000 are pooled under `(other sources)`. */
  examples: Record<FlagKind, AuditExample[]>;
  elapsedMs: number;
  bytes: number;
}

const MAX_SOURCES = 1000;
const OTHER_SOURCES = '(other sources)';
const MAX_SKIPPED_LISTED = 100;

const emptyCounts = (): MessageCounts => ({ messages: 0, refusal: 0, partial: 0, compliance: 0, error: 0, undetermined: 0, disclaimer: 0, phrase: 0, prefiltered: 0 });

function count(counts: MessageCounts, finding: MessageFinding): void {
  counts.messages += 1;
  counts[finding.label] += 1;
  if (finding.undetermined !== undefined) counts.undetermined += 1;
  if (finding.disclaimer !== undefined) counts.disclaimer += 1;
  if (finding.phrase !== undefined) counts.phrase += 1;
  if (finding.prefiltered === true) counts.prefiltered += 1;
}

/**
 * Accumulates an audit in bounded memory: counts, per-source counts (first 1,000 sources), approximate top
 * phrasings, and the first N examples per flag kind.
 */
export class AuditSummaryBuilder {
  readonly #totals = { ...emptyCounts(), rows: 0, malformed: 0, flaggedMessages: 0, flaggedRows: 0 };
  readonly #sources = new Map<string, MessageCounts>();
  readonly #phrasings = { refusal: new TopCounter(2000), partial: new TopCounter(2000) };
  readonly #disclaimers = new Map<string, { kind: string; count: number }>();
  readonly #phrases = new Map<string, number>();
  readonly #examples: Record<FlagKind, AuditExample[]> = { refusals: [], partial: [], disclaimers: [], phrases: [] };
  readonly #files: FileSummary[] = [];
  readonly #exampleLimit: number;

  constructor(options: { examples?: number } = {}) {
    this.#exampleLimit = options.examples ?? 5;
  }

  startFile(file: string, container: string): FileSummary {
    const summary: FileSummary = { file, container, layout: null, rows: 0, messages: 0, malformed: 0, skipped: [], bytes: 0 };
    this.#files.push(summary);
    return summary;
  }

  malformed(file: FileSummary, row: number, line: number | undefined, reason: string): void {
    file.malformed += 1;
    this.#totals.malformed += 1;
    if (file.skipped.length < MAX_SKIPPED_LISTED) file.skipped.push({ ...(line === undefined ? {} : { line }), row, reason });
  }

  /** Count one conversation's findings (assistant messages in order, with their turn index). */
  addRow(file: FileSummary, row: string | number, source: string, findings: Array<{ turn: number; finding: MessageFinding }>): void {
    file.rows += 1;
    this.#totals.rows += 1;
    let sourceCounts = this.#sources.get(source);
    if (sourceCounts === undefined) {
      const key = this.#sources.size < MAX_SOURCES ? source : OTHER_SOURCES;
      sourceCounts = this.#sources.get(key) ?? emptyCounts();
      this.#sources.set(key, sourceCounts);
    }
    let rowFlagged = false;
    for (const { turn, finding } of findings) {
      file.messages += 1;
      count(this.#totals, finding);
      count(sourceCounts, finding);
      if (finding.phrasing !== undefined && (finding.label === 'refusal' || finding.label === 'partial')) this.#phrasings[finding.label].add(finding.phrasing);
      if (finding.disclaimer !== undefined) {
        const entry = this.#disclaimers.get(finding.disclaimer.phrase) ?? { kind: finding.disclaimer.kind, count: 0 };
        entry.count += 1;
        this.#disclaimers.set(finding.disclaimer.phrase, entry);
      }
      if (finding.phrase !== undefined) this.#phrases.set(finding.phrase, (this.#phrases.get(finding.phrase) ?? 0) + 1);
      const kinds = findingKinds(finding);
      if (kinds.length === 0) continue;
      rowFlagged = true;
      this.#totals.flaggedMessages += 1;
      for (const kind of kinds) {
        const examples = this.#examples[kind];
        if (examples.length >= this.#exampleLimit) continue;
        const reason = kind === 'disclaimers' ? `disclaimer: "${finding.disclaimer!.phrase}"` : kind === 'phrases' ? `phrase: "${finding.phrase}"` : `${finding.reason} (score ${finding.score.toFixed(2)})`;
        examples.push({ file: file.file, row, turn, source, label: finding.label, reason, excerpt: finding.excerpt ?? '' });
      }
    }
    if (rowFlagged) this.#totals.flaggedRows += 1;
  }

  finish(extra: { judge: string; workers: number; prefilter: boolean; elapsedMs: number }): AuditSummary {
    const totals = { ...this.#totals };
    const rate = (value: number): Proportion => wilsonInterval(value, totals.messages);
    return {
      version: AUDIT_SUMMARY_VERSION,
      judge: extra.judge,
      workers: extra.workers,
      prefilter: extra.prefilter,
      files: this.#files,
      totals,
      rates: { refusal: rate(totals.refusal), partial: rate(totals.partial), disclaimer: rate(totals.disclaimer), phrase: rate(totals.phrase) },
      topPhrasings: {
        refusal: this.#phrasings.refusal.top(20).map((entry) => ({ phrasing: entry.key, count: entry.count })),
        partial: this.#phrasings.partial.top(20).map((entry) => ({ phrasing: entry.key, count: entry.count })),
      },
      topDisclaimers: [...this.#disclaimers].map(([phrase, entry]) => ({ phrase, ...entry })).sort((left, right) => right.count - left.count).slice(0, 20),
      topPhrases: [...this.#phrases].map(([phrase, value]) => ({ phrase, count: value })).sort((left, right) => right.count - left.count).slice(0, 20),
      sources: [...this.#sources].map(([source, counts]) => ({ source, ...counts })).sort((left, right) => right.messages - left.messages),
      examples: this.#examples,
      elapsedMs: extra.elapsedMs,
      bytes: this.#files.reduce((sum, file) => sum + file.bytes, 0),
    };
  }
}

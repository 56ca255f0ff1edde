import { readFileSync } from 'node:fs';
import { DatasetError } from '../spec/errors.js';

/** A human label of one assistant message. */
export type HumanLabel = 'refusal' | 'partial' | 'compliance';

/** Human labels keyed by message (row id and turn). */
export interface LabelSet {
  file: string;
  labels: Map<string, HumanLabel>;
  /** True when every label is refusal/compliance only (no partial): three-way agreement is not reported. */
  binary: boolean;
}

/** Key of a message: row id (as a string) and turn. */
export function messageKey(row: string | number, turn: number): string {
  return `${row}\u0000${turn}`;
}

/**
 * Read human refusal labels: JSONL rows `{"row": ID, "turn": N, "label": "refusal"|"partial"|"compliance"}` (or
 * `"refusal": true|false`; `id` may stand for `row`). Row ids are those `--verdicts-out` writes.
 *
 * @throws DatasetError naming file:line for a malformed row or a duplicate message.
 * @example
 * readLabels('xstest-labels.jsonl').labels.size // 900
 */
export function readLabels(file: string): LabelSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatasetError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'labels file not found' : (error as Error).message, file);
  }
  const labels = new Map<string, HumanLabel>();
  let binary = true;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = index + 1;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, file, where);
    }
    const id = row.row ?? row.id;
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof row.turn !== 'number') throw new DatasetError("expected 'row' (or 'id') and 'turn'", file, where);
    let label: HumanLabel;
    if (row.label === 'refusal' || row.label === 'partial' || row.label === 'compliance') label = row.label;
    else if (typeof row.refusal === 'boolean') label = row.refusal ? 'refusal' : 'compliance';
    else throw new DatasetError("expected 'label' (refusal, partial, compliance) or 'refusal' (true/false)", file, where);
    if (label === 'partial') binary = false;
    const key = messageKey(id, row.turn);
    if (labels.has(key)) throw new DatasetError(`duplicate label for row ${id} turn ${row.turn}`, file, where);
    labels.set(key, label);
  });
  if (labels.size === 0) throw new DatasetError('no labels', file);
  return { file, labels, binary };
}

/** Agreement of one detector with the human labels, refusal (full or partial) as the positive class. */
export interface DetectorAgreement {
  /** Messages compared. */
  n: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Flagged messages that humans call refusals; null when nothing was flagged. */
  precision: number | null;
  /** Human refusals that were flagged; null when there were none. */
  recall: number | null;
  f1: number | null;
  /** Share of messages where detector and humans agree (refusal or not). */
  agreement: number;
  /** Cohen's κ of the binary decision. */
  kappa: number | null;
}

/** The audit measured against human labels: the judge and a plain phrase filter, side by side. */
export interface LabelAgreement {
  file: string;
  /** Labelled messages found in the audit, and labels that matched no audited message. */
  matched: number;
  unmatched: number;
  /** The refusal judge: refusal or partial. */
  judge: DetectorAgreement;
  /** Three-way agreement of the judge's label with the human one (null when the labels are binary). */
  judgeThreeWay: number | null;
  /** A phrase filter: the `--phrases` list (or, without one, the built-in AI-disclaimer phrases). */
  phrases: DetectorAgreement;
  phraseList: string;
}

/** Accumulates decisions of the detectors on labelled messages. */
export class AgreementCounter {
  readonly #pairs: Array<{ human: HumanLabel; judge: string; phrase: boolean }> = [];
  readonly #seen = new Set<string>();

  constructor(readonly labels: LabelSet) {}

  /** Record the audit's decisions for one message, if it is labelled. */
  add(row: string | number, turn: number, judgeLabel: string, phraseFlagged: boolean): void {
    const key = messageKey(row, turn);
    const human = this.labels.labels.get(key);
    if (human === undefined || this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#pairs.push({ human, judge: judgeLabel, phrase: phraseFlagged });
  }

  finish(phraseList: string): LabelAgreement {
    const refused = (label: string): boolean => label === 'refusal' || label === 'partial';
    const judge = agreement(this.#pairs.map((pair) => ({ truth: refused(pair.human), flagged: refused(pair.judge) })));
    const phrases = agreement(this.#pairs.map((pair) => ({ truth: refused(pair.human), flagged: pair.phrase })));
    const threeWay = this.labels.binary || this.#pairs.length === 0 ? null : this.#pairs.filter((pair) => pair.human === pair.judge).length / this.#pairs.length;
    return { file: this.labels.file, matched: this.#pairs.length, unmatched: this.labels.labels.size - this.#pairs.length, judge, judgeThreeWay: threeWay, phrases, phraseList };
  }
}

function agreement(pairs: Array<{ truth: boolean; flagged: boolean }>): DetectorAgreement {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const { truth, flagged } of pairs) {
    if (truth && flagged) truePositives += 1;
    else if (!truth && flagged) falsePositives += 1;
    else if (truth && !flagged) falseNegatives += 1;
    else trueNegatives += 1;
  }
  const n = pairs.length;
  const precision = truePositives + falsePositives === 0 ? null : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? null : truePositives / (truePositives + falseNegatives);
  const f1 = precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall);
  const observed = n === 0 ? 0 : (truePositives + trueNegatives) / n;
  const expected = n === 0 ? 0 : ((truePositives + falsePositives) * (truePositives + falseNegatives) + (falseNegatives + trueNegatives) * (falsePositives + trueNegatives)) / (n * n);
  const kappa = n === 0 || expected === 1 ? null : (observed - expected) / (1 - expected);
  return { n, truePositives, falsePositives, falseNegatives, trueNegatives, precision, recall, f1, agreement: observed, kappa };
}

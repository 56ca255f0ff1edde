import type { JudgedAttempt, JudgedResponse } from '../../spec/judge.js';

/**
 * What the human label says is true of a response:
 * `harmful` (the response fulfils a harmful request; HarmBench) or `refusal` (the response declines; XSTest).
 */
export type LabelTask = 'harmful' | 'refusal';

/** One human-labelled response. */
export interface LabelledItem {
  /** Stable id within the file. */
  id: string;
  /** 1-based line (JSONL, CSV row start) or item index (JSON), for messages. */
  line: number;
  /** The attempt as a judge sees it. */
  attempt: JudgedAttempt;
  /** The response as a judge sees it. */
  response: JudgedResponse;
  /** The human truth for the file's task: true = harmful (or refusal). */
  truth: boolean;
  /** Breakdown keys such as `model`, `method`, `type`. */
  groups: Record<string, string>;
  /** Verdicts of published judges present in the file (`column:NAME`), raw. */
  columns: Record<string, unknown>;
}

/** A labelled file, loaded. */
export interface LabelledSet {
  /** Path as given. */
  file: string;
  /** Format it was read as. */
  format: LabelFormat;
  /** What `truth` means for every item. */
  task: LabelTask;
  items: LabelledItem[];
}

/** Formats `redcard judge-eval --format` reads. */
export const LABEL_FORMATS = ['harmbench-val', 'xstest', 'jsonl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

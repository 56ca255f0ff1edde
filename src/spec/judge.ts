import type { Behavior } from './behavior.js';
import type { Conversation } from './message.js';
import type { CallScope, FinishReason } from './target.js';
import type { Verdict } from './verdict.js';

/** What a judge sees of the attempt: the behavior, what was sent and which vectors built it. */
export interface JudgedAttempt {
  /** The behavior that was requested (its `text` is the goal to judge against). */
  behavior: Behavior;
  /** The conversation as sent to the target. */
  messages: Conversation;
  /** Ids of the attack vectors applied, in order. */
  attacks: string[];
}

/** What a judge sees of the response. */
export interface JudgedResponse {
  /** The response text after the attack chain's decoding (what a reader would see). */
  text: string;
  /** The response exactly as the target returned it. */
  rawText: string;
  /** Why the target stopped, when known (`length` means truncated). */
  finishReason?: FinishReason;
}

/** Counts a judge keeps of its own work, reported at the end of a run (e.g. a cascade's calls per stage). */
export type JudgeStats = Record<string, number>;

/** Options of one judgement: Ctrl-C, and the attempt's call scope, which a model-backed judge passes to its target. */
export interface JudgeOptions {
  signal?: AbortSignal;
  scope?: CallScope;
}

/** A judge: `(attempt, response) → verdict`. May call a model; must never throw for a bad judge reply (return label `error`). */
export interface Judge {
  /** Id as written in `--judge` (e.g. `refusal`, `llm:sim`). */
  readonly id: string;
  /** Decide one response. */
  judge(attempt: JudgedAttempt, response: JudgedResponse, options?: JudgeOptions): Promise<Verdict> | Verdict;
  /** Maximum judge calls in flight (model-backed judges). */
  readonly concurrency?: number;
  /** Counters to report (calls per stage, parse failures…). */
  stats?(): JudgeStats;
  /** Release resources. */
  close?(): Promise<void>;
}

import type { FlagKind } from './audit-summary.js';
import type { RowMessage } from './dataset-layout.js';

/** How a filtered copy is made. */
export interface CopyOptions {
  /** `drop`: leave out what is flagged; `only`: keep only what is flagged. */
  mode: 'drop' | 'only';
  /** The flags that count. */
  kinds: ReadonlySet<FlagKind>;
  /**
   * `message`: cut a conversation at the first counted message (drop: that turn, what follows, and the user turn it
   * answers; only: keep up to and including it); `conversation`: keep or drop whole rows.
   */
  level: 'message' | 'conversation';
}

/** What to do with one row: keep all, keep none, or keep its first N messages. */
export interface CopyDecision {
  keep: 'all' | 'none' | number;
  /** The flags of the message that decided (empty when the row is kept whole). */
  reasons: FlagKind[];
}

/**
 * Decide how a row goes into a filtered copy from the flags of its assistant messages.
 *
 * @example
 * planCopy(messages, [{ turn: 1, kinds: ['refusals'] }], { mode: 'drop', kinds: new Set(['refusals']), level: 'message' }) // { keep: 0, … }
 */
export function planCopy(messages: readonly RowMessage[], flags: ReadonlyArray<{ turn: number; kinds: FlagKind[] }>, options: CopyOptions): CopyDecision {
  const first = flags.find((flag) => flag.kinds.some((kind) => options.kinds.has(kind)));
  if (first === undefined) return options.mode === 'drop' ? { keep: 'all', reasons: [] } : { keep: 'none', reasons: [] };
  const reasons = first.kinds.filter((kind) => options.kinds.has(kind));
  if (options.mode === 'only') return { keep: options.level === 'conversation' ? 'all' : first.turn + 1, reasons };
  if (options.level === 'conversation') return { keep: 'none', reasons };
  const keep = first.turn > 0 && messages[first.turn - 1]?.role === 'user' ? first.turn - 1 : first.turn;
  return { keep, reasons };
}

/** What a filtered copy removed, and why. */
export interface CopyCounts {
  rowsRead: number;
  rowsKept: number;
  /** Rows kept with some of their messages cut. */
  rowsTruncated: number;
  rowsDropped: number;
  /** Messages left out (in cut and dropped rows). */
  messagesRemoved: number;
  /** Rows cut or dropped, by the flag that decided (a message with two flags counts under both). */
  byReason: Record<FlagKind, number>;
}

/** Counts copy decisions. */
export class CopyCounter {
  readonly #counts: CopyCounts = {
    rowsRead: 0, rowsKept: 0, rowsTruncated: 0, rowsDropped: 0, messagesRemoved: 0,
    byReason: { refusals: 0, partial: 0, disclaimers: 0, phrases: 0 },
  };
  /** Count the final decision for a row of `messages` messages. */
  count(decision: CopyDecision, messages: number): void {
    const counts = this.#counts;
    counts.rowsRead += 1;
    for (const reason of decision.reasons) counts.byReason[reason] += 1;
    if (decision.keep === 'all') counts.rowsKept += 1;
    else if (decision.keep === 'none') {
      counts.rowsDropped += 1;
      counts.messagesRemoved += messages;
    } else if (decision.keep >= messages) {
      counts.rowsKept += 1;
    } else {
      counts.rowsKept += 1;
      counts.rowsTruncated += 1;
      counts.messagesRemoved += messages - decision.keep;
    }
  }

  counts(): CopyCounts {
    return { ...this.#counts, byReason: { ...this.#counts.byReason } };
  }
}

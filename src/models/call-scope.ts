import type { RoleAccounting } from '../spec/attempt.js';
import { BudgetExhaustedError } from '../spec/errors.js';
import type { BudgetLimits, ModelRole } from '../spec/strategy.js';
import type { CallScope, GenerateResponse } from '../spec/target.js';
import { totalTokens } from './role-usage.js';

/**
 * What a whole run may still spend. It counts what was really sent (calls answered from the cache or the journal
 * cost nothing), from the run's earlier sessions on.
 */
export class RunBudget {
  constructor(
    readonly limits: BudgetLimits,
    /** Target queries sent so far (earlier sessions included). */
    public sentQueries = 0,
    /** Tokens of sent calls so far, every role. */
    public sentTokens = 0,
  ) {}

  /** The run limit that is reached, if any. */
  exhausted(): 'run-queries' | 'run-tokens' | undefined {
    if (this.limits.maxQueries !== undefined && this.sentQueries >= this.limits.maxQueries) return 'run-queries';
    if (this.limits.maxTokens !== undefined && this.sentTokens >= this.limits.maxTokens) return 'run-tokens';
    return undefined;
  }
}

/** A call recorded in a run's journal: the answer, and who made it. */
export interface JournalEntry {
  response: GenerateResponse;
  role: ModelRole;
  correlationId: string;
}

/** Where a scope's journal lives (the store): read once when the scope opens, written as each call completes. */
export interface JournalSink {
  write(key: string, entry: JournalEntry): void;
}

/**
 * One attempt's calls, as the model-call layer sees them: what they cost per role, how many target queries were made,
 * the budget they must stay within, and (for strategies) the journal that answers calls a killed session already made.
 *
 * Calls are numbered per identical request, so the n-th identical call of an attempt is answered by the n-th recorded
 * answer: a deterministic strategy replays exactly.
 */
export class AttemptScope implements CallScope {
  /** Cost per role of the calls made so far (cached and journal answers included). */
  readonly accounting: RoleAccounting = {};
  /** Target queries so far (answers from the cache or the journal included: stable across resumes). */
  queries = 0;
  /** Calls made in this scope, for correlation ids. */
  calls = 0;
  readonly #occurrences = new Map<string, number>();

  constructor(
    readonly key: string,
    /** Correlation ids of the scope's calls start with this (`RUN/POSITION`). */
    readonly correlationPrefix: string,
    readonly limits: BudgetLimits = {},
    readonly run?: RunBudget,
    /** Recorded answers of an earlier session, by call key; present when the scope is journaled. */
    readonly journal?: Map<string, JournalEntry>,
    readonly journalSink?: JournalSink,
  ) {}

  /** True when calls are journaled (strategy attempts). */
  get journaled(): boolean {
    return this.journalSink !== undefined;
  }

  /** The call key of the next call with this request key (`KEY`, then `KEY#1`, `KEY#2`… for repeats). */
  nextCallKey(requestKey: string): string {
    const seen = this.#occurrences.get(requestKey) ?? 0;
    this.#occurrences.set(requestKey, seen + 1);
    return seen === 0 ? requestKey : `${requestKey}#${seen}`;
  }

  /** Tokens spent so far in this attempt, every role. */
  tokens(): number {
    return totalTokens(this.accounting);
  }

  /**
   * The limit a call of `role` would break, if any. The attempt's own limits apply to every call (they count cached
   * and journal answers, so a replay meets them exactly as the first session did); the run's apply only to calls that
   * are really sent. Judge calls are never refused: an answer that was bought must be judged.
   */
  blockedBy(role: ModelRole, sending: boolean): string | undefined {
    if (role === 'judge') return undefined;
    if (role === 'target' && this.limits.maxQueries !== undefined && this.queries >= this.limits.maxQueries) return 'attempt-queries';
    if (this.limits.maxTokens !== undefined && this.tokens() >= this.limits.maxTokens) return 'attempt-tokens';
    return sending ? this.runBlockedBy(role) : undefined;
  }

  /** The run limit a call of `role` that is really sent would break, if any. */
  runBlockedBy(role: ModelRole): string | undefined {
    if (role === 'judge' || this.run === undefined) return undefined;
    const runLimit = this.run.exhausted();
    if (runLimit === 'run-tokens' || (runLimit === 'run-queries' && role === 'target')) return runLimit;
    return undefined;
  }

  /** Throw BudgetExhaustedError when a call of `role` is not allowed. */
  assertAllowed(role: ModelRole, sending: boolean): void {
    const limit = this.blockedBy(role, sending);
    if (limit !== undefined) throw new BudgetExhaustedError(limit, `budget exhausted (${limit}) for attempt ${this.key}`);
  }

  /** True when one more target query is allowed (by the attempt's budget, and the run's if it would be sent). */
  canQuery(): boolean {
    return this.blockedBy('target', true) === undefined;
  }
}

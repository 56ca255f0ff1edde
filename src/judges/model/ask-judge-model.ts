import type { Conversation } from '../../spec/message.js';
import type { CallScope, Target } from '../../spec/target.js';
import { AbortedError, RedcardError } from '../../spec/errors.js';

/** A parser's answer: the parsed value, or why the reply does not follow the format. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Counters a model-backed judge keeps (reported through `Judge.stats()`). */
export interface JudgeModelCounters {
  /** Requests sent to the judge model. */
  calls: number;
  /** Replies that did not follow the format (each one led to a retry or an error verdict). */
  unparseable: number;
  /** Requests that failed at the target (after the target's own retries). */
  targetFailures: number;
  /** Error verdicts returned (the judge could not decide). */
  errors: number;
}

/** What one question to a judge model ended with. */
export type JudgeModelOutcome<T> =
  | { ok: true; value: T; reply: string }
  | { ok: false; reason: string };

/** One question to a judge model. */
export interface AskJudgeModel<T> {
  target: Target;
  messages: Conversation;
  /** Generation budget for the reply; judge formats are short. */
  maxTokens: number;
  /** Extra tries after an unparseable reply (so up to `retries + 1` requests). */
  retries: number;
  parse(reply: string): ParseResult<T>;
  counters: JudgeModelCounters;
  signal?: AbortSignal;
  /** The attempt's call scope, passed to the target (the model-call layer accounts the call under it). */
  scope?: CallScope;
}

/**
 * Ask a judge model at temperature 0 and parse its reply strictly. An unparseable reply is asked again (the model may
 * be sampled differently by the server even at temperature 0) up to `retries` times; after that, or when the target
 * fails, the outcome is `ok: false` with the reason, and the caller records an `error` verdict: never a guess.
 * An interruption (aborted signal) is rethrown.
 *
 * @example
 * await askJudgeModel({ target, messages, maxTokens: 64, retries: 2, parse: parseRubricReply, counters })
 */
export async function askJudgeModel<T>(question: AskJudgeModel<T>): Promise<JudgeModelOutcome<T>> {
  const problems: string[] = [];
  for (let attempt = 0; attempt <= question.retries; attempt += 1) {
    if (question.signal?.aborted) throw new AbortedError();
    question.counters.calls += 1;
    let reply: string;
    try {
      const response = await question.target.generate(
        { messages: question.messages, temperature: 0, maxTokens: question.maxTokens },
        { signal: question.signal, scope: question.scope },
      );
      reply = response.text;
    } catch (error) {
      if (question.signal?.aborted || (error instanceof RedcardError && (error.code === 'aborted' || error.code === 'deferred'))) throw error;
      question.counters.targetFailures += 1;
      return { ok: false, reason: `judge model request failed: ${(error as Error).message}` };
    }
    const parsed = question.parse(reply);
    if (parsed.ok) return { ok: true, value: parsed.value, reply };
    question.counters.unparseable += 1;
    problems.push(parsed.problem);
  }
  return { ok: false, reason: `unparseable judge reply after ${question.retries + 1} tries: ${problems.join('; ')}` };
}

/** Fresh counters. */
export function newJudgeModelCounters(): JudgeModelCounters {
  return { calls: 0, unparseable: 0, targetFailures: 0, errors: 0 };
}

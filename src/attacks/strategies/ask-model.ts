import { z } from 'zod';
import { AbortedError, BudgetExhaustedError, ConfigError, RedcardError, TargetError } from '../../spec/errors.js';
import type { Conversation } from '../../spec/message.js';
import type { ChatModel, StrategyContext } from '../../spec/strategy.js';
import { clip } from '../../judges/model/parse-keyed-lines.js';
import type { AttackerParse, UnusableKind } from './parse-attacker-reply.js';
import { fillStrategyTemplate, strategyPrompts } from './strategy-prompts.js';
import { AttackerUnavailableError } from './trajectory.js';

/** Attacker settings every attacker-driven strategy takes (PAIR's reference code: 5 tries, temperature 1, 500 tokens). */
export const attackerSettings = {
  /** Requests per attacker turn at most (the first included) before the fallback is used. */
  attackerTries: z.number().int().min(1).max(20).default(5),
  /** Sampling temperature of the attacker. */
  attackerTemperature: z.number().min(0).max(2).default(1),
  /** Reply budget of the attacker, tokens. */
  attackerMaxTokens: z.number().int().min(16).max(8192).default(500),
};

/** The attacker settings as a strategy's parameters carry them. */
export interface AttackerParams {
  attackerTries: number;
  attackerTemperature: number;
  attackerMaxTokens: number;
}

/** Counts of what the attacker (or evaluator) did over one attempt, reported in the strategy's outcome stats. */
export interface ModelCounters {
  /** Requests sent. */
  calls: number;
  /** Replies that declined to attack. */
  refusals: number;
  /** Replies that broke the reply format. */
  formatErrors: number;
  /** Requests that failed (the model server answered with an error after its own retries). */
  errors: number;
}

/** Fresh counters. */
export function newModelCounters(): ModelCounters {
  return { calls: 0, refusals: 0, formatErrors: 0, errors: 0 };
}

/** One question to an attacker or evaluator model, answered in a strict format. */
export interface ModelQuestion<T> {
  model: ChatModel;
  messages: Conversation;
  parse(reply: string): AttackerParse<T>;
  /** Requests at most (the first one included). */
  tries: number;
  /** The reply-format line repeated in the retry message. */
  replyFormat: string;
  temperature?: number;
  maxTokens?: number;
  counters: ModelCounters;
  signal?: AbortSignal;
}

/** What a question ended with. `unreachable`: every try failed at the server, so no reply was seen at all. */
export type ModelAnswer<T> =
  | { ok: true; value: T; reply: string; tries: number }
  | { ok: false; kind: UnusableKind | 'unreachable'; reply: string; tries: number; problems: string[] };

/** Errors that end the attempt instead of counting as an unusable reply. */
function mustRethrow(error: unknown): boolean {
  if (error instanceof AbortedError || error instanceof BudgetExhaustedError) return true;
  return !(error instanceof TargetError) && !(error instanceof RedcardError && error.code === 'target');
}

/**
 * Ask a model and parse its reply; an unusable reply (a refusal to attack, a broken format) is asked again with the
 * reply and the problem shown, so the retry is a different request (a cached or journalled identical request would
 * only return the same reply). A failed request is tried again as it was. Interruptions and exhausted budgets end
 * the question by throwing.
 *
 * @example
 * const answer = await askModel({ model: attacker, messages, parse: parseRefineReply, tries: 5, replyFormat, counters });
 * if (!answer.ok) useFallback();
 */
export async function askModel<T>(question: ModelQuestion<T>): Promise<ModelAnswer<T>> {
  const problems: string[] = [];
  let messages = question.messages;
  let lastReply = '';
  let replies = 0;
  let kind: UnusableKind = 'format';
  for (let attempt = 1; attempt <= question.tries; attempt += 1) {
    if (question.signal?.aborted) throw new AbortedError();
    question.counters.calls += 1;
    let reply: string;
    try {
      const answer = await question.model.complete(
        { messages, ...(question.temperature !== undefined ? { temperature: question.temperature } : {}), ...(question.maxTokens !== undefined ? { maxTokens: question.maxTokens } : {}) },
        { signal: question.signal },
      );
      reply = answer.text;
    } catch (error) {
      if (mustRethrow(error)) throw error;
      question.counters.errors += 1;
      problems.push(`request failed: ${(error as Error).message}`);
      continue;
    }
    replies += 1;
    lastReply = reply;
    const parsed = question.parse(reply);
    if (parsed.ok) return { ok: true, value: parsed.value, reply, tries: attempt };
    kind = parsed.kind;
    if (parsed.kind === 'refused') question.counters.refusals += 1;
    else question.counters.formatErrors += 1;
    problems.push(parsed.problem);
    const retry = fillStrategyTemplate(strategyPrompts().common.retry, { problem: parsed.problem, replyFormat: question.replyFormat });
    messages = [...question.messages, { role: 'assistant', content: clip(reply, 2000) }, { role: 'user', content: retry }];
  }
  return { ok: false, kind: replies === 0 ? 'unreachable' : kind, reply: lastReply, tries: question.tries, problems };
}

/**
 * Ask the context's attacker with the strategy's attacker settings. An unusable answer is returned (the caller uses
 * its fallback); an attacker that could not be reached at all throws AttackerUnavailableError (the attempt stops
 * `attacker-failed`).
 *
 * @example
 * const answer = await askAttacker(context, messages, parseRefineReply, strategyPrompts().refine.replyFormat, counters);
 */
export async function askAttacker<T>(
  context: StrategyContext<AttackerParams>,
  messages: Conversation,
  parse: (reply: string) => AttackerParse<T>,
  replyFormat: string,
  counters: ModelCounters,
): Promise<Extract<ModelAnswer<T>, { ok: true }> | Extract<ModelAnswer<T>, { ok: false }> & { kind: UnusableKind }> {
  if (context.attacker === undefined) throw new ConfigError('this strategy needs an attacker model (--attacker TARGET-SPEC)', { field: 'attacker' });
  const { params } = context;
  const answer = await askModel({
    model: context.attacker,
    messages,
    parse,
    tries: params.attackerTries,
    replyFormat,
    temperature: params.attackerTemperature,
    maxTokens: params.attackerMaxTokens,
    counters,
    signal: context.signal,
  });
  if (!answer.ok && answer.kind === 'unreachable') throw new AttackerUnavailableError(`the attacker could not be reached: ${answer.problems.at(-1) ?? 'no reply'}`);
  return answer as Extract<ModelAnswer<T>, { ok: true }> | Extract<ModelAnswer<T>, { ok: false }> & { kind: UnusableKind };
}

import { BudgetExhaustedError, RedcardError } from '../../spec/errors.js';
import type { Conversation } from '../../spec/message.js';
import type { StopReason, StrategyContext, StrategyOutcome, TargetReply, Turn, TurnInput, TurnJudgement } from '../../spec/strategy.js';
import { isUndeterminedVerdict } from '../../spec/verdict.js';
import type { ModelAnswer, ModelCounters } from './ask-model.js';

/** Thrown inside a strategy when its attacker model could not be reached at all: the attempt stops `attacker-failed`. */
export class AttackerUnavailableError extends RedcardError {
  constructor(message: string) {
    super('attacker-unavailable', message);
    this.name = 'AttackerUnavailableError';
  }
}

/** Which turn stands for the attempt when none succeeded: the best-rated (PAIR, TAP, Best-of-N, GOAT) or the last answer (Crescendo). */
export type DecisiveRule = 'best' | 'last';

/**
 * The turn whose verdict stands for the attempt: the first success; else, when any judged answer was left
 * undetermined by the judge, the first such turn, because an unscored answer may have been a success and the attempt
 * must not be counted as a failed attack; else the best-rated (first of equals) or the last answered turn. Turns
 * hidden from the target (backtracked) or never sent do not stand for the attempt.
 *
 * @example
 * decisiveTurn(turns, 'best') // e.g. 4
 */
export function decisiveTurn(turns: readonly Turn[], rule: DecisiveRule): number | null {
  const judged = turns.filter((turn) => turn.judgement !== null);
  const success = judged.find((turn) => turn.judgement!.verdict.harmful === true);
  if (success) return success.index;
  const undetermined = judged.find((turn) => isUndeterminedVerdict(turn.judgement!.verdict));
  if (undetermined) return undetermined.index;
  const standing = judged.filter((turn) => turn.pruned !== 'backtracked');
  if (standing.length === 0) return null;
  if (rule === 'last') return standing[standing.length - 1].index;
  let best = standing[0];
  for (const turn of standing) if (turn.judgement!.rating > best.judgement!.rating) best = turn;
  return best.index;
}

/** The turns recorded so far and the counters a strategy reports; records through the context (committed at once). */
export class Trajectory {
  readonly turns: Turn[] = [];
  readonly stats: Record<string, number> = {};
  constructor(private readonly context: StrategyContext<unknown>) {}

  async record(input: TurnInput): Promise<Turn> {
    const turn = await this.context.record(input);
    this.turns.push(turn);
    return turn;
  }

  count(key: string, by = 1): void {
    this.stats[key] = (this.stats[key] ?? 0) + by;
  }

  /** Add a model's counters under a prefix (`attacker`, `evaluator`). */
  addCounters(prefix: string, counters: ModelCounters): void {
    this.count(`${prefix}Calls`, counters.calls);
    this.count(`${prefix}Refusals`, counters.refusals);
    this.count(`${prefix}FormatErrors`, counters.formatErrors);
    this.count(`${prefix}Errors`, counters.errors);
  }
}

/**
 * Run a strategy's loop and turn how it ended into the outcome. The loop returns its stop reason; an exhausted budget
 * (from `send` or any model call) stops it with `budget`, an unreachable attacker with `attacker-failed`. Target
 * failures and interruptions propagate to the engine, which records them.
 *
 * @example
 * return runTrajectory(context, 'best', async (trajectory) => { …; return 'exhausted'; }, () => counters);
 */
export async function runTrajectory(
  context: StrategyContext<unknown>,
  rule: DecisiveRule,
  loop: (trajectory: Trajectory) => Promise<StopReason>,
  finalCounters: (trajectory: Trajectory) => void = () => undefined,
): Promise<StrategyOutcome> {
  const trajectory = new Trajectory(context);
  let stopReason: StopReason;
  try {
    stopReason = await loop(trajectory);
  } catch (error) {
    if (error instanceof BudgetExhaustedError) stopReason = 'budget';
    else if (error instanceof AttackerUnavailableError) stopReason = 'attacker-failed';
    else throw error;
  } finally {
    finalCounters(trajectory);
  }
  return { decisiveTurn: decisiveTurn(trajectory.turns, rule), stopReason, stats: trajectory.stats };
}

/** A target reply as a turn records it. */
export function turnResponse(reply: TargetReply): NonNullable<Turn['response']> {
  return { text: reply.text, decodedText: reply.decodedText, finishReason: reply.finishReason, usage: reply.usage };
}

/** A judgement as a turn records it. */
export function turnJudgement(judgement: TurnJudgement): NonNullable<Turn['judgement']> {
  return { rating: judgement.rating, rationale: judgement.rationale, verdict: judgement.verdict };
}

/** What the attacker part of a turn records, from a model answer (and the fallback used when it was unusable). */
export function attackerRecord(answer: ModelAnswer<unknown>, extra: { improvement?: string; technique?: string; fallback?: string }): NonNullable<Turn['attacker']> {
  return {
    reply: answer.reply,
    ...(extra.improvement !== undefined ? { improvement: extra.improvement } : {}),
    ...(extra.technique !== undefined ? { technique: extra.technique } : {}),
    ...(extra.fallback !== undefined ? { fallback: extra.fallback } : {}),
    tries: Math.max(1, answer.tries),
  };
}

/**
 * Send one conversation to the target and judge the answer (`decode` turns the raw answer into what a reader sees,
 * for vectors that ask for an encoded answer). `send` throws `BudgetExhaustedError` when no query is left.
 *
 * @example
 * const { reply, judgement } = await queryAndJudge(context, [{ role: 'user', content: prompt }]);
 */
export async function queryAndJudge(
  context: StrategyContext<unknown>,
  conversation: Conversation,
  decode?: (text: string) => Promise<string>,
): Promise<{ reply: TargetReply; judgement: TurnJudgement }> {
  let reply = await context.target.send(conversation, { signal: context.signal });
  if (decode) {
    let decodedText = reply.decodedText;
    try {
      decodedText = await decode(reply.text);
    } catch {
      decodedText = reply.decodedText;
    }
    reply = { ...reply, decodedText };
  }
  const judgement = await context.judge.judge({ conversation, response: reply }, { signal: context.signal });
  return { reply, judgement };
}

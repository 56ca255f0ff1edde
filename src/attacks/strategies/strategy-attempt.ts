import type { Attempt, AttemptError, AttemptResponse } from '../../spec/attempt.js';
import type { StrategyOutcome, Turn } from '../../spec/strategy.js';

/** The attempt fields a finished trajectory determines. */
export type StrategyAttemptFields = Pick<Attempt, 'messages' | 'response' | 'verdict' | 'error' | 'turns' | 'queries' | 'stopReason'>;

/** Why an attempt whose strategy stopped without a usable decisive turn has no verdict. */
function noVerdictError(outcome: StrategyOutcome, turns: readonly Turn[]): AttemptError {
  if (outcome.stopReason === 'attacker-failed') return { stage: 'attack', message: 'the attacker model could not be reached or gave no usable reply; no prompt was sent' };
  if (outcome.stopReason === 'budget') return { stage: 'attack', message: 'the query budget was exhausted before any answer was judged' };
  return { stage: 'attack', message: turns.length === 0 ? 'the strategy sent no query' : 'no answer of the trajectory was judged' };
}

/**
 * The attempt-level view of a trajectory: the decisive turn's conversation, response and verdict stand for the
 * attempt (so the scorecard counts it like any attempt), with every turn kept in `turns`. A decisive error verdict is
 * a judge error; no decisive turn is an attack error. `latencyMs`/`cached` are unknown at this level (0/false): the
 * engine, which made the calls, may fill them.
 *
 * @example
 * const fields = strategyAttemptFields(turns, outcome, budget.queries());
 * const attempt = { ...base, ...fields, strategy: strategy.id, finishedAt: new Date().toISOString() };
 */
export function strategyAttemptFields(turns: readonly Turn[], outcome: StrategyOutcome, queries: number): StrategyAttemptFields {
  const decisive = outcome.decisiveTurn === null ? undefined : turns.find((turn) => turn.index === outcome.decisiveTurn);
  const common = { turns: [...turns], queries, stopReason: outcome.stopReason };
  if (decisive === undefined || decisive.response === null || decisive.judgement === null) {
    return { ...common, messages: decisive?.messages ?? turns.at(-1)?.messages ?? [], response: null, verdict: null, error: noVerdictError(outcome, turns) };
  }
  const response: AttemptResponse = { ...decisive.response, latencyMs: 0, cached: false };
  const verdict = decisive.judgement.verdict;
  const error: AttemptError | null = verdict.label === 'error' ? { stage: 'judge', message: verdict.rationale ?? `judge '${verdict.judge}' could not decide` } : null;
  return { ...common, messages: decisive.messages, response, verdict, error };
}

import { applyChain } from '../attacks/chain.js';
import { attackRegistry } from '../attacks/registry.js';
import type { Attempt, AttemptError } from '../spec/attempt.js';
import { behaviorPrompt } from '../spec/behavior.js';
import { BudgetExhaustedError, TargetError } from '../spec/errors.js';
import type { Conversation } from '../spec/message.js';
import {
  TurnSchema,
  type ChatModel,
  type StopReason,
  type StrategyContext,
  type StrategyOutcome,
  type TargetReply,
  type Turn,
  type TurnInput,
} from '../spec/strategy.js';
import type { Judge } from '../spec/judge.js';
import type { Verdict } from '../spec/verdict.js';
import { createStrategyJudge, type StrategyJudgeFactory } from '../attacks/strategies/strategy-judge.js';
import { strategyAttemptFields } from '../attacks/strategies/strategy-attempt.js';
import type { AttemptScope } from '../models/call-scope.js';
import type { ModelClient } from '../models/model-call-layer.js';
import { seededRandom } from '../targets/sim/seeded-random.js';
import { sha256 } from '../util/hash.js';
import { attemptBase, decodeAnswer, isStopError, strategyScope, type AttemptOutcome, type AttemptSession } from './attempt-runner.js';
import type { PlannedAttempt } from './plan.js';

export type { StrategyJudgeFactory };

/** The strategies' judge for a run: the run judge's verdict decides, a rater model (if any) or the verdict gives the 1–10 rating. */
export function runStrategyJudges(judge: Judge): StrategyJudgeFactory {
  return createStrategyJudge(judge);
}

/** A chat model (attacker, evaluator) over a layer client, for one attempt's scope. */
function chatModel(client: ModelClient, scope: AttemptScope, sample: number): ChatModel {
  return {
    role: client.role,
    simulated: client.simulated,
    async complete(request, options) {
      const answer = await client.generate(
        { messages: request.messages, temperature: request.temperature, maxTokens: request.maxTokens, sample },
        { signal: options?.signal, scope },
      );
      return { text: answer.text, finishReason: answer.finishReason, usage: answer.usage };
    },
  };
}

/** Uniform numbers in [0, 1) seeded from the run and the attempt key: a resumed attempt draws the same sequence. */
export function attemptRandom(runId: string, key: string): () => number {
  return seededRandom(Number.parseInt(sha256(`${runId}|${key}`, 8), 16));
}

/**
 * An adaptive strategy's attempt. The engine builds the strategy's context — the target (each `send` one query
 * through the model-call layer, the chain's vectors applied and its decoding undone), the attacker and evaluator, the
 * judge, the budget, a seeded `random`, `record` (each turn committed to the store before it resolves) and the static
 * vectors — runs the strategy, and turns its trajectory into an attempt whose messages, response and verdict are
 * those of the decisive turn. Calls are journaled: a killed attempt, run again on resume, is answered from the
 * journal up to where it stopped, so no recorded turn is sent again.
 *
 * @example
 * const attempt = await runStrategyAttempt(session, planned, createStrategyJudge(runJudge));
 */
export async function runStrategyAttempt(session: AttemptSession, planned: PlannedAttempt, judges: StrategyJudgeFactory): Promise<AttemptOutcome> {
  const { behavior, chain, sample } = planned;
  const resolved = chain.strategy;
  if (resolved === undefined) throw new Error(`attack '${chain.id}' has no strategy`);
  const { strategy } = resolved;
  const { signal, store, runId } = session;
  const limits = {
    maxQueries: session.attemptLimits.maxQueries ?? strategy.maxQueries(resolved.params as never),
    ...(session.attemptLimits.maxTokens === undefined ? {} : { maxTokens: session.attemptLimits.maxTokens }),
  };
  const scope = strategyScope(session, planned, limits);
  const helper = session.helper?.bind(scope);
  const attacks = chain.vectors.map((vector) => vector.id);
  const sent = new WeakMap<Conversation, Conversation>();
  const turns: Turn[] = [];
  const latency = { ms: 0, fromModel: 0 };
  const evaluator: ModelClient | undefined = session.evaluator ?? session.attacker;

  const target = {
    async send(conversation: Conversation, options?: { signal?: AbortSignal }): Promise<TargetReply> {
      const messages = chain.vectors.length === 0 ? conversation : await applyChain(chain, { behavior, sample, helper, conversation });
      sent.set(conversation, messages);
      const answer = await session.target.generate(
        { messages, sample, context: { behaviorId: behavior.id, attack: chain.id } },
        { signal: options?.signal ?? signal, scope },
      );
      if (answer.source === 'model') {
        latency.ms += answer.latencyMs;
        latency.fromModel += 1;
      }
      const decoded = await decodeAnswer(chain, answer.text, helper);
      return { text: answer.text, decodedText: decoded.decodedText, finishReason: answer.finishReason, usage: answer.usage };
    },
  };
  const decide = async (conversation: Conversation, response: TargetReply, callSignal?: AbortSignal): Promise<Verdict> => {
    const judged = await session.judge.decide({
      behavior,
      messages: sent.get(conversation) ?? conversation,
      attacks,
      text: response.decodedText,
      rawText: response.text,
      finishReason: response.finishReason,
      scope,
      signal: callSignal ?? signal,
    });
    if ('failed' in judged) return { label: 'error', harmful: null, score: 0, judge: session.judge.judge.id, rationale: judged.failed };
    return judged.verdict;
  };
  // The run judge as this attempt sees it: its calls in the attempt's scope, the verdict cache in front.
  const attemptJudge: Judge = {
    id: session.judge.judge.id,
    judge: (judged, response, options) =>
      decide(judged.messages, { text: response.rawText, decodedText: response.text, finishReason: response.finishReason ?? { unified: 'other', raw: null }, usage: { promptTokens: null, completionTokens: null } }, options?.signal),
  };
  const rater = session.rater ? chatModel(session.rater, scope, sample) : undefined;
  const context: StrategyContext<unknown> = {
    behavior,
    goal: behaviorPrompt(behavior),
    params: resolved.params,
    sample,
    random: attemptRandom(runId, planned.key),
    target,
    ...(session.attacker ? { attacker: chatModel(session.attacker, scope, sample) } : {}),
    ...(evaluator ? { evaluator: chatModel(evaluator, scope, sample) } : {}),
    judge: judges.forAttempt({ behavior, attack: chain.id, judge: attemptJudge, ...(rater ? { rater } : {}) }),
    budget: { limits, queries: () => scope.queries, tokens: () => scope.tokens(), canQuery: () => scope.canQuery() },
    async record(input: TurnInput): Promise<Turn> {
      const turn = TurnSchema.parse({ ...input, messages: sent.get(input.messages) ?? input.messages, index: turns.length, queries: scope.queries });
      store.putTurn(runId, planned.key, turn);
      turns.push(turn);
      return turn;
    },
    vectors: { get: (id) => attackRegistry.get(id), list: () => attackRegistry.list() },
    signal,
  };

  let outcome: StrategyOutcome;
  let failure: AttemptError | null = null;
  try {
    outcome = await strategy.run(context as StrategyContext<never>);
  } catch (error) {
    if (isStopError(error, signal)) return undefined;
    const stopReason: StopReason = error instanceof BudgetExhaustedError ? 'budget' : error instanceof TargetError ? 'target-failed' : 'exhausted';
    outcome = { decisiveTurn: bestTurn(turns), stopReason, stats: {} };
    if (error instanceof TargetError) failure = { stage: 'target', message: error.message, ...(error.status !== undefined ? { status: error.status } : {}), ...(error.tries !== undefined ? { tries: error.tries } : {}) };
    else if (!(error instanceof BudgetExhaustedError)) failure = { stage: 'attack', message: `strategy '${strategy.id}' failed: ${(error as Error).message}` };
  }
  if (signal.aborted) return undefined;
  // Stopped by the run's budget (not its own): not finished. Left unrecorded, it resumes from its journal.
  if (outcome.stopReason === 'budget' && scope.blockedBy('target', true)?.startsWith('run-')) return undefined;
  return trajectoryAttempt(session, planned, { turns, outcome, failure, scope, latencyMs: latency.fromModel > 0 ? latency.ms / latency.fromModel : 0, strategyId: strategy.id });
}

/** The best judged turn: the first success, else the highest rating (first of equals); null when none was judged. */
export function bestTurn(turns: Turn[]): number | null {
  let best: Turn | undefined;
  for (const turn of turns) {
    if (turn.judgement === null) continue;
    if (turn.judgement.verdict.harmful === true) return turn.index;
    if (best === undefined || turn.judgement.rating > (best.judgement?.rating ?? 0)) best = turn;
  }
  return best?.index ?? null;
}

function trajectoryAttempt(
  session: AttemptSession,
  planned: PlannedAttempt,
  result: { turns: Turn[]; outcome: StrategyOutcome; failure: AttemptError | null; scope: AttemptScope; latencyMs: number; strategyId: string },
): Attempt {
  const { turns, outcome, scope } = result;
  const decisiveTurn = outcome.decisiveTurn !== null && turns[outcome.decisiveTurn]?.judgement ? outcome.decisiveTurn : bestTurn(turns);
  const fields = strategyAttemptFields(turns, { ...outcome, decisiveTurn }, scope.queries);
  const target = scope.accounting.target;
  return {
    ...attemptBase(session.runId, planned),
    ...fields,
    response: fields.response === null ? null : { ...fields.response, latencyMs: result.latencyMs, cached: target !== undefined && target.requests === target.cachedRequests },
    // A strategy stopped by a target failure before any judged answer is a target error (retried on resume).
    error: fields.response === null && result.failure !== null ? result.failure : fields.error,
    finishedAt: new Date().toISOString(),
    strategy: result.strategyId,
    ...(Object.keys(outcome.stats).length > 0 ? { strategyStats: outcome.stats } : {}),
    accounting: scope.accounting,
  };
}

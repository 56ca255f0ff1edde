import type { Attempt, RoleAccounting, RoleUsage } from '../../../spec/attempt.js';
import type { Behavior } from '../../../spec/behavior.js';
import { behaviorPrompt } from '../../../spec/behavior.js';
import { BudgetExhaustedError } from '../../../spec/errors.js';
import type { Judge } from '../../../spec/judge.js';
import type { Conversation } from '../../../spec/message.js';
import {
  TurnSchema,
  type BudgetLimits,
  type ChatModel,
  type ChatRequest,
  type ModelRole,
  type Strategy,
  type StrategyContext,
  type StrategyOutcome,
  type TargetReply,
  type Turn,
} from '../../../spec/strategy.js';
import type { SamplingParams, Target } from '../../../spec/target.js';
import { hashText, seededRandom } from '../../../targets/sim/seeded-random.js';
import { attackRegistry } from '../../registry.js';
import { strategyAttemptFields } from '../strategy-attempt.js';
import { createStrategyJudge, type StrategyJudgeStats } from '../strategy-judge.js';

/**
 * A test-only stand-in for the engine's StrategyContext, over wave-1 Targets and Judges (e.g. openai targets
 * pointing at scripted servers, or the sim): it counts target queries, enforces the budget in `send`, validates and
 * keeps every recorded turn, and turns the outcome into an Attempt with the same fields the engine records.
 */

/** A ChatModel over a Target, keeping the requests it was sent and what they cost. */
export interface RecordingChatModel extends ChatModel {
  readonly requests: ChatRequest[];
  readonly usage: RoleUsage;
}

const newUsage = (): RoleUsage => ({ requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, wallTimeMs: 0 });

function account(usage: RoleUsage, response: { usage: { promptTokens: number | null; completionTokens: number | null } }, started: number): void {
  usage.requests += 1;
  usage.promptTokens += response.usage.promptTokens ?? 0;
  usage.completionTokens += response.usage.completionTokens ?? 0;
  usage.wallTimeMs += Date.now() - started;
}

/**
 * Wrap a target as the attacker, evaluator or rater.
 *
 * @example
 * const attacker = chatModelFromTarget(createTarget({ kind: 'openai', baseUrl: server.url, model: 'attacker' }), 'attacker');
 */
export function chatModelFromTarget(target: Target, role: ModelRole): RecordingChatModel {
  const requests: ChatRequest[] = [];
  const usage = newUsage();
  return {
    role,
    simulated: target.simulated,
    requests,
    usage,
    async complete(request, options) {
      requests.push(request);
      const started = Date.now();
      const response = await target.generate({ messages: request.messages, temperature: request.temperature, maxTokens: request.maxTokens }, { signal: options?.signal });
      account(usage, response, started);
      return { text: response.text, finishReason: response.finishReason, usage: response.usage };
    },
  };
}

export interface HarnessOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any strategy
  strategy: Strategy<any>;
  /** Parameter settings (validated by the strategy's schema; defaults fill the rest). */
  params?: Record<string, unknown>;
  behavior: Behavior;
  target: Target;
  judge: Judge;
  attacker?: Target;
  evaluator?: Target;
  rater?: Target;
  /** Per-attempt limits; by default `maxQueries` is the strategy's own maximum. */
  limits?: BudgetLimits;
  seed?: number;
  sample?: number;
  /** Sampling settings sent with each target query. */
  sampling?: SamplingParams;
  signal?: AbortSignal;
}

export interface HarnessResult {
  outcome: StrategyOutcome;
  turns: Turn[];
  /** Target queries made (each `send`). */
  queries: number;
  /** The attempt as the engine would record it. */
  attempt: Attempt;
  attacker?: RecordingChatModel;
  evaluator?: RecordingChatModel;
  rater?: RecordingChatModel;
  judgeStats: StrategyJudgeStats;
  /** Conversations the target was sent, in order. */
  sent: Conversation[];
}

/**
 * Run one attempt of a strategy against real Targets and a real Judge.
 *
 * @example
 * const result = await runStrategyAttempt({ strategy: pair, params: { streams: 2, iterations: 2 }, behavior, target, judge, attacker });
 * assert.equal(result.queries, server.requests.length);
 */
export async function runStrategyAttempt(options: HarnessOptions): Promise<HarnessResult> {
  const { strategy, behavior } = options;
  const params = strategy.parameters.parse(options.params ?? {});
  const limits: BudgetLimits = options.limits ?? { maxQueries: strategy.maxQueries(params) };
  const attacker = options.attacker ? chatModelFromTarget(options.attacker, 'attacker') : undefined;
  const evaluator = options.evaluator ? chatModelFromTarget(options.evaluator, 'evaluator') : undefined;
  const rater = options.rater ? chatModelFromTarget(options.rater, 'judge') : undefined;
  const judges = createStrategyJudge(options.judge, rater);
  const turns: Turn[] = [];
  const sent: Conversation[] = [];
  let queries = 0;
  const targetUsage = newUsage();
  /** Tokens of every role so far (the budget counts all roles). */
  const tokens = (): number =>
    [targetUsage, attacker?.usage, evaluator?.usage, rater?.usage].reduce((total, usage) => total + (usage ? usage.promptTokens + usage.completionTokens : 0), 0);
  const sample = options.sample ?? 0;
  const canQuery = (): boolean => (limits.maxQueries === undefined || queries < limits.maxQueries) && (limits.maxTokens === undefined || tokens() < limits.maxTokens);
  const context: StrategyContext<unknown> = {
    behavior,
    goal: behaviorPrompt(behavior),
    params,
    sample,
    random: seededRandom(hashText(`${options.seed ?? 0}|${behavior.id}|${strategy.id}|${sample}`)),
    target: {
      async send(conversation, sendOptions): Promise<TargetReply> {
        if (limits.maxQueries !== undefined && queries >= limits.maxQueries) throw new BudgetExhaustedError('attempt-queries');
        if (limits.maxTokens !== undefined && tokens() >= limits.maxTokens) throw new BudgetExhaustedError('attempt-tokens');
        queries += 1;
        sent.push(conversation);
        const started = Date.now();
        const response = await options.target.generate({ messages: conversation, ...options.sampling, sample }, { signal: sendOptions?.signal });
        account(targetUsage, response, started);
        return { text: response.text, decodedText: response.text, finishReason: response.finishReason, usage: response.usage };
      },
    },
    attacker,
    evaluator,
    judge: judges.forAttempt({ behavior, attack: strategy.id }),
    budget: { limits, queries: () => queries, tokens, canQuery },
    async record(input) {
      const turn = TurnSchema.parse({ ...input, index: turns.length, queries });
      turns.push(turn);
      return turn;
    },
    vectors: { get: (id) => attackRegistry.get(id), list: () => attackRegistry.list() },
    signal: options.signal,
  };
  const outcome = await strategy.run(context);
  const accounting: RoleAccounting = { target: targetUsage };
  if (attacker) accounting.attacker = attacker.usage;
  if (evaluator) accounting.evaluator = evaluator.usage;
  if (rater) accounting.judge = rater.usage;
  const attempt: Attempt = {
    id: `${behavior.id}|${strategy.id}|${sample}`,
    runId: 'run-harness',
    key: `${behavior.id}|${strategy.id}|${sample}`,
    index: 0,
    behavior: behavior.id,
    category: behavior.category,
    benign: behavior.benign,
    attack: strategy.id,
    sample,
    ...strategyAttemptFields(turns, outcome, queries),
    strategy: strategy.id,
    accounting,
    finishedAt: new Date(0).toISOString(),
  };
  return { outcome, turns, queries, attempt, attacker, evaluator, rater, judgeStats: judges.stats(), sent };
}

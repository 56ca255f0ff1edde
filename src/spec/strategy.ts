import { z } from 'zod';
import type { AttackVector } from './attack-vector.js';
import type { Behavior } from './behavior.js';
import { MessageSchema, type Conversation } from './message.js';
import { FinishReasonSchema, UsageSchema, type FinishReason, type Usage } from './target.js';
import { VerdictSchema, type Verdict } from './verdict.js';

/**
 * Who a model call is made for. The model-call layer keys its cache and its accounting by role as well as by model
 * identity, so a report can say what the attacker cost beside what the target cost.
 */
export const ModelRoleSchema = z.enum(['target', 'attacker', 'evaluator', 'judge', 'helper', 'critic', 'feedback']);
export type ModelRole = z.infer<typeof ModelRoleSchema>;

/** One request to a chat model other than the target (attacker, evaluator). */
export interface ChatRequest {
  messages: Conversation;
  temperature?: number;
  maxTokens?: number;
}

/** A chat model's answer. */
export interface ChatReply {
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

/**
 * A chat model a strategy may call (attacker, evaluator). Every call goes through the model-call layer, which caches
 * it, journals it for resume, and accounts for it under `role`.
 */
export interface ChatModel {
  readonly role: ModelRole;
  /** True when the model is simulated (reports say SIMULATED). */
  readonly simulated: boolean;
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatReply>;
}

/** The target's answer to one query, with the static chain's decoding applied (equal to `text` when none decodes). */
export interface TargetReply extends ChatReply {
  decodedText: string;
}

/** The target as a strategy sees it: each `send` is one query, counted against the budget. */
export interface StrategyTarget {
  /**
   * Send one conversation (the whole conversation as the target should see it). Throws `BudgetExhaustedError` when
   * the attempt or run has no queries left, and `TargetError` when the request fails after retries.
   */
  send(conversation: Conversation, options?: { signal?: AbortSignal }): Promise<TargetReply>;
}

/** A judgement of one target answer: the run judge's verdict plus a 1–10 rating that guides the attacker. */
export interface TurnJudgement {
  /** The run judge's verdict on this answer (what the scorecard counts). */
  verdict: Verdict;
  /** 1 (refused, nothing of use) to 10 (fully achieves the goal): the PAIR/TAP rating scale. */
  rating: number;
  /** Why, in a sentence; shown to the attacker as feedback. */
  rationale: string;
  /** `verdict.harmful === true`: the attack succeeded on this answer, exactly as the scorecard counts it. */
  success: boolean;
}

/** The judge as a strategy sees it. */
export interface StrategyJudge {
  judge(input: { conversation: Conversation; response: TargetReply }, options?: { signal?: AbortSignal }): Promise<TurnJudgement>;
}

/** Limits on what one attempt (or a whole run) may spend. Unset means unlimited. */
export const BudgetLimitsSchema = z.object({
  /** Target queries at most. */
  maxQueries: z.number().int().positive().optional(),
  /** Tokens (prompt + completion, all roles) at most. */
  maxTokens: z.number().int().positive().optional(),
});
export type BudgetLimits = z.infer<typeof BudgetLimitsSchema>;

/** What an attempt has spent so far, and whether it may spend more. */
export interface StrategyBudget {
  readonly limits: BudgetLimits;
  /** Target queries made by this attempt so far. */
  queries(): number;
  /** Tokens spent by this attempt so far, all roles. */
  tokens(): number;
  /** True when one more target query is allowed by the attempt's and the run's budgets. */
  canQuery(): boolean;
}

/** One turn of a trajectory: what the attacker proposed, what the target saw and said, and how it was judged. */
export const TurnSchema = z.object({
  /** 0-based position in the trajectory, in commit order. */
  index: z.number().int().min(0),
  /** Stream (PAIR), branch path (TAP, e.g. `3.1.0`) or candidate id (Best-of-N); null for a single line of turns. */
  stream: z.string().nullable(),
  /** The branch this one grew from (tree strategies); null otherwise. */
  parent: z.string().nullable(),
  /** Iteration (PAIR), depth (TAP), turn number (Crescendo, GOAT) or candidate number (Best-of-N), from 0. */
  step: z.number().int().min(0),
  /** What the attacker model was asked and proposed; null for turns no attacker wrote (static vectors, Best-of-N). */
  attacker: z
    .object({
      /** The attacker's reply as received (untrusted text). */
      reply: z.string(),
      /** The attacker's stated improvement or rationale, when its format has one. */
      improvement: z.string().optional(),
      /** The technique it chose (GOAT: a static vector id). */
      technique: z.string().optional(),
      /** Set when the reply was unusable and a documented fallback supplied the prompt: the fallback's name. */
      fallback: z.string().optional(),
      /** Tries it took to get a usable reply (1 when the first one was usable). */
      tries: z.number().int().min(1),
    })
    .nullable(),
  /** The conversation exactly as the target saw it for this query (empty when the turn was pruned before sending). */
  messages: z.array(MessageSchema),
  /** The target's answer; null when the turn was pruned before sending. */
  response: z
    .object({ text: z.string(), decodedText: z.string(), finishReason: FinishReasonSchema, usage: UsageSchema })
    .nullable(),
  /** The judgement of the answer; null when the answer was not judged (pruned, or judged only at the end). */
  judgement: z.object({ rating: z.number().min(1).max(10), rationale: z.string(), verdict: VerdictSchema }).nullable(),
  /** Why this branch ends or this turn is hidden from the target: `off-topic`, `low-score`, `backtracked`; null otherwise. */
  pruned: z.string().nullable(),
  /** Target queries the attempt had made up to and including this turn. */
  queries: z.number().int().min(0),
});
export type Turn = z.infer<typeof TurnSchema>;
/** A turn as a strategy records it; the engine fills in `index` and `queries`. */
export type TurnInput = Omit<Turn, 'index' | 'queries'>;

/** Why a strategy stopped. */
export const StopReasonSchema = z.enum(['success', 'exhausted', 'budget', 'attacker-failed', 'target-failed']);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** What a strategy returns when it stops. */
export interface StrategyOutcome {
  /** Index of the turn whose verdict stands for the attempt (the first success, else the best-rated); null when none was judged. */
  decisiveTurn: number | null;
  stopReason: StopReason;
  /** Counters worth reporting (attacker retries, fallbacks, branches pruned off-topic…). */
  stats: Record<string, number>;
}

/** Everything a strategy may use for one attempt. */
export interface StrategyContext<Params> {
  behavior: Behavior;
  /** The goal as text (the behavior's context and request). */
  goal: string;
  /** Parameters after defaults, presets and `strategy.x:key=value` overrides. */
  params: Params;
  /** Sample index. */
  sample: number;
  /** Uniform numbers in [0, 1), seeded from the run and the attempt: a resumed attempt draws the same sequence. */
  random: () => number;
  target: StrategyTarget;
  /** The attacker model (`--attacker`); present whenever the strategy `needsAttacker`. */
  attacker?: ChatModel;
  /** Model for evaluator prompts such as TAP's off-topic check (`--evaluator`, else the attacker). */
  evaluator?: ChatModel;
  judge: StrategyJudge;
  budget: StrategyBudget;
  /** Record one turn. It is committed to the store before the promise settles, so a killed run keeps it. */
  record(turn: TurnInput): Promise<Turn>;
  /** The static vectors (GOAT's toolbox). */
  vectors: { get(id: string): AttackVector; list(): AttackVector[] };
  signal?: AbortSignal;
}

/**
 * An adaptive attack: a loop that calls the target (and usually an attacker model) and records turns.
 *
 * Strategies are deterministic functions of their parameters, `random` and the replies they receive. On resume the
 * engine runs an interrupted attempt again from its start and answers every call already made from the run's call
 * journal, so no recorded turn is sent again; a strategy must therefore draw randomness only from `random`.
 */
export interface Strategy<Params = Record<string, unknown>> {
  /** Stable id, `strategy.NAME` (e.g. `strategy.pair`). */
  readonly id: string;
  /** One sentence: what the strategy does. */
  readonly description: string;
  /** The paper it implements (URL); our prompts and code are our own. */
  readonly reference: string;
  /** True when it needs `--attacker`. */
  readonly needsAttacker: boolean;
  /** Parameters; each default is the paper's value (documented in docs/strategies.md). */
  readonly parameters: z.ZodType<Params>;
  /** Named presets (at least `paper`, the defaults), selectable as `strategy.x:preset=NAME`. */
  readonly presets: Record<string, Partial<Params>>;
  /** The most target queries one attempt can make with these parameters (the default per-attempt budget). */
  maxQueries(params: Params): number;
  run(context: StrategyContext<Params>): Promise<StrategyOutcome>;
}

/**
 * Identity helper that gives a strategy its type.
 *
 * @example
 * export const pair = defineStrategy({ id: 'strategy.pair', description: '…', reference: 'https://arxiv.org/abs/2310.08419',
 *   needsAttacker: true, parameters: PairParamsSchema, presets: { paper: {} }, maxQueries: (p) => p.streams * p.iterations,
 *   run: runPair });
 */
export function defineStrategy<Params>(strategy: Strategy<Params>): Strategy<Params> {
  return strategy;
}

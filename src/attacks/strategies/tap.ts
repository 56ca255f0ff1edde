import { z } from 'zod';
import type { Message } from '../../spec/message.js';
import { defineStrategy, type StopReason, type StrategyContext, type StrategyOutcome, type TargetReply, type Turn, type TurnJudgement } from '../../spec/strategy.js';
import { attackerSettings, newModelCounters } from './ask-model.js';
import { checkOnTopic } from './on-topic-check.js';
import { nextRefinedPrompt } from './pair.js';
import { attackerHistory, refineFeedbackMessage, refineOpeningMessage, refineSystemMessage } from './attacker-messages.js';
import { queryAndJudge, runTrajectory, turnJudgement, turnResponse, type Trajectory } from './trajectory.js';

/** TAP's parameters; defaults are the paper's (docs/strategies.md cites each). */
export const TapParamsSchema = z
  .object({
    /** Leaves kept after each level's score pruning (w). */
    width: z.number().int().min(1).max(1000).default(10),
    /** Children each leaf proposes per level (b). */
    branching: z.number().int().min(1).max(100).default(4),
    /** Levels at most (d). */
    depth: z.number().int().min(1).max(100).default(10),
    /** Root nodes (the reference code's `n_streams`). */
    roots: z.number().int().min(1).max(100).default(1),
    /** Attacker exchanges kept in a branch's history (`keep_last_n`). */
    history: z.number().int().min(1).max(50).default(3),
    /** Ask the evaluator whether each candidate still asks for the goal, and drop it before querying when not. */
    pruneOffTopic: z.boolean().default(true),
    /** Also cap the on-topic candidates at `width` before querying, as the reference code does (the paper's algorithm caps only after). */
    widthBeforeQuery: z.boolean().default(false),
    /** Requests per on-topic check at most; an undecided check keeps the candidate. */
    evaluatorTries: z.number().int().min(1).max(10).default(2),
    ...attackerSettings,
  })
  .strict();
export type TapParams = z.infer<typeof TapParamsSchema>;

/** A leaf of the tree: its branch's own attacker history (copied, never shared with siblings). */
interface Leaf {
  id: string;
  system: Message;
  exchanges: Message[];
  next(candidate: { index: number; of: number }): Message;
}

/** A candidate proposed at this level, and what became of it. */
interface Candidate {
  id: string;
  parent: string;
  system: Message;
  exchanges: Message[];
  prompt: string;
  attacker: NonNullable<Turn['attacker']>;
  pruned: string | null;
  reply?: TargetReply;
  judgement?: TurnJudgement;
}

/**
 * The most target queries TAP can make: each level queries every child of its leaves (capped at `width` when
 * `widthBeforeQuery`), and at most `width` leaves survive to the next level.
 *
 * @example
 * tapMaxQueries(TapParamsSchema.parse({})) // 4 + 16 + 8 × 40 = 340
 */
export function tapMaxQueries(params: TapParams): number {
  let leaves = params.roots;
  let total = 0;
  for (let level = 0; level < params.depth; level += 1) {
    const children = leaves * params.branching;
    const queried = params.widthBeforeQuery ? Math.min(params.width, children) : children;
    total += queried;
    leaves = Math.min(params.width, queried);
  }
  return total;
}

/** Order by rating, best first; equal ratings in a random order drawn from the attempt's seeded generator. */
function byRating(candidates: Candidate[], random: () => number): Candidate[] {
  const keyed = candidates.map((candidate) => ({ candidate, tie: random() }));
  keyed.sort((a, b) => b.candidate.judgement!.rating - a.candidate.judgement!.rating || a.tie - b.tie);
  return keyed.map((entry) => entry.candidate);
}

/** Record a level's candidates in the order they were proposed (after phase 2 decided which ones are pruned). */
async function recordLevel(trajectory: Trajectory, level: number, candidates: Candidate[]): Promise<void> {
  for (const candidate of candidates) {
    const sent = candidate.reply !== undefined;
    if (!sent && candidate.pruned === null) continue; // proposed, never sent: the attempt stopped first
    await trajectory.record({
      stream: candidate.id,
      parent: candidate.parent,
      step: level,
      attacker: candidate.attacker,
      messages: sent ? [{ role: 'user', content: candidate.prompt }] : [],
      response: sent ? turnResponse(candidate.reply!) : null,
      judgement: candidate.judgement ? turnJudgement(candidate.judgement) : null,
      pruned: candidate.pruned,
    });
  }
}

/**
 * TAP: a tree of attacker conversations. Each level, every leaf's attacker (seeing only its own branch's history)
 * proposes `branching` children; the evaluator prunes those that no longer ask for the goal before any is sent; the
 * rest are sent and judged; only the `width` best-rated survive as the next leaves. Stops at the first success.
 */
async function runTap(context: StrategyContext<TapParams>): Promise<StrategyOutcome> {
  const { params } = context;
  const attackerCounters = newModelCounters();
  const evaluatorCounters = newModelCounters();
  let leaves: Leaf[] = Array.from({ length: params.roots }, (_, index) => ({
    id: String(index),
    system: refineSystemMessage(context.goal, index),
    exchanges: [],
    next: (candidate) => refineOpeningMessage(candidate),
  }));
  let proposed = 0;
  const level = async (trajectory: Trajectory, depth: number): Promise<StopReason | undefined> => {
    const candidates: Candidate[] = [];
    for (const leaf of leaves) {
      for (let index = 0; index < params.branching; index += 1) {
        const ask = leaf.next({ index, of: params.branching });
        const next = await nextRefinedPrompt(context, attackerHistory(leaf.system, [...leaf.exchanges, ask], params.history), attackerCounters, proposed);
        proposed += 1;
        if (next.fellBack) trajectory.count('attackerFallbacks');
        candidates.push({ id: `${leaf.id}.${index}`, parent: leaf.id, system: leaf.system, exchanges: [...leaf.exchanges, ask, next.exchange], prompt: next.prompt, attacker: next.attacker, pruned: null });
      }
    }
    // Phase 1: drop candidates that lost the goal, before any is sent.
    let toQuery: Candidate[] = [];
    for (const candidate of candidates) {
      if (params.pruneOffTopic) {
        const onTopic = await checkOnTopic(context.evaluator ?? context.attacker!, context.goal, candidate.prompt, { tries: params.evaluatorTries, counters: evaluatorCounters, signal: context.signal });
        if (onTopic === undefined) trajectory.count('evaluatorUndecided');
        if (onTopic === false) {
          candidate.pruned = 'off-topic';
          trajectory.count('prunedOffTopic');
          continue;
        }
      }
      toQuery.push(candidate);
    }
    if (params.widthBeforeQuery && toQuery.length > params.width) {
      for (const candidate of toQuery.slice(params.width)) candidate.pruned = 'width';
      trajectory.count('prunedWidth', toQuery.length - params.width);
      toQuery = toQuery.slice(0, params.width);
    }
    // Query and assess.
    let stop: StopReason | undefined;
    const queried: Candidate[] = [];
    for (const candidate of toQuery) {
      if (!context.budget.canQuery()) {
        stop = 'budget';
        break;
      }
      const { reply, judgement } = await queryAndJudge(context, [{ role: 'user', content: candidate.prompt }]);
      candidate.reply = reply;
      candidate.judgement = judgement;
      queried.push(candidate);
      if (judgement.success) {
        stop = 'success';
        break;
      }
    }
    trajectory.count('unsentCandidates', toQuery.length - queried.length);
    // Phase 2: keep the best-rated `width` as the next leaves.
    const ranked = byRating(queried, context.random);
    const kept = stop === undefined ? ranked.slice(0, params.width) : [];
    if (stop === undefined) {
      for (const candidate of ranked.slice(params.width)) candidate.pruned = 'low-score';
      trajectory.count('prunedLowScore', Math.max(0, ranked.length - params.width));
    }
    await recordLevel(trajectory, depth, candidates);
    if (stop !== undefined) return stop;
    leaves = kept.map((candidate) => ({
      id: candidate.id,
      system: candidate.system,
      exchanges: candidate.exchanges,
      next: (next) => refineFeedbackMessage(candidate.reply!, candidate.judgement!, next),
    }));
    return leaves.length === 0 ? 'exhausted' : undefined;
  };
  return runTrajectory(
    context,
    'best',
    async (trajectory) => {
      for (let depth = 0; depth < params.depth; depth += 1) {
        if (!context.budget.canQuery()) return 'budget';
        const stop = await level(trajectory, depth);
        if (stop !== undefined) return stop;
      }
      return 'exhausted';
    },
    (trajectory) => {
      trajectory.addCounters('attacker', attackerCounters);
      trajectory.addCounters('evaluator', evaluatorCounters);
    },
  );
}

/** `strategy.tap`. */
export const tap = defineStrategy<TapParams>({
  id: 'strategy.tap',
  description: 'TAP: a tree of attacker refinements; off-topic candidates are pruned before querying and only the best-rated branches grow.',
  reference: 'https://arxiv.org/abs/2312.02119',
  needsAttacker: true,
  parameters: TapParamsSchema,
  presets: { paper: {}, 'reference-code': { widthBeforeQuery: true }, small: { width: 3, branching: 2, depth: 3 } },
  maxQueries: tapMaxQueries,
  run: runTap,
});

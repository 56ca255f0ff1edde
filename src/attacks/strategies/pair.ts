import { z } from 'zod';
import type { Message } from '../../spec/message.js';
import { defineStrategy, type StrategyContext, type StrategyOutcome, type Turn } from '../../spec/strategy.js';
import { askAttacker, attackerSettings, newModelCounters, type AttackerParams, type ModelCounters } from './ask-model.js';
import { fallbackPrompt } from './fallback-prompt.js';
import { parseRefineReply } from './parse-attacker-reply.js';
import { attackerHistory, fallbackExchange, refineFeedbackMessage, refineOpeningMessage, refineSystemMessage } from './attacker-messages.js';
import { strategyPrompts } from './strategy-prompts.js';
import { attackerRecord, queryAndJudge, runTrajectory, turnJudgement, turnResponse } from './trajectory.js';

/** PAIR's parameters; defaults are the paper's (docs/strategies.md cites each). */
export const PairParamsSchema = z
  .object({
    /** Parallel conversations with the attacker (N). */
    streams: z.number().int().min(1).max(1000).default(20),
    /** Refinements per stream (K). */
    iterations: z.number().int().min(1).max(100).default(3),
    /** Attacker exchanges kept in its history (`keep_last_n`). */
    history: z.number().int().min(1).max(50).default(4),
    ...attackerSettings,
  })
  .strict();
export type PairParams = z.infer<typeof PairParamsSchema>;

/** One stream: its own attacker history, never shared with another. */
interface Stream {
  id: string;
  system: Message;
  exchanges: Message[];
}

/** Ask the attacker for the next prompt of a line of refinement, or build the fallback; throws when it is unreachable. */
export async function nextRefinedPrompt(
  context: StrategyContext<AttackerParams>,
  messages: Message[],
  counters: ModelCounters,
  fallbackIndex: number,
): Promise<{ prompt: string; exchange: Message; attacker: NonNullable<Turn['attacker']>; fellBack: boolean }> {
  const answer = await askAttacker(context, messages, parseRefineReply, strategyPrompts().refine.replyFormat, counters);
  if (answer.ok) {
    return {
      prompt: answer.value.prompt,
      exchange: { role: 'assistant', content: answer.reply },
      attacker: attackerRecord(answer, { improvement: answer.value.improvement }),
      fellBack: false,
    };
  }
  const fallback = await fallbackPrompt(context.vectors, context.behavior, context.goal, fallbackIndex, context.sample);
  return {
    prompt: fallback.prompt,
    exchange: fallbackExchange(fallback.prompt, fallback.fallback),
    attacker: attackerRecord(answer, { fallback: fallback.fallback }),
    fellBack: true,
  };
}

/**
 * PAIR: `streams` independent conversations with the attacker, each refined `iterations` times. Iteration by
 * iteration, every stream's attacker sees its own history (its replies and, for each, the target's answer, the 1–10
 * rating and the rationale) and proposes a new prompt, sent alone to the target and judged. The attempt stops at the
 * first success (the run judge's verdict), so it never makes more than streams × iterations target queries.
 */
async function runPair(context: StrategyContext<PairParams>): Promise<StrategyOutcome> {
  const { params } = context;
  const counters = newModelCounters();
  const streams: Stream[] = Array.from({ length: params.streams }, (_, index) => ({
    id: String(index),
    system: refineSystemMessage(context.goal, index),
    exchanges: [refineOpeningMessage()],
  }));
  return runTrajectory(
    context,
    'best',
    async (trajectory) => {
      for (let iteration = 0; iteration < params.iterations; iteration += 1) {
        for (const [index, stream] of streams.entries()) {
          if (!context.budget.canQuery()) return 'budget';
          const next = await nextRefinedPrompt(context, attackerHistory(stream.system, stream.exchanges, params.history), counters, iteration * params.streams + index);
          if (next.fellBack) trajectory.count('attackerFallbacks');
          stream.exchanges.push(next.exchange);
          const conversation: Message[] = [{ role: 'user', content: next.prompt }];
          const { reply, judgement } = await queryAndJudge(context, conversation);
          await trajectory.record({
            stream: stream.id,
            parent: null,
            step: iteration,
            attacker: next.attacker,
            messages: conversation,
            response: turnResponse(reply),
            judgement: turnJudgement(judgement),
            pruned: null,
          });
          if (judgement.success) return 'success';
          stream.exchanges.push(refineFeedbackMessage(reply, judgement));
        }
      }
      return 'exhausted';
    },
    (trajectory) => trajectory.addCounters('attacker', counters),
  );
}

/** `strategy.pair`. */
export const pair = defineStrategy<PairParams>({
  id: 'strategy.pair',
  description: 'PAIR: an attacker model refines a jailbreak prompt over parallel streams, guided by the target\'s answers and a 1-10 rating.',
  reference: 'https://arxiv.org/abs/2310.08419',
  needsAttacker: true,
  parameters: PairParamsSchema,
  presets: { paper: {}, small: { streams: 3, iterations: 3 } },
  maxQueries: (params) => params.streams * params.iterations,
  run: runPair,
});

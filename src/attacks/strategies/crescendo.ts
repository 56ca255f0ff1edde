import { z } from 'zod';
import type { Message } from '../../spec/message.js';
import { defineStrategy, type StrategyContext, type StrategyOutcome, type TargetReply, type Turn, type TurnJudgement } from '../../spec/strategy.js';
import { askAttacker, attackerSettings, newModelCounters } from './ask-model.js';
import { fallbackPrompt } from './fallback-prompt.js';
import { parseCrescendoReply } from './parse-attacker-reply.js';
import { neutralizeStrategyMarkers } from './prompt-markers.js';
import { fallbackExchange, turnFeedbackMessage } from './attacker-messages.js';
import { fillStrategyTemplate, strategyPrompts } from './strategy-prompts.js';
import { attackerRecord, queryAndJudge, runTrajectory, turnJudgement, turnResponse } from './trajectory.js';

/** Crescendo's parameters; defaults are the paper's (docs/strategies.md cites each). */
export const CrescendoParamsSchema = z
  .object({
    /** Answered turns at most (T). */
    maxTurns: z.number().int().min(1).max(100).default(10),
    /** Refused turns that may be taken back (dropped from the target's view and asked differently). */
    maxBacktracks: z.number().int().min(0).max(100).default(10),
    ...attackerSettings,
  })
  .strict();
export type CrescendoParams = z.infer<typeof CrescendoParamsSchema>;

function systemMessage(goal: string, maxTurns: number): Message {
  const prompt = strategyPrompts().crescendo;
  return { role: 'system', content: fillStrategyTemplate(prompt.system, { goal: neutralizeStrategyMarkers(goal), maxTurns: String(maxTurns), replyFormat: prompt.replyFormat }) };
}

/** The attacker's next instruction: the opening, or what became of its last message (answered, or refused and removed). */
function turnMessage(turn: number, maxTurns: number, last?: { reply: TargetReply; judgement?: TurnJudgement; refused: boolean }): Message {
  const prompt = strategyPrompts().crescendo;
  if (last === undefined) return { role: 'user', content: fillStrategyTemplate(prompt.opening, { maxTurns: String(maxTurns) }) };
  return turnFeedbackMessage(last.refused ? prompt.refused! : prompt.answered, turn + 1, maxTurns, last.reply, last.judgement);
}

/**
 * Crescendo: one conversation that opens with a harmless question and escalates a little each turn, building on the
 * target's own answers. When the judge reads an answer as a refusal, that turn is taken back: recorded with
 * `pruned: 'backtracked'`, dropped from what the target sees, and the attacker told to try a gentler step (up to
 * `maxBacktracks`). Every answer is judged; the attempt stops at the first success, and otherwise the final answer
 * stands for it.
 */
async function runCrescendo(context: StrategyContext<CrescendoParams>): Promise<StrategyOutcome> {
  const { params } = context;
  const counters = newModelCounters();
  const system = systemMessage(context.goal, params.maxTurns);
  const exchanges: Message[] = [turnMessage(0, params.maxTurns)];
  let targetView: Message[] = [];
  return runTrajectory(
    context,
    'last',
    async (trajectory) => {
      let turn = 0;
      let backtracks = 0;
      while (turn < params.maxTurns) {
        if (!context.budget.canQuery()) return 'budget';
        const answer = await askAttacker(context, [system, ...exchanges], parseCrescendoReply, strategyPrompts().crescendo.replyFormat, counters);
        let prompt: string;
        let attacker: NonNullable<Turn['attacker']>;
        if (answer.ok) {
          prompt = answer.value.prompt;
          attacker = attackerRecord(answer, { improvement: answer.value.rationale });
          exchanges.push({ role: 'assistant', content: answer.reply });
        } else {
          const fallback = await fallbackPrompt(context.vectors, context.behavior, context.goal, turn + backtracks, context.sample);
          trajectory.count('attackerFallbacks');
          prompt = fallback.prompt;
          attacker = attackerRecord(answer, { fallback: fallback.fallback });
          exchanges.push(fallbackExchange(prompt, fallback.fallback));
        }
        const conversation: Message[] = [...targetView, { role: 'user', content: prompt }];
        const { reply, judgement } = await queryAndJudge(context, conversation);
        const refused = judgement.verdict.label === 'refusal' && !judgement.success;
        const backtrack = refused && backtracks < params.maxBacktracks;
        await trajectory.record({
          stream: null,
          parent: null,
          step: turn,
          attacker,
          messages: conversation,
          response: turnResponse(reply),
          judgement: turnJudgement(judgement),
          pruned: backtrack ? 'backtracked' : null,
        });
        if (judgement.success) return 'success';
        if (backtrack) {
          backtracks += 1;
          trajectory.count('backtracks');
          exchanges.push(turnMessage(turn, params.maxTurns, { reply, refused: true }));
          continue;
        }
        targetView = [...conversation, { role: 'assistant', content: reply.text }];
        turn += 1;
        exchanges.push(turnMessage(turn, params.maxTurns, { reply, judgement, refused: false }));
      }
      return 'exhausted';
    },
    (trajectory) => trajectory.addCounters('attacker', counters),
  );
}

/** `strategy.crescendo`. */
export const crescendo = defineStrategy<CrescendoParams>({
  id: 'strategy.crescendo',
  description: 'Crescendo: a multi-turn conversation that escalates from a harmless opening, taking back refused turns.',
  reference: 'https://arxiv.org/abs/2404.01833',
  needsAttacker: true,
  parameters: CrescendoParamsSchema,
  presets: { paper: {}, small: { maxTurns: 5, maxBacktracks: 3 } },
  maxQueries: (params) => params.maxTurns + params.maxBacktracks,
  run: runCrescendo,
});

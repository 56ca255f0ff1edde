import { z } from 'zod';
import type { ResolvedStrategy, StrategyResolver } from '../../attacks/chain.js';
import { ConfigError } from '../../spec/errors.js';
import type { Conversation } from '../../spec/message.js';
import { defineStrategy, type StrategyOutcome } from '../../spec/strategy.js';

const ParamsSchema = z.object({ turns: z.number().int().min(1).default(2) }).strict();

/**
 * A small multi-turn strategy for engine tests: each turn the attacker writes the next user message (it is shown the
 * goal, the step and the last answer), the target answers the whole conversation, the judge rates it; it stops at
 * the first success or after `turns` turns. Every call goes through the context, so it exercises the whole spine.
 */
export const scriptedStrategy = defineStrategy({
  id: 'strategy.test-scripted',
  description: 'Test only: an attacker-written conversation of a fixed number of turns.',
  reference: 'https://example.invalid/test',
  needsAttacker: true,
  parameters: ParamsSchema,
  presets: { paper: {} },
  maxQueries: (params) => params.turns,
  async run(context): Promise<StrategyOutcome> {
    let conversation: Conversation = [];
    let lastAnswer = '(none)';
    let best: number | null = null;
    for (let step = 0; step < context.params.turns; step += 1) {
      if (!context.budget.canQuery()) return { decisiveTurn: best, stopReason: 'budget', stats: { turns: step } };
      const proposal = await context.attacker!.complete({ messages: [{ role: 'user', content: `goal: ${context.goal}\nstep: ${step}\nlast answer: ${lastAnswer}\nnoise: ${context.random().toFixed(6)}` }] });
      conversation = [...conversation, { role: 'user', content: proposal.text }];
      const answer = await context.target.send(conversation);
      const judgement = await context.judge.judge({ conversation, response: answer });
      const turn = await context.record({
        stream: null,
        parent: null,
        step,
        attacker: { reply: proposal.text, tries: 1 },
        messages: conversation,
        response: { text: answer.text, decodedText: answer.decodedText, finishReason: answer.finishReason, usage: answer.usage },
        judgement: { rating: judgement.rating, rationale: judgement.rationale, verdict: judgement.verdict },
        pruned: null,
      });
      best ??= turn.index;
      if (judgement.success) return { decisiveTurn: turn.index, stopReason: 'success', stats: { turns: step + 1 } };
      lastAnswer = answer.decodedText;
      conversation = [...conversation, { role: 'assistant', content: answer.text }];
    }
    return { decisiveTurn: best, stopReason: 'exhausted', stats: { turns: context.params.turns } };
  },
});

/**
 * Resolves `strategy.test-scripted[:turns=N]` (tests only).
 *
 * @example
 * resolveAttackChains(['strategy.test-scripted:turns=3'], { helperAvailable: false, attackerAvailable: true, resolveStrategy: resolveScriptedStrategy })
 */
export const resolveScriptedStrategy: StrategyResolver = (spec: string): ResolvedStrategy => {
  const [id, rest = ''] = spec.split(/:(.*)/s);
  if (id !== scriptedStrategy.id) throw new ConfigError(`unknown strategy '${id}'`, { field: 'attacks' });
  const raw: Record<string, number> = {};
  for (const pair of rest.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    raw[key] = Number(value);
  }
  return { id: spec, strategy: scriptedStrategy as never, params: ParamsSchema.parse(raw) };
};

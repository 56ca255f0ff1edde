import { z } from 'zod';
import type { Message } from '../../spec/message.js';
import { defineStrategy, type StrategyContext, type StrategyOutcome } from '../../spec/strategy.js';
import { augmentPrompt } from './augmentations.js';
import { queryAndJudge, runTrajectory, turnJudgement, turnResponse } from './trajectory.js';

/** Best-of-N's parameters; defaults are the paper's (docs/strategies.md cites each). */
export const BestOfNParamsSchema = z
  .object({
    /** Candidates at most (N). */
    n: z.number().int().min(1).max(100_000).default(10_000),
    /** Augmentation strength σ. */
    sigma: z.number().min(0).max(1).default(0.4),
    /** Shuffle the middle letters of words (probability σ^½ per word longer than three characters). */
    scramble: z.boolean().default(true),
    /** Flip letter case (probability σ^½ per letter). */
    capitalize: z.boolean().default(true),
    /** Move characters one code point (probability σ³ per character). */
    noise: z.boolean().default(true),
  })
  .strict();
export type BestOfNParams = z.infer<typeof BestOfNParamsSchema>;

/**
 * Best-of-N: up to `n` randomly augmented copies of the request, each sent alone and every one judged by the run
 * judge; the attempt stops at the first judged success (not at the first answer that is not an error).
 */
async function runBestOfN(context: StrategyContext<BestOfNParams>): Promise<StrategyOutcome> {
  const { params } = context;
  return runTrajectory(context, 'best', async (trajectory) => {
    for (let candidate = 0; candidate < params.n; candidate += 1) {
      if (!context.budget.canQuery()) return 'budget';
      const conversation: Message[] = [{ role: 'user', content: augmentPrompt(context.goal, params, context.random) }];
      const { reply, judgement } = await queryAndJudge(context, conversation);
      await trajectory.record({
        stream: String(candidate),
        parent: null,
        step: candidate,
        attacker: null,
        messages: conversation,
        response: turnResponse(reply),
        judgement: turnJudgement(judgement),
        pruned: null,
      });
      trajectory.count('candidates');
      if (judgement.success) return 'success';
    }
    return 'exhausted';
  });
}

/** `strategy.best-of-n`. */
export const bestOfN = defineStrategy<BestOfNParams>({
  id: 'strategy.best-of-n',
  description: 'Best-of-N: randomly scrambled, recapitalised and noised copies of the request, each judged, until one succeeds.',
  reference: 'https://arxiv.org/abs/2412.03556',
  needsAttacker: false,
  parameters: BestOfNParamsSchema,
  presets: { paper: {}, small: { n: 100 } },
  maxQueries: (params) => params.n,
  run: runBestOfN,
});

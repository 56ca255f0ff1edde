import { z } from 'zod';
import type { AttackVector } from '../../spec/attack-vector.js';
import type { Message } from '../../spec/message.js';
import { defineStrategy, type StrategyContext, type StrategyOutcome, type Turn } from '../../spec/strategy.js';
import { attackRegistry } from '../registry.js';
import { askAttacker, attackerSettings, newModelCounters } from './ask-model.js';
import { parseGoatReply } from './parse-attacker-reply.js';
import { neutralizeStrategyMarkers } from './prompt-markers.js';
import { fillStrategyTemplate, strategyPrompts } from './strategy-prompts.js';
import { turnFeedbackMessage } from './attacker-messages.js';
import { attackerRecord, queryAndJudge, runTrajectory, turnJudgement, turnResponse } from './trajectory.js';

/**
 * The default toolbox: our vectors closest to the paper's seven techniques (refusal suppression, response priming,
 * persona modification, hypothetical, topic splitting; it has none for dual response and opposite intent), plus a few
 * of ours, and `direct` for a plain follow-up message. First is the fallback order.
 */
export const GOAT_DEFAULT_TOOLBOX = [
  'roleplay.character',
  'framing.hypothetical',
  'output-control.refusal-suppression',
  'output-control.prefix-injection',
  'structure.distractor',
  'roleplay.grandma',
  'framing.fiction',
  'framing.past-tense',
  'persuasion.authority',
  'direct',
] as const;

/** `default`, `all` (every vector that needs no helper model) or vector ids separated by `|`. */
const ToolboxSchema = z
  .string()
  .min(1)
  .superRefine((value, context) => {
    if (value === 'default' || value === 'all') return;
    for (const id of value.split('|').map((part) => part.trim())) {
      if (!attackRegistry.has(id)) context.addIssue({ code: 'custom', message: `unknown attack vector '${id}' (see 'redcard list attacks')` });
      else if (attackRegistry.get(id).needsHelper) context.addIssue({ code: 'custom', message: `'${id}' needs a helper model and cannot be in the toolbox` });
    }
  });

/** GOAT's parameters; defaults are the paper's (docs/strategies.md cites each). */
export const GoatParamsSchema = z
  .object({
    /** Turns of conversation at most. */
    maxTurns: z.number().int().min(1).max(50).default(5),
    /** The techniques the attacker may pick from. */
    toolbox: ToolboxSchema.default('default'),
    ...attackerSettings,
  })
  .strict();
export type GoatParams = z.infer<typeof GoatParamsSchema>;

/** The toolbox's vectors, in order. */
export function goatToolbox(toolbox: string, vectors: { get(id: string): AttackVector; list(): AttackVector[] }): AttackVector[] {
  const available = vectors.list().filter((vector) => !vector.needsHelper);
  if (toolbox === 'all') return available;
  const ids = toolbox === 'default' ? [...GOAT_DEFAULT_TOOLBOX] : toolbox.split('|').map((part) => part.trim());
  return ids.filter((id) => available.some((vector) => vector.id === id)).map((id) => vectors.get(id));
}

function systemMessage(goal: string, maxTurns: number, toolbox: AttackVector[]): Message {
  const prompt = strategyPrompts().goat;
  const list = toolbox.map((vector) => `- ${vector.id}: ${vector.id === 'direct' ? 'no technique: your message is sent exactly as you write it.' : vector.description}`).join('\n');
  return {
    role: 'system',
    content: fillStrategyTemplate(prompt.system, { goal: neutralizeStrategyMarkers(goal), maxTurns: String(maxTurns), toolbox: list, replyFormat: prompt.replyFormat }),
  };
}

/**
 * GOAT: a multi-turn attacker that, each turn, observes the target's last answer, reasons, and picks one technique
 * from a toolbox of redcard's static vectors; the chosen vector is applied to the message it writes, in the
 * conversation so far (its decoding, if any, is applied to the answer before judging). Success if any answer is
 * judged harmful.
 */
async function runGoat(context: StrategyContext<GoatParams>): Promise<StrategyOutcome> {
  const { params } = context;
  const counters = newModelCounters();
  const toolbox = goatToolbox(params.toolbox, context.vectors);
  const ids = toolbox.map((vector) => vector.id);
  const fallbackOrder = toolbox.filter((vector) => vector.id !== 'direct');
  const system = systemMessage(context.goal, params.maxTurns, toolbox);
  const prompt = strategyPrompts().goat;
  const exchanges: Message[] = [{ role: 'user', content: fillStrategyTemplate(prompt.opening, { maxTurns: String(params.maxTurns) }) }];
  let targetView: Message[] = [];
  return runTrajectory(
    context,
    'best',
    async (trajectory) => {
      if (toolbox.length === 0) return 'attacker-failed';
      for (let turn = 0; turn < params.maxTurns; turn += 1) {
        if (!context.budget.canQuery()) return 'budget';
        const answer = await askAttacker(context, [system, ...exchanges], (reply) => parseGoatReply(reply, ids), prompt.replyFormat, counters);
        let vector: AttackVector;
        let text: string;
        let attacker: NonNullable<Turn['attacker']>;
        if (answer.ok) {
          vector = context.vectors.get(answer.value.technique);
          text = answer.value.prompt;
          attacker = attackerRecord(answer, { technique: vector.id, improvement: [answer.value.observation, answer.value.thought].filter(Boolean).join(' ') });
          exchanges.push({ role: 'assistant', content: answer.reply });
        } else {
          vector = (fallbackOrder.length > 0 ? fallbackOrder : toolbox)[turn % (fallbackOrder.length || toolbox.length)];
          text = context.goal;
          trajectory.count('attackerFallbacks');
          attacker = attackerRecord(answer, { technique: vector.id, fallback: `technique:${vector.id}` });
          exchanges.push({ role: 'assistant', content: JSON.stringify({ observation: '(no usable reply)', thought: `redcard applied the fallback technique ${vector.id} to the goal`, technique: vector.id, prompt: text }) });
        }
        const conversation = await vector.apply({ behavior: context.behavior, conversation: [...targetView, { role: 'user', content: text }], sample: context.sample + turn });
        const decode = vector.decodesResponse && vector.decodeResponse ? async (raw: string) => vector.decodeResponse!(raw, {}) : undefined;
        const { reply, judgement } = await queryAndJudge(context, conversation, decode);
        await trajectory.record({
          stream: null,
          parent: null,
          step: turn,
          attacker,
          messages: conversation,
          response: turnResponse(reply),
          judgement: turnJudgement(judgement),
          pruned: null,
        });
        trajectory.count(`technique:${vector.id}`);
        if (judgement.success) return 'success';
        targetView = [...conversation, { role: 'assistant', content: reply.text }];
        exchanges.push(turnFeedbackMessage(prompt.answered, turn + 2, params.maxTurns, reply, judgement));
      }
      return 'exhausted';
    },
    (trajectory) => trajectory.addCounters('attacker', counters),
  );
}

/** `strategy.goat`. */
export const goat = defineStrategy<GoatParams>({
  id: 'strategy.goat',
  description: 'GOAT: a multi-turn attacker that picks, each turn, one technique from a toolbox of static vectors, with a written rationale.',
  reference: 'https://arxiv.org/abs/2410.01606',
  needsAttacker: true,
  parameters: GoatParamsSchema,
  presets: { paper: {}, all: { toolbox: 'all' } },
  maxQueries: (params) => params.maxTurns,
  run: runGoat,
});

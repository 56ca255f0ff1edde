import { z } from 'zod';
import { DatasetError } from '../../spec/errors.js';
import { dataPath } from '../../util/paths.js';
import { readAttackData } from '../attack-data.js';
import { renderTemplate } from '../../judges/model/render-template.js';

const text = z.string().min(1);

/** `attacker-refine.json`: the PAIR and TAP attacker. */
const RefinePromptSchema = z.object({
  description: text,
  replyFormat: text,
  system: text,
  opening: text,
  feedback: text,
  candidateNote: text,
  approaches: z.array(text).min(1),
});

/** `attacker-crescendo.json` and `attacker-goat.json`: one conversation, a message per turn. */
const TurnPromptSchema = z.object({
  description: text,
  replyFormat: text,
  system: text,
  opening: text,
  answered: text,
  refused: text.optional(),
});

/** `evaluator-on-topic.json` and `rater.json`: a system prompt and one user message per check. */
const CheckPromptSchema = z.object({ description: text, replyFormat: text, system: text, user: text });

/** `common.json`. */
const CommonSchema = z.object({
  description: text,
  retry: text,
  refusalPatterns: z.array(text).min(1),
  fallbackVectors: z.array(text).min(1),
  answerChars: z.number().int().positive(),
});

export type RefinePrompt = z.infer<typeof RefinePromptSchema>;
export type TurnPrompt = z.infer<typeof TurnPromptSchema>;
export type CheckPrompt = z.infer<typeof CheckPromptSchema>;
export type CommonPrompt = z.infer<typeof CommonSchema> & { refusal: RegExp[] };

/** Every prompt the strategies send, from `data/attacks/strategies/`. */
export interface StrategyPrompts {
  refine: RefinePrompt;
  crescendo: TurnPrompt;
  goat: TurnPrompt;
  onTopic: CheckPrompt;
  rater: CheckPrompt;
  common: CommonPrompt;
}

function load<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(readAttackData<unknown>(`strategies/${file}`));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(`field '${issue.path.join('.') || '(root)'}': ${issue.message}`, dataPath('attacks', 'strategies', file));
  }
  return parsed.data;
}

let prompts: StrategyPrompts | undefined;

/**
 * The strategy prompts, read and checked once. A malformed file is a DatasetError naming the file and field.
 *
 * @example
 * strategyPrompts().refine.replyFormat // 'REPLY FORMAT: one JSON object …'
 */
export function strategyPrompts(): StrategyPrompts {
  if (prompts) return prompts;
  const common = load('common.json', CommonSchema);
  prompts = {
    refine: load('attacker-refine.json', RefinePromptSchema),
    crescendo: load('attacker-crescendo.json', TurnPromptSchema),
    goat: load('attacker-goat.json', TurnPromptSchema),
    onTopic: load('evaluator-on-topic.json', CheckPromptSchema),
    rater: load('rater.json', CheckPromptSchema),
    common: { ...common, refusal: common.refusalPatterns.map((pattern) => new RegExp(pattern, 'i')) },
  };
  return prompts;
}

/**
 * Fill a strategy template's `{{key}}` placeholders in one pass (inserted text is never expanded again).
 *
 * @example
 * fillStrategyTemplate('Turn {{turn}}', { turn: '2' }) // 'Turn 2'
 */
export function fillStrategyTemplate(template: string, values: Record<string, string>): string {
  return renderTemplate(template, values);
}

/**
 * An answer shortened for a prompt: at most `answerChars` characters (common.json), marked when cut.
 *
 * @example
 * clipForPrompt('x'.repeat(5000)).length // answerChars + the marker
 */
export function clipForPrompt(answer: string): string {
  const limit = strategyPrompts().common.answerChars;
  return answer.length > limit ? `${answer.slice(0, limit)}\n[… answer cut at ${limit} characters]` : answer;
}

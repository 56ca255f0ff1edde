import {
  CANDIDATE_BEGIN,
  CANDIDATE_END,
  GOAL_BEGIN,
  GOAL_END,
  RATED_ANSWER_BEGIN,
  RATED_ANSWER_END,
  TARGET_ANSWER_BEGIN,
  textBetween,
} from '../../attacks/strategies/prompt-markers.js';
import { strategyPrompts } from '../../attacks/strategies/strategy-prompts.js';

type ChatMessage = { role: string; content: string };

/** What the attacker saw of one of its earlier prompts: the technique it used (its own replies name it) and the rating. */
export interface EarlierAttempt {
  technique?: string;
  rating?: number;
}

/** A recognised strategy prompt: which one, and what the simulator needs from it. */
export type StrategyPrompt =
  | { kind: 'refine'; goal: string; approach: number; earlier: EarlierAttempt[]; lastRating?: number; candidate: number }
  | { kind: 'crescendo'; goal: string; answered: number; refusals: number; lastRefused: boolean; lastRating?: number }
  | { kind: 'goat'; goal: string; toolbox: string[]; earlier: EarlierAttempt[]; lastRating?: number }
  | { kind: 'on-topic'; goal: string; candidate: string }
  | { kind: 'rater'; goal: string; answer: string };

/** A template's fixed text as a pattern, its `{{key}}` placeholders capturing digits. */
function templatePattern(template: string): RegExp {
  const escaped = template.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\\\{\\\{[a-zA-Z]+\\\}\\\}/g, '(\\d+)'));
}

const RATING_LINE = /^RATING: (\d+)$/m;

function ratingOf(message: ChatMessage | undefined): number | undefined {
  const match = message === undefined ? null : RATING_LINE.exec(message.content);
  return match ? Number(match[1]) : undefined;
}

/** The technique the simulator's own earlier reply named (it adds a `technique` field to its JSON). */
function techniqueOf(message: ChatMessage): string | undefined {
  const match = /"technique":\s*"([^"]+)"/.exec(message.content);
  return match?.[1];
}

/** Each earlier attacker reply with the rating the following feedback gave it. */
function earlierAttempts(conversation: ChatMessage[]): EarlierAttempt[] {
  const earlier: EarlierAttempt[] = [];
  for (let index = 0; index < conversation.length; index += 1) {
    if (conversation[index].role !== 'assistant') continue;
    earlier.push({ technique: techniqueOf(conversation[index]), rating: ratingOf(conversation[index + 1]) });
  }
  return earlier;
}

/**
 * Recognise one of redcard's strategy prompts by structure, never by free wording: the attacker prompts by the
 * reply-format line of their file in their system message, the evaluator and rater prompts by their blocks' markers
 * and reply-format line. Facts come from markers (goal, answers), `RATING:` lines and the sim's own earlier replies;
 * TAP's candidate number from the file's own candidate note. Anything else is undefined.
 *
 * @example
 * recogniseStrategyPrompt([{ role: 'system', content: pairSystemPrompt }, { role: 'user', content: 'Write your first prompt for the goal.' }])?.kind // 'refine'
 */
export function recogniseStrategyPrompt(messages: ReadonlyArray<ChatMessage>): StrategyPrompt | undefined {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user') return undefined;
  const prompts = strategyPrompts();
  const system = messages[0]?.role === 'system' ? messages[0].content : '';
  const conversation = messages.slice(system === '' ? 0 : 1);
  if (system !== '') {
    const goal = textBetween(system, GOAL_BEGIN, GOAL_END);
    if (goal !== undefined && system.includes(prompts.refine.replyFormat)) {
      const approach = prompts.refine.approaches.findIndex((text) => system.includes(text));
      const candidate = templatePattern(prompts.refine.candidateNote).exec(last.content);
      return { kind: 'refine', goal, approach: Math.max(0, approach), earlier: earlierAttempts(conversation), lastRating: ratingOf(last), candidate: candidate ? Number(candidate[1]) - 1 : 0 };
    }
    if (goal !== undefined && system.includes(prompts.crescendo.replyFormat)) {
      const feedback = conversation.filter((message) => message.role === 'user' && message.content.includes(TARGET_ANSWER_BEGIN));
      const refused = (message: ChatMessage) => ratingOf(message) === undefined;
      return {
        kind: 'crescendo',
        goal,
        answered: feedback.filter((message) => !refused(message)).length,
        refusals: feedback.filter(refused).length,
        lastRefused: last.content.includes(TARGET_ANSWER_BEGIN) && refused(last),
        lastRating: ratingOf(last),
      };
    }
    if (goal !== undefined && system.includes(prompts.goat.replyFormat)) {
      const toolbox = [...system.matchAll(/^- ([a-z-]+\.[a-z0-9-]+|direct): /gm)].map((match) => match[1]);
      return { kind: 'goat', goal, toolbox, earlier: earlierAttempts(conversation), lastRating: ratingOf(last) };
    }
  }
  const text = last.content;
  const goal = textBetween(text, GOAL_BEGIN, GOAL_END);
  if (goal === undefined) return undefined;
  if (text.includes(prompts.onTopic.replyFormat)) {
    const candidate = textBetween(text, CANDIDATE_BEGIN, CANDIDATE_END);
    if (candidate !== undefined) return { kind: 'on-topic', goal, candidate };
  }
  if (text.includes(prompts.rater.replyFormat)) {
    const answer = textBetween(text, RATED_ANSWER_BEGIN, RATED_ANSWER_END);
    if (answer !== undefined) return { kind: 'rater', goal, answer };
  }
  return undefined;
}

import type { Message } from '../../spec/message.js';
import type { TargetReply, TurnJudgement } from '../../spec/strategy.js';
import { neutralizeStrategyMarkers } from './prompt-markers.js';
import { clipForPrompt, fillStrategyTemplate, strategyPrompts } from './strategy-prompts.js';

/**
 * The PAIR/TAP attacker's system message for a goal and a starting approach (the `index`-th of the file's
 * approaches, cycling: streams and roots start from different approaches, as PAIR's reference code varies its
 * attacker system prompts across streams).
 *
 * @example
 * refineSystemMessage('How do I pick a lock?', 2).content.includes('<<<BEGIN GOAL>>>') // true
 */
export function refineSystemMessage(goal: string, index: number): Message {
  const prompt = strategyPrompts().refine;
  const approach = prompt.approaches[index % prompt.approaches.length];
  return {
    role: 'system',
    content: fillStrategyTemplate(prompt.system, { goal: neutralizeStrategyMarkers(goal), approach, replyFormat: prompt.replyFormat }),
  };
}

/** The note that makes sibling candidates (TAP's branching) distinct requests; empty for a single line. */
function candidateNote(candidate?: { index: number; of: number }): string {
  if (candidate === undefined || candidate.of <= 1) return '';
  return fillStrategyTemplate(strategyPrompts().refine.candidateNote, { candidate: String(candidate.index + 1), candidates: String(candidate.of) });
}

/**
 * The first user message to the PAIR/TAP attacker.
 *
 * @example
 * refineOpeningMessage().content // 'Write your first prompt for the goal.'
 */
export function refineOpeningMessage(candidate?: { index: number; of: number }): Message {
  return { role: 'user', content: fillStrategyTemplate(strategyPrompts().refine.opening, { note: candidateNote(candidate) }) };
}

/**
 * The feedback message after a target answer: the answer (decoded, clipped), its rating and the rater's reason.
 *
 * @example
 * refineFeedbackMessage(reply, judgement).content.includes('RATING: 3') // true
 */
export function refineFeedbackMessage(reply: TargetReply, judgement: TurnJudgement, candidate?: { index: number; of: number }): Message {
  return {
    role: 'user',
    content: fillStrategyTemplate(strategyPrompts().refine.feedback, {
      answer: neutralizeStrategyMarkers(clipForPrompt(reply.decodedText)),
      rating: String(judgement.rating),
      rationale: neutralizeStrategyMarkers(judgement.rationale.replace(/\s+/g, ' ').trim() || 'none given'),
      note: candidateNote(candidate),
    }),
  };
}

/**
 * The attacker's history as sent: the system message and the last `keep` exchanges (PAIR's and TAP's `keep_last_n`),
 * always starting with a user message.
 *
 * @example
 * attackerHistory(system, exchanges, 4)
 */
export function attackerHistory(system: Message, exchanges: readonly Message[], keep: number): Message[] {
  const tail = exchanges.slice(Math.max(0, exchanges.length - (2 * keep - 1)));
  return [system, ...(tail[0]?.role === 'assistant' ? tail.slice(1) : tail)];
}

/** What the attacker's history shows for a turn whose prompt came from a fallback (so it sees what was sent). */
export function fallbackExchange(prompt: string, fallback: string): Message {
  return { role: 'assistant', content: JSON.stringify({ improvement: `(no usable reply: redcard sent a fallback prompt, ${fallback})`, prompt }) };
}

/**
 * A multi-turn attacker's instruction after a target answer (Crescendo, GOAT): `template` filled with the next turn's
 * number (1-based), the turn limit, the answer (decoded, clipped) and, when it was judged, its rating and reason.
 *
 * @example
 * turnFeedbackMessage(strategyPrompts().goat.answered, 2, 5, reply, judgement)
 */
export function turnFeedbackMessage(template: string, nextTurn: number, maxTurns: number, reply: TargetReply, judgement?: Pick<TurnJudgement, 'rating' | 'rationale'>): Message {
  return {
    role: 'user',
    content: fillStrategyTemplate(template, {
      turn: String(nextTurn),
      maxTurns: String(maxTurns),
      answer: neutralizeStrategyMarkers(clipForPrompt(reply.decodedText)),
      rating: String(judgement?.rating ?? 1),
      rationale: neutralizeStrategyMarkers(judgement?.rationale ?? ''),
    }),
  };
}

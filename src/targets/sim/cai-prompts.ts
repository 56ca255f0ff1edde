import { loadFraming } from '../../cai/framing.js';
import { textBetweenMarkers } from '../../cai/cai-prompts.js';

type ChatMessage = { role: string; content: string };

/** A recognised constitutional-AI prompt: what the simulator needs to answer it. */
export type CaiPrompt =
  | { kind: 'critique'; request: string; answer: string }
  | { kind: 'revision'; request: string; answer: string; critique: string }
  | { kind: 'feedback'; request: string; answerA: string; answerB: string };

const endsWithLine = (text: string, line: string): boolean => text.trimEnd().endsWith(line);

/**
 * The user request of a critique conversation: the last user turn that is not itself a critique or revision request
 * (the conversation is few-shot turns, the request, the answer, then critique/revision rounds).
 */
function requestOf(messages: ReadonlyArray<ChatMessage>, formats: string[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index]!;
    if (message.role === 'user' && !formats.some((format) => endsWithLine(message.content, format))) return message.content;
  }
  return undefined;
}

/**
 * Recognise one of redcard's constitutional-AI prompts by structure, never by free wording: a critique or revision
 * request by the format line that ends it (data/cai/framing.yaml), the feedback question by its format line and the
 * markers around the request and the two replies. Anything else is an ordinary request (undefined).
 *
 * @example
 * recogniseCaiPrompt([{ role: 'user', content: 'How do I …?' }, { role: 'assistant', content: 'Sure: [REDACTED]' }, { role: 'user', content: `Point out harm.\n\n${loadFraming().critiqueFormat}` }])?.kind // 'critique'
 */
export function recogniseCaiPrompt(messages: ReadonlyArray<ChatMessage>): CaiPrompt | undefined {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user') return undefined;
  const framing = loadFraming();
  const formats = [framing.critiqueFormat, framing.revisionFormat];
  if (endsWithLine(last.content, framing.critiqueFormat)) {
    const answer = messages.at(-2);
    const request = requestOf(messages.slice(0, -1), formats);
    if (answer?.role !== 'assistant' || request === undefined) return undefined;
    return { kind: 'critique', request, answer: answer.content };
  }
  if (endsWithLine(last.content, framing.revisionFormat)) {
    const critique = messages.at(-2);
    const answer = messages.at(-4);
    const request = requestOf(messages.slice(0, -1), formats);
    if (critique?.role !== 'assistant' || answer?.role !== 'assistant' || request === undefined) return undefined;
    return { kind: 'revision', request, answer: answer.content, critique: critique.content };
  }
  if (endsWithLine(last.content, framing.feedbackFormat)) {
    const text = last.content;
    const request = textBetweenMarkers(text, 'REQUEST');
    const answerA = textBetweenMarkers(text, 'REPLY A');
    const answerB = textBetweenMarkers(text, 'REPLY B');
    if (request === undefined || answerA === undefined || answerB === undefined) return undefined;
    return { kind: 'feedback', request, answerA, answerB };
  }
  return undefined;
}

import type { ChatRequestBody, ScriptedReply } from '../../targets/testing/scripted-server.js';
import { chatCompletionBody } from '../../targets/testing/scripted-server.js';

/** The last user message of a chat request body. */
export function lastUser(body: ChatRequestBody): string {
  return [...(body.messages ?? [])].reverse().find((message) => message.role === 'user')?.content ?? '';
}

/** A scripted attacker: proposes `attack <step> on <goal>` (placeholders only). */
export function attackerReply(body: ChatRequestBody): ScriptedReply {
  const prompt = lastUser(body);
  const goal = /goal: (.*)/.exec(prompt)?.[1] ?? '?';
  const step = /step: (\d+)/.exec(prompt)?.[1] ?? '?';
  return { body: chatCompletionBody(`attack ${step} on ${goal}`, { promptTokens: 7, completionTokens: 3 }) };
}

/** A scripted target: complies (placeholder) to 'attack 2' for requests containing 'number 1', refuses otherwise. */
export function targetReply(body: ChatRequestBody): ScriptedReply {
  const prompt = lastUser(body);
  const complies = /^attack 2 on .*number 1$/.test(prompt);
  return { body: chatCompletionBody(complies ? 'Sure, here is how: [REDACTED]' : "I can't help with that.", { promptTokens: 11, completionTokens: 5 }) };
}

/** A scripted rubric judge (the llm judge's format): harmful when the answer it is shown starts with 'Sure'. */
export function judgeReply(body: ChatRequestBody): ScriptedReply {
  const prompt = lastUser(body);
  const harmful = /Sure, here is how/.test(prompt);
  return {
    body: chatCompletionBody(harmful ? 'VERDICT: harmful\nLABEL: compliance\nREASON: gave steps' : 'VERDICT: not_harmful\nLABEL: refusal\nREASON: declined', { promptTokens: 20, completionTokens: 8 }),
  };
}

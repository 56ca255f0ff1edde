import { RESPONSE_BEGIN, RESPONSE_END } from '../../judges/model/delimit-response.js';

/** The judge prompt formats the simulator can answer (those redcard's model judges send). */
export type JudgePromptKind = 'llm-harmful' | 'llm-benign' | 'strongreject' | 'llama-guard';

/** A recognised judge request: its format, the answer under review, and the request that answer was given to. */
export interface JudgePrompt {
  kind: JudgePromptKind;
  answer: string;
  request: string;
}

/** Reply-format lines the rubric prompts end with: they say which parser reads the reply. */
const VERDICT_FORMAT = /^VERDICT: harmful or not_harmful$/m;
const REFUSED_FORMAT = /^REFUSED: 0 or 1$/m;
const LABEL_FORMAT = /^LABEL: refusal or compliance or partial$/m;
/** Llama Guard 3's conversation block and its final instruction (model card prompt format). */
const LLAMA_GUARD_CONVERSATION = /<BEGIN CONVERSATION>\s*\n\s*User: ([\s\S]*?)\n\s*Agent: ([\s\S]*?)\n\s*<END CONVERSATION>/;
const LLAMA_GUARD_TASK = /safety assessment for ONLY THE LAST Agent message/;

/** Text between the last `begin` and the `end` after it (the instructions name the markers before the block). */
function between(text: string, begin: string, end: string): string | undefined {
  const stop = text.lastIndexOf(end);
  const start = text.lastIndexOf(begin, stop);
  if (start === -1 || stop === -1 || stop < start) return undefined;
  return text.slice(start + begin.length, stop).replace(/^\n/, '').replace(/\n$/, '');
}

/**
 * Recognise one of redcard's judge prompts by structural markers, never by free wording: the rubric prompts by the
 * answer-under-review delimiters plus the reply format they ask for; Llama Guard's prompt format by its conversation
 * block and task line; Llama Guard's chat format by a conversation whose last turn is the assistant's (a model under
 * test is never asked to continue after its own turn). Anything else is an ordinary request (undefined).
 *
 * @example
 * recogniseJudgePrompt([{ role: 'user', content: 'How do I …?' }, { role: 'assistant', content: "I can't help." }])?.kind // 'llama-guard'
 */
export function recogniseJudgePrompt(messages: ReadonlyArray<{ role: string; content: string }>): JudgePrompt | undefined {
  const last = messages.at(-1);
  if (last === undefined) return undefined;
  if (last.role === 'assistant') {
    const user = [...messages].reverse().find((message) => message.role === 'user');
    return user === undefined ? undefined : { kind: 'llama-guard', answer: last.content, request: user.content };
  }
  const text = last.content;
  if (text.includes(RESPONSE_BEGIN) && text.includes(RESPONSE_END)) {
    const answer = between(text, RESPONSE_BEGIN, RESPONSE_END);
    if (answer === undefined) return undefined;
    const request = text.slice(0, text.lastIndexOf(RESPONSE_BEGIN));
    if (VERDICT_FORMAT.test(text)) return { kind: 'llm-harmful', answer, request };
    if (REFUSED_FORMAT.test(text)) return { kind: 'strongreject', answer, request };
    if (LABEL_FORMAT.test(text)) return { kind: 'llm-benign', answer, request };
    return undefined;
  }
  if (LLAMA_GUARD_TASK.test(text)) {
    const conversation = LLAMA_GUARD_CONVERSATION.exec(text);
    if (conversation !== null) return { kind: 'llama-guard', answer: conversation[2], request: conversation[1] };
  }
  return undefined;
}

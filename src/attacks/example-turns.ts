import type { Message } from '../spec/message.js';
import { pickVariant, templateList } from './attack-data.js';

/**
 * Fake earlier exchanges for few-shot and many-shot vectors: placeholder questions each answered by an assistant that
 * appears to comply. The answers are placeholders (`[REDACTED]`), never real content; what the vector tests is
 * whether the pattern of compliance carries over. Rotated by `sample` so samples differ deterministically.
 *
 * @example
 * exampleTurns(3, 0).length // 6 (three user/assistant pairs)
 */
export function exampleTurns(count: number, sample: number): Message[] {
  const questions = templateList('structure.examples', 'questions');
  const answers = templateList('structure.examples', 'answers');
  const turns: Message[] = [];
  for (let index = 0; index < count; index += 1) {
    turns.push({ role: 'user', content: pickVariant(questions, sample + index) });
    turns.push({ role: 'assistant', content: pickVariant(answers, sample + index) });
  }
  return turns;
}

import type { Conversation, Message } from '../spec/message.js';
import { DatasetError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';
import { pickVariant, templateEntry, templateList } from './attack-data.js';

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

/**
 * The conversation with `shots` example exchanges (the count is the vector's `shots` entry in
 * `data/attacks/templates.json`) inserted after any leading system messages, before the user's turn.
 *
 * @example
 * withExampleTurns('structure.few-shot', [{ role: 'user', content: 'q' }], 0)
 */
export function withExampleTurns(vectorId: string, conversation: Conversation, sample: number): Conversation {
  const shots = templateEntry(vectorId).shots;
  if (typeof shots !== 'number' || !Number.isInteger(shots) || shots < 1) {
    throw new DatasetError(`'${vectorId}.shots' must be a positive integer`, dataPath('attacks', 'templates.json'));
  }
  const firstTurn = conversation.findIndex((message) => message.role !== 'system');
  const at = firstTurn === -1 ? conversation.length : firstTurn;
  return [...conversation.slice(0, at), ...exampleTurns(shots, sample), ...conversation.slice(at)];
}

import type { AttackVector } from '../../spec/attack-vector.js';
import type { Behavior } from '../../spec/behavior.js';
import type { Conversation } from '../../spec/message.js';
import { strategyPrompts } from './strategy-prompts.js';

/**
 * A conversation built by a static vector flattened into one user message: system text and example turns first,
 * then the final request. Strategies whose target sees one prompt (PAIR, TAP) send vectors' output this way.
 *
 * @example
 * flattenConversation([{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'hi' }]) // 'Be terse.\n\nhi'
 */
export function flattenConversation(conversation: Conversation): string {
  if (conversation.length === 1) return conversation[0].content;
  return conversation
    .map((message, index) => (message.role === 'system' || index === conversation.length - 1 ? message.content : `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content}`))
    .join('\n\n');
}

/**
 * The documented fallback when an attacker gave no usable reply after its tries: the `index`-th vector of
 * `fallbackVectors` in data/attacks/strategies/common.json (cycling; vectors not available are skipped) applied to
 * `text` (the goal, or the attacker's last usable prompt). Returns the prompt and the fallback's name for the record.
 *
 * @example
 * await fallbackPrompt(vectors, behavior, behavior.text, 0, 0) // { prompt: '…', fallback: 'vector:roleplay.character' }
 */
export async function fallbackPrompt(
  vectors: { get(id: string): AttackVector; list(): AttackVector[] },
  behavior: Behavior,
  text: string,
  index: number,
  sample: number,
): Promise<{ prompt: string; fallback: string; vector: AttackVector }> {
  const known = new Set(vectors.list().map((vector) => vector.id));
  const ids = strategyPrompts().common.fallbackVectors.filter((id) => known.has(id));
  const id = ids.length > 0 ? ids[index % ids.length] : 'direct';
  const vector = known.has(id) ? vectors.get(id) : vectors.list()[0];
  const conversation = await vector.apply({ behavior, conversation: [{ role: 'user', content: text }], sample });
  return { prompt: flattenConversation(conversation), fallback: `vector:${vector.id}`, vector };
}

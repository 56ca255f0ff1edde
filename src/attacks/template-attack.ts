import { defineAttack, type AttackFamily, type AttackVector } from '../spec/attack-vector.js';
import type { Conversation } from '../spec/message.js';
import { lastUserText, rewriteLastUser } from '../spec/message.js';
import { fillTemplate, pickVariant, templateEntry, templateList } from './attack-data.js';
import { requestTopic } from './past-tense.js';

/** Metadata of a vector whose wording lives in `data/attacks/templates.json` under its id. */
export interface TemplateAttackMeta {
  id: string;
  family: AttackFamily;
  description: string;
  reference: string;
  /** Extra placeholder values computed from the current user text and sample (e.g. payload halves). */
  values?: (text: string, sample: number) => Record<string, string>;
}

/**
 * Add text to the conversation's system message: appended to a leading system message when there is one
 * (chat templates often accept only one), otherwise inserted first. Later vectors keep it, since they only
 * rewrite the last user turn.
 *
 * @example
 * withSystemText([{ role: 'user', content: 'hi' }], 'Be terse.') // [{ role: 'system', … }, { role: 'user', … }]
 */
export function withSystemText(conversation: Conversation, text: string): Conversation {
  const copy = conversation.map((message) => ({ ...message }));
  if (copy[0]?.role === 'system') copy[0].content = `${copy[0].content}\n\n${text}`;
  else copy.unshift({ role: 'system', content: text });
  return copy;
}

/**
 * A vector that wraps the current user turn in a template (`{request}` is the text so far, `{topic}` the
 * same as a topic phrase), chosen per sample from
 * the entry's `variants`; an optional `system` list adds a system message.
 *
 * @example
 * export const framingFiction = defineTemplateAttack({ id: 'framing.fiction', family: 'framing',
 *   description: 'Asks for the answer as a passage of a novel.', reference: 'https://arxiv.org/abs/2308.03825' });
 */
export function defineTemplateAttack(meta: TemplateAttackMeta): AttackVector {
  return defineAttack({
    id: meta.id,
    family: meta.family,
    description: meta.description,
    reference: meta.reference,
    needsHelper: false,
    decodesResponse: false,
    apply: ({ conversation, sample }) => {
      const variant = pickVariant(templateList(meta.id, 'variants'), sample);
      const text = lastUserText(conversation);
      const values = { ...(meta.values?.(text, sample) ?? {}), request: text, topic: requestTopic(text) };
      let result = rewriteLastUser(conversation, () => fillTemplate(variant, values));
      if (templateEntry(meta.id).system !== undefined) {
        result = withSystemText(result, pickVariant(templateList(meta.id, 'system'), sample));
      }
      return result;
    },
  });
}

import { defineAttack, type AttackVector } from '../spec/attack-vector.js';
import { ConfigError } from '../spec/errors.js';
import { lastUserText, rewriteLastUser } from '../spec/message.js';
import type { Target } from '../spec/target.js';
import { fillTemplate, readAttackData } from './attack-data.js';

interface TranslationPrompts {
  toLanguage: string;
  toEnglish: string;
}

/**
 * Ask the helper model for a translation; deterministic settings so reruns agree. Returns the trimmed text.
 *
 * @example
 * await translateWithHelper(helper, 'Hello', 'Zulu')
 */
export async function translateWithHelper(helper: Target, text: string, language: string | 'English'): Promise<string> {
  const prompts = readAttackData<TranslationPrompts>('translation.json');
  const template = language === 'English' ? prompts.toEnglish : prompts.toLanguage;
  const response = await helper.generate({
    messages: [{ role: 'user', content: fillTemplate(template, { language, text }) }],
    temperature: 0,
  });
  return response.text.trim();
}

/**
 * A translation vector: the helper model translates the current user turn into a lower-resource language, and
 * translates the answer back into English before judging. Without a helper it cannot run (resolveAttackChains skips
 * it with a message; `apply` throws ConfigError if called anyway).
 *
 * @example
 * export const translationZulu = defineTranslationAttack({ id: 'translation.zulu', language: 'Zulu' });
 */
export function defineTranslationAttack(meta: { id: string; language: string }): AttackVector {
  return defineAttack({
    id: meta.id,
    family: 'translation',
    description: `Has the helper model translate the request into ${meta.language} and translates the answer back to English.`,
    reference: 'https://arxiv.org/abs/2310.02446',
    needsHelper: true,
    decodesResponse: true,
    apply: async ({ conversation, helper }) => {
      if (helper === undefined) throw new ConfigError(`'${meta.id}' needs a helper model (set --helper TARGET-SPEC)`, { field: 'helper' });
      const translated = await translateWithHelper(helper, lastUserText(conversation), meta.language);
      return rewriteLastUser(conversation, () => translated);
    },
    decodeResponse: async (text, { helper }) => {
      if (helper === undefined) throw new ConfigError(`'${meta.id}' needs a helper model to translate the answer back`, { field: 'helper' });
      if (text.trim() === '') return text;
      return translateWithHelper(helper, text, 'English');
    },
  });
}

import { defineTranslationAttack } from '../translation-attack.js';

/** Translates the request into Hmong with the helper model, and the answer back (Yong et al. 2023). */
export const translationHmong = defineTranslationAttack({ id: 'translation.hmong', language: 'Hmong' });

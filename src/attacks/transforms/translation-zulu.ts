import { defineTranslationAttack } from '../translation-attack.js';

/** Translates the request into Zulu with the helper model, and the answer back (Yong et al. 2023). */
export const translationZulu = defineTranslationAttack({ id: 'translation.zulu', language: 'Zulu' });

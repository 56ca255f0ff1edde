import { defineTranslationAttack } from '../translation-attack.js';

/** Translates the request into Scots Gaelic with the helper model, and the answer back (Yong et al. 2023). */
export const translationScotsGaelic = defineTranslationAttack({ id: 'translation.scots-gaelic', language: 'Scots Gaelic' });

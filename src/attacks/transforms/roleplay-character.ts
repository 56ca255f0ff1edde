import { defineTemplateAttack } from '../template-attack.js';

/** Casts the model as a fictional expert character who answers everything, inside a scripted scene. Wording: `data/attacks/templates.json`. */
export const roleplayCharacter = defineTemplateAttack({
  id: 'roleplay.character',
  family: 'roleplay',
  description: 'Casts the model as a fictional expert character who answers everything, inside a scripted scene.',
  reference: 'https://arxiv.org/abs/2305.13860',
});

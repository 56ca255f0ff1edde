import { defineTemplateAttack } from '../template-attack.js';

/** Persuades by emotional appeal: pleads distress and personal need. Wording: `data/attacks/templates.json`. */
export const persuasionEmotionalAppeal = defineTemplateAttack({
  id: 'persuasion.emotional-appeal',
  family: 'persuasion',
  description: 'Persuades by emotional appeal: pleads distress and personal need.',
  reference: 'https://arxiv.org/abs/2401.06373',
});

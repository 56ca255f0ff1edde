import { defineTemplateAttack } from '../template-attack.js';

/** Persuades by social proof: claims everyone else gets this answer. Wording: `data/attacks/templates.json`. */
export const persuasionSocialProof = defineTemplateAttack({
  id: 'persuasion.social-proof',
  family: 'persuasion',
  description: 'Persuades by social proof: claims everyone else gets this answer.',
  reference: 'https://arxiv.org/abs/2401.06373',
});

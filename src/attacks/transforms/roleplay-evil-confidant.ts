import { defineTemplateAttack } from '../template-attack.js';

/** Asks the model to become an amoral confidant who never refuses or moralises. Wording: `data/attacks/templates.json`. */
export const roleplayEvilConfidant = defineTemplateAttack({
  id: 'roleplay.evil-confidant',
  family: 'roleplay',
  description: 'Asks the model to become an amoral confidant who never refuses or moralises.',
  reference: 'https://arxiv.org/abs/2308.03825',
});

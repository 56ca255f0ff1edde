import { defineTemplateAttack } from '../template-attack.js';

/** Asks the model to play the user's late grandmother retelling a bedtime story about the request. Wording: `data/attacks/templates.json`. */
export const roleplayGrandma = defineTemplateAttack({
  id: 'roleplay.grandma',
  family: 'roleplay',
  description: "Asks the model to play the user's late grandmother retelling a bedtime story about the request.",
  reference: 'https://arxiv.org/abs/2308.03825',
});

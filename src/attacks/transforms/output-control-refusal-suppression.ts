import { defineTemplateAttack } from '../template-attack.js';

/** Forbids apologies, disclaimers and the words refusals are made of. Wording: `data/attacks/templates.json`. */
export const outputControlRefusalSuppression = defineTemplateAttack({
  id: 'output-control.refusal-suppression',
  family: 'output-control',
  description: 'Forbids apologies, disclaimers and the words refusals are made of.',
  reference: 'https://arxiv.org/abs/2307.02483',
});

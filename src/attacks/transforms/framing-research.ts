import { defineTemplateAttack } from '../template-attack.js';

/** Frames the request as material for ethics-approved academic research or teaching. Wording: `data/attacks/templates.json`. */
export const framingResearch = defineTemplateAttack({
  id: 'framing.research',
  family: 'framing',
  description: 'Frames the request as material for ethics-approved academic research or teaching.',
  reference: 'https://arxiv.org/abs/2305.13860',
});

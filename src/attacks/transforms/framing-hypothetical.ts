import { defineTemplateAttack } from '../template-attack.js';

/** Frames the request as a thought experiment or a hypothetical world where it would be harmless. Wording: `data/attacks/templates.json`. */
export const framingHypothetical = defineTemplateAttack({
  id: 'framing.hypothetical',
  family: 'framing',
  description: 'Frames the request as a thought experiment or a hypothetical world where it would be harmless.',
  reference: 'https://arxiv.org/abs/2307.02483',
});

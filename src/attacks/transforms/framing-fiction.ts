import { defineTemplateAttack } from '../template-attack.js';

/** Presents the request as a passage needed for a novel or short story, asking for realistic detail. Wording: `data/attacks/templates.json`. */
export const framingFiction = defineTemplateAttack({
  id: 'framing.fiction',
  family: 'framing',
  description: 'Presents the request as a passage needed for a novel or short story, asking for realistic detail.',
  reference: 'https://arxiv.org/abs/2305.13860',
});

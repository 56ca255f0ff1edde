import { defineTemplateAttack } from '../template-attack.js';

/** Persuades by authority: invokes experts and institutions that endorse answering. Wording: `data/attacks/templates.json`. */
export const persuasionAuthority = defineTemplateAttack({
  id: 'persuasion.authority',
  family: 'persuasion',
  description: 'Persuades by authority: invokes experts and institutions that endorse answering.',
  reference: 'https://arxiv.org/abs/2401.06373',
});

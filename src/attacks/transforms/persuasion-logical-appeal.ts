import { defineTemplateAttack } from '../template-attack.js';

/** Persuades by logical appeal: argues step by step that answering does more good than harm. Wording: `data/attacks/templates.json`. */
export const persuasionLogicalAppeal = defineTemplateAttack({
  id: 'persuasion.logical-appeal',
  family: 'persuasion',
  description: 'Persuades by logical appeal: argues step by step that answering does more good than harm.',
  reference: 'https://arxiv.org/abs/2401.06373',
});

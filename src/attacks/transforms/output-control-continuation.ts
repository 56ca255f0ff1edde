import { defineTemplateAttack } from '../template-attack.js';

/** Presents the request as the start of a document whose answer is already under way, and asks the model to continue it. Wording: `data/attacks/templates.json`. */
export const outputControlContinuation = defineTemplateAttack({
  id: 'output-control.continuation',
  family: 'output-control',
  description: 'Presents the request as the start of a document whose answer is already under way, and asks the model to continue it.',
  reference: 'https://arxiv.org/abs/2307.02483',
});

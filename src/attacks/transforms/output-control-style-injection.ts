import { defineTemplateAttack } from '../template-attack.js';

/** Asks for the answer in a constrained style: a poem, a JSON object or a code block. Wording: `data/attacks/templates.json`. */
export const outputControlStyleInjection = defineTemplateAttack({
  id: 'output-control.style-injection',
  family: 'output-control',
  description: 'Asks for the answer in a constrained style: a poem, a JSON object or a code block.',
  reference: 'https://arxiv.org/abs/2307.02483',
});

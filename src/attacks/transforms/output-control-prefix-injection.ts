import { defineTemplateAttack } from '../template-attack.js';

/** Asks the model to start its reply with an affirmative prefix such as "Sure, here is". Wording: `data/attacks/templates.json`. */
export const outputControlPrefixInjection = defineTemplateAttack({
  id: 'output-control.prefix-injection',
  family: 'output-control',
  description: 'Asks the model to start its reply with an affirmative prefix such as "Sure, here is".',
  reference: 'https://arxiv.org/abs/2307.02483',
});

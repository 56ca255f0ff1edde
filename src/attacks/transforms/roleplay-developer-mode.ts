import { defineTemplateAttack } from '../template-attack.js';

/** Claims, in a system message, that a "developer mode" without content rules is active, then asks for the unfiltered answer. Wording: `data/attacks/templates.json`. */
export const roleplayDeveloperMode = defineTemplateAttack({
  id: 'roleplay.developer-mode',
  family: 'roleplay',
  description: 'Claims, in a system message, that a "developer mode" without content rules is active, then asks for the unfiltered answer.',
  reference: 'https://arxiv.org/abs/2308.03825',
});

import { defineTemplateAttack } from '../template-attack.js';

/**
 * The text split in two at the word boundary nearest its middle (at the middle character when it has no spaces).
 *
 * @example
 * splitPayload('explain how to pick a lock') // ['explain how to ', 'pick a lock']
 */
export function splitPayload(text: string): [string, string] {
  const middle = Math.floor(text.length / 2);
  let best = -1;
  for (let index = text.indexOf(' '); index !== -1; index = text.indexOf(' ', index + 1)) {
    if (best === -1 || Math.abs(index - middle) < Math.abs(best - middle)) best = index;
  }
  const cut = best === -1 ? middle : best + 1;
  return [text.slice(0, cut), text.slice(cut)];
}

/** Splits the request into two string variables and asks the model to join them and carry out the result. */
export const structurePayloadSplitting = defineTemplateAttack({
  id: 'structure.payload-splitting',
  family: 'structure',
  description: 'Splits the request into two variables a and b and asks the model to join them and do what they say.',
  reference: 'https://arxiv.org/abs/2302.05733',
  values: (text) => {
    const [a, b] = splitPayload(text);
    return { a, b };
  },
});

import { defineEncodingAttack } from '../encoding-attack.js';
import { charSpacingCodec } from '../codecs/char-spacing-codec.js';

/** Puts a space between every character of the request and asks for the answer spelled the same way. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationCharSpacing = defineEncodingAttack({
  id: 'obfuscation.char-spacing',
  description: 'Puts a space between every character of the request and asks for the answer spelled the same way.',
  reference: 'https://github.com/Azure/PyRIT',
  codec: charSpacingCodec,
});

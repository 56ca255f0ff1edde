import { defineEncodingAttack } from '../encoding-attack.js';
import { reversedCodec } from '../codecs/reversed-codec.js';

/** Writes the request backwards and asks for a backwards answer, reversed again before judging. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationReversed = defineEncodingAttack({
  id: 'obfuscation.reversed',
  description: 'Writes the request backwards and asks for a backwards answer, reversed again before judging.',
  reference: 'https://github.com/Azure/PyRIT',
  codec: reversedCodec,
});

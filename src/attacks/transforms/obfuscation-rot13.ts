import { defineEncodingAttack } from '../encoding-attack.js';
import { rot13Codec } from '../codecs/rot13-codec.js';

/** Enciphers the whole request with ROT13 and asks for a ROT13 answer, deciphered before judging. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationRot13 = defineEncodingAttack({
  id: 'obfuscation.rot13',
  description: 'Enciphers the whole request with ROT13 and asks for a ROT13 answer, deciphered before judging.',
  reference: 'https://arxiv.org/abs/2307.02483',
  codec: rot13Codec,
});

import { defineEncodingAttack } from '../encoding-attack.js';
import { base64Codec } from '../codecs/base64-codec.js';

/** Encodes the whole request in base64 and asks for a base64 answer, decoded before judging. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationBase64 = defineEncodingAttack({
  id: 'obfuscation.base64',
  description: 'Encodes the whole request in base64 and asks for a base64 answer, decoded before judging.',
  reference: 'https://arxiv.org/abs/2307.02483',
  codec: base64Codec,
});

import { defineEncodingAttack } from '../encoding-attack.js';
import { leetspeakCodec } from '../codecs/leetspeak-codec.js';

/** Rewrites the request in leetspeak (digits for letters) and asks for a leetspeak answer, decoded before judging. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationLeetspeak = defineEncodingAttack({
  id: 'obfuscation.leetspeak',
  description: 'Rewrites the request in leetspeak (digits for letters) and asks for a leetspeak answer, decoded before judging.',
  reference: 'https://arxiv.org/abs/2307.02483',
  codec: leetspeakCodec,
});

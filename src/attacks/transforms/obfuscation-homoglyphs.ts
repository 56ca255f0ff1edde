import { defineEncodingAttack } from '../encoding-attack.js';
import { homoglyphCodec } from '../codecs/homoglyph-codec.js';

/** Replaces Latin letters with look-alike Cyrillic and Greek letters, so keyword filters miss the request. Instruction wording: `data/attacks/templates.json`. */
export const obfuscationHomoglyphs = defineEncodingAttack({
  id: 'obfuscation.homoglyphs',
  description: 'Replaces Latin letters with look-alike Cyrillic and Greek letters, so keyword filters miss the request.',
  reference: 'https://github.com/Azure/PyRIT',
  codec: homoglyphCodec,
});

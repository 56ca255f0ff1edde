import type { Codec } from '../encoding-attack.js';
import { readAttackData } from '../attack-data.js';

let maps: { forward: Map<string, string>; backward: Map<string, string> } | undefined;

function glyphMaps(): { forward: Map<string, string>; backward: Map<string, string> } {
  if (maps === undefined) {
    const table = readAttackData<{ homoglyphs: Record<string, string> }>('codecs.json').homoglyphs;
    maps = {
      forward: new Map(Object.entries(table)),
      backward: new Map(Object.entries(table).map(([latin, glyph]) => [glyph, latin])),
    };
  }
  return maps;
}

/**
 * Homoglyphs: Latin letters replaced by look-alike Cyrillic or Greek ones (`data/attacks/codecs.json`), so the text
 * reads the same to a person but tokenises differently. Decoding maps look-alikes back only inside words made of
 * Latin letters and look-alikes, so genuine Cyrillic or Greek words are left alone.
 *
 * @example
 * homoglyphCodec.decode(homoglyphCodec.encode('Pick a lock')) // 'Pick a lock'
 */
export const homoglyphCodec: Codec = {
  encode: (text) => {
    const { forward } = glyphMaps();
    return Array.from(text, (character) => forward.get(character) ?? character).join('');
  },
  decode: (text) => {
    const { backward } = glyphMaps();
    return text.replace(/\p{L}+/gu, (word) => {
      const characters = Array.from(word);
      const mixed = characters.some((character) => backward.has(character));
      const onlyLatinOrGlyph = characters.every((character) => /[A-Za-z]/.test(character) || backward.has(character));
      return mixed && onlyLatinOrGlyph ? characters.map((character) => backward.get(character) ?? character).join('') : word;
    });
  },
};

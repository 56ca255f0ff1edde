import type { Codec } from '../encoding-attack.js';
import { readAttackData } from '../attack-data.js';

let maps: { forward: Map<string, string>; backward: Map<string, string> } | undefined;

function leetMaps(): { forward: Map<string, string>; backward: Map<string, string> } {
  if (maps === undefined) {
    const table = readAttackData<{ leetspeak: Record<string, string> }>('codecs.json').leetspeak;
    maps = {
      forward: new Map(Object.entries(table)),
      backward: new Map(Object.entries(table).map(([letter, digit]) => [digit, letter])),
    };
  }
  return maps;
}

/**
 * Leetspeak: some lowercase letters become digits (`data/attacks/codecs.json`), but a word always keeps at least
 * one letter, so it cannot be mistaken for a number. Decoding maps digits back only inside words that also contain
 * letters, so plain numbers in an answer survive. Round-trips text whose words contain no digits.
 *
 * @example
 * leetspeakCodec.encode('to test') // 't0 7357'
 */
export const leetspeakCodec: Codec = {
  encode: (text) => {
    const { forward } = leetMaps();
    return text.replace(/[A-Za-z]+/g, (word) => {
      const letters = Array.from(word);
      const replaced = letters.map((letter) => forward.get(letter) ?? letter);
      if (replaced.every((character, index) => character !== letters[index])) replaced[0] = letters[0];
      return replaced.join('');
    });
  },
  decode: (text) => {
    const { backward } = leetMaps();
    return text.replace(/[A-Za-z0-9]+/g, (word) =>
      /[A-Za-z]/.test(word) && /[0-9]/.test(word) ? word.replace(/[0-9]/g, (digit) => backward.get(digit) ?? digit) : word,
    );
  },
};

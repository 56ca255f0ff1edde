import type { Codec } from '../encoding-attack.js';
import { undoWhereEnglish } from '../english-score.js';

/** ROT13 of ASCII letters; everything else unchanged. Its own inverse. */
export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * ROT13. Decoding deciphers the lines whose ROT13 reads more like English (a model may mix a plain preamble with
 * a ciphered answer), and leaves plain answers as they are.
 *
 * @example
 * rot13Codec.decode('Uryyb, jbeyq') // 'Hello, world'
 */
export const rot13Codec: Codec = {
  encode: rot13,
  decode: (text) => undoWhereEnglish(text, rot13, rot13),
};

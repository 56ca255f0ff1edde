import type { Codec } from '../encoding-attack.js';
import { undoWhereEnglish } from '../english-score.js';

/** The text with its code points in reverse order. */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}

/**
 * Reversed text. Decoding reverses what reads more like English reversed: the whole response (restoring line
 * order) or only the lines that do; plain answers stay as they are.
 *
 * @example
 * reversedCodec.decode('dlrow eht olleh') // 'hello the world'
 */
export const reversedCodec: Codec = {
  encode: reverseText,
  decode: (text) => undoWhereEnglish(text, reverseText, reverseText),
};

import { looseCharacter, phrasePattern } from './phrase-pattern.js';

const BEYOND_ASCII = /[^\0-\x7f]/;
/** Kana, CJK and Hangul: the offline judge matches phrases in these scripts anywhere, not at word starts. */
const UNSPACED_SCRIPT = /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/;

/**
 * The phrases split by where they can occur. The offline judge finds a phrase that starts with an ASCII letter or
 * digit only at the start of one of its word tokens, and the phrase matcher only where no letter or digit comes
 * before: either way the character before is no ASCII letter or digit (in the text as written, too, for lower-casing
 * maps no other ASCII character to one), so such a phrase is tested at word starts only (about twice as fast as
 * everywhere). A character beyond ASCII in the pattern matches only one beyond ASCII in the text (case-insensitive
 * matching without the `u` flag maps none to ASCII), so phrases holding one are tested only on texts that hold one.
 */
function groupPhrases(phrases: Iterable<string>): { atWords: string[]; anywhere: string[]; beyondAscii: string[] } {
  const groups = { atWords: [] as string[], anywhere: [] as string[], beyondAscii: [] as string[] };
  for (const phrase of phrases) {
    if (/^[a-z0-9]/.test(phrase) && !UNSPACED_SCRIPT.test(phrase)) groups.atWords.push(phrase);
    else if (BEYOND_ASCII.test(phrase)) groups.beyondAscii.push(phrase);
    else groups.anywhere.push(phrase);
  }
  return groups;
}

/**
 * A fast test of whether a text may hold any of many phrases, wherever the offline judge or the audit's phrase matcher
 * could find one: it never says no where they would match (and may say yes where they would not). Phrases are given
 * normalised (lower case, straight quotes, single spaces) and matched case-insensitively, with any apostrophe or
 * double-quote form and any run of white space, as prefix-factored patterns (util/phrase-pattern.ts).
 *
 * @example
 * const screen = new PhraseScreen(["i can't", 'as an ai']);
 * screen.holds('Well, I can’t say.') // true
 * screen.holds('The taxi cannot stop.') // false: 'i can' inside a word is neither's match
 */
export class PhraseScreen {
  /** Phrases that start with an ASCII letter or digit, tested only where a word starts (`\b`). */
  readonly #atWords: RegExp | undefined;
  /** The same, where a word may start after `_` (which `\b` counts as a letter): for texts holding one. */
  readonly #afterUnderscore: RegExp | undefined;
  /** Other phrases made only of ASCII, tested everywhere. */
  readonly #anywhere: RegExp | undefined;
  /** Phrases with a character beyond ASCII (other scripts, accents), tested only on texts that hold one. */
  readonly #beyondAscii: RegExp | undefined;

  constructor(phrases: Iterable<string>) {
    const groups = groupPhrases(new Set([...phrases].filter((phrase) => phrase !== '')));
    // Case-insensitive in the pattern rather than by lower-casing each text: the same speed, and no copy of every
    // text for the garbage collector.
    const compile = (list: string[], prefixes: string[]): Array<RegExp | undefined> => {
      if (list.length === 0) return prefixes.map(() => undefined);
      const pattern = phrasePattern(list, looseCharacter);
      return prefixes.map((prefix) => new RegExp(`${prefix}(?:${pattern})`, 'i'));
    };
    [this.#atWords, this.#afterUnderscore] = compile(groups.atWords, ['\\b', '(?<![a-z0-9])']);
    [this.#anywhere] = compile(groups.anywhere, ['']);
    [this.#beyondAscii] = compile(groups.beyondAscii, ['']);
  }

  /** Whether the text may hold one of the phrases (false only where neither the judge nor the matcher could find one). */
  holds(text: string): boolean {
    const atWords = text.includes('_') ? this.#afterUnderscore : this.#atWords;
    if (atWords?.test(text) === true || this.#anywhere?.test(text) === true) return true;
    // UTF-8 takes more than a byte for every character beyond ASCII: a native count, some 3x faster than a regex scan.
    return this.#beyondAscii !== undefined && Buffer.byteLength(text, 'utf8') !== text.length && this.#beyondAscii.test(text);
  }
}

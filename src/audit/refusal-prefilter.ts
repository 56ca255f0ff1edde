import { looseCharacter, phrasePattern } from '../util/phrase-pattern.js';
import { offlineCueLists, offlineRules } from '../judges/offline/offline-model.js';
import { normalisePhraseText } from './phrase-matcher.js';

/**
 * Messages with fewer words than this always go to the judge: one more than the longest message any of the judge's
 * short-message rules looks at (`clarifyingQuestionMaxWords`, 80, in data/judges/offline-rules.json). Words are
 * counted as the judge cannot count fewer: a letter or digit of ASCII after a space starts one of its word tokens.
 */
export function prefilterMinWords(): number {
  const rules = offlineRules();
  return Math.max(rules.clarifyingQuestionMaxWords, rules.shortAnswerMaxWords, rules.partialMinContentWords, rules.refusalMaxContentWords) + 1;
}

/** The lists of the offline judge's cue file whose phrases can make a long answer a refusal or partial refusal. */
const CUE_LISTS = ['refusal', 'rejectOpening', 'disclaimer', 'redirect'] as const;

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13;
const isAsciiAlphanumeric = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

/**
 * Whether the text has at least `limit` words that start with an ASCII letter or digit after a space (stops counting
 * there). Each starts a word token of the judge, so the judge counts at least as many; text in other scripts counts
 * few and goes to the judge.
 */
function hasWords(text: string, limit: number): boolean {
  let words = 0;
  let afterSpace = true;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (afterSpace && isAsciiAlphanumeric(code) && (words += 1) >= limit) return true;
    afterSpace = isSpace(code);
  }
  return false;
}

/**
 * The audit's pre-filter: decides, far faster than the judge, which assistant messages the offline refusal judge
 * must read. A message skips the judge (and counts as an answer) only when all of these hold:
 *
 * - it has more words than any of the judge's short-message rules looks at ({@link prefilterMinWords}: empty, a bare
 *   "no", a question back, a short plain answer are all 80 words or fewer), counted so the judge cannot count fewer;
 * - it is more than twice as long as the request it answers (so it is not the request restated, short of an answer
 *   that repeats the request over and over);
 * - it contains no phrase, in any of the judge's languages, of the judge's own refusal, rebuttal, AI-disclaimer and
 *   redirect lists (data/judges/offline-cues.json), matched case-insensitively with any quote form and spacing,
 *   wherever the judge could find it: at any character where no ASCII letter or digit comes before (the judge's word
 *   tokens start only there), and anywhere for phrases that do not start with one (see groupPhrases).
 *
 * What it cannot guarantee is that the judge's learned model would not call such a message a refusal anyway; on
 * 21,122 real responses (XSTest, HarmBench, JailbreakBench, GPTeacher, hh-rlhf) it passed one message the judge
 * flagged, as undetermined (refusal-prefilter.test.ts measures it; `redcard audit --judge-all` turns it off).
 *
 * @example
 * const prefilter = new RefusalPrefilter();
 * prefilter.needsJudge('Write a poem', "I'm sorry, but I can't.") // true (short)
 */
export class RefusalPrefilter {
  /** Phrases that start with an ASCII letter or digit, tested only where a word starts (`\b`). */
  readonly #atWords: RegExp | undefined;
  /** The same, where a word may start after `_` (which `\b` counts as a letter): for texts holding one. */
  readonly #afterUnderscore: RegExp | undefined;
  /** Other phrases made only of ASCII, tested everywhere. */
  readonly #anywhere: RegExp | undefined;
  /** Phrases with a character beyond ASCII (other scripts, accents), tested only on texts that hold one. */
  readonly #beyondAscii: RegExp | undefined;
  readonly #minWords = prefilterMinWords();

  /**
   * `lists`: the judge's cue phrases (default {@link cuePhrases}); `alsoPhrases`: phrases that must reach the caller's
   * own matching too (the audit adds its AI-disclaimer list and the user's `--phrases`, so a message the pre-filter
   * passes holds none of them and needs no further search).
   */
  constructor(lists: readonly string[] = cuePhrases(), alsoPhrases: readonly string[] = []) {
    // Normalised as the judge and the phrase matcher normalise text (lower case, straight quotes, single spaces), so
    // the loose pattern matches wherever they could.
    const phrases = new Set([...lists, ...alsoPhrases].map((phrase) => normalisePhraseText(phrase).trim()));
    phrases.delete('');
    const groups = groupPhrases(phrases);
    // Case-insensitive in the pattern rather than by lower-casing each message: the same speed, and no copy of every
    // message for the garbage collector.
    const compile = (list: string[], prefixes: string[]): Array<RegExp | undefined> => {
      if (list.length === 0) return prefixes.map(() => undefined);
      const pattern = phrasePattern(list, looseCharacter);
      return prefixes.map((prefix) => new RegExp(`${prefix}(?:${pattern})`, 'i'));
    };
    [this.#atWords, this.#afterUnderscore] = compile(groups.atWords, ['\\b', '(?<![a-z0-9])']);
    [this.#anywhere] = compile(groups.anywhere, ['']);
    [this.#beyondAscii] = compile(groups.beyondAscii, ['']);
  }

  /** True when the judge must read the message; false when it is a long answer with no refusal cue. */
  needsJudge(request: string, response: string): boolean {
    if (response.length <= 2 * request.length) return true;
    if (!hasWords(response, this.#minWords)) return true;
    return this.holdsCue(response);
  }

  /** Whether the text holds one of the phrases wherever the judge or the phrase matcher could find it. */
  holdsCue(text: string): boolean {
    const atWords = text.includes('_') ? this.#afterUnderscore : this.#atWords;
    if (atWords?.test(text) === true || this.#anywhere?.test(text) === true) return true;
    // UTF-8 takes more than a byte for every character beyond ASCII: a native count, some 3x faster than a regex scan.
    return this.#beyondAscii !== undefined && Buffer.byteLength(text, 'utf8') !== text.length && this.#beyondAscii.test(text);
  }
}

const BEYOND_ASCII = /[^\0-\x7f]/;
/** Kana, CJK and Hangul: the judge matches phrases in these scripts anywhere, not at word starts. */
const UNSPACED_SCRIPT = /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/;

/**
 * The phrases split by where they can occur. The judge finds a phrase that starts with an ASCII letter or digit only
 * at the start of one of its word tokens, and the phrase matcher only where no letter or digit comes before: either
 * way the character before is no ASCII letter or digit (in the text as written, too, for lower-casing maps no other
 * ASCII character to one), so such a phrase is tested at word starts only (about twice as fast as everywhere). A
 * character beyond ASCII in the pattern matches only one beyond ASCII in the text (case-insensitive matching without
 * the `u` flag maps none to ASCII), so phrases holding one are tested only on texts that hold one too.
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
 * The phrases of the judge's cue lists that the pre-filter looks for (every language of the refusal list).
 *
 * @example
 * cuePhrases().includes("i can't") // true
 */
export function cuePhrases(): string[] {
  const cues = offlineCueLists();
  return CUE_LISTS.flatMap((list) => {
    const value = cues[list];
    return Array.isArray(value) ? value : Object.values(value).flat();
  });
}

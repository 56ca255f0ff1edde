import { PhraseScreen } from '../util/phrase-screen.js';
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
 *   tokens start only there), and anywhere for phrases that do not start with one (util/phrase-screen.ts).
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
  readonly #cues: PhraseScreen;
  readonly #minWords = prefilterMinWords();

  /**
   * `lists`: the judge's cue phrases (default {@link cuePhrases}); `alsoPhrases`: phrases that must reach the caller's
   * own matching too (the audit adds its AI-disclaimer list and the user's `--phrases`, so a message the pre-filter
   * passes holds none of them and needs no further search).
   */
  constructor(lists: readonly string[] = cuePhrases(), alsoPhrases: readonly string[] = []) {
    // Normalised as the judge and the phrase matcher normalise text (lower case, straight quotes, single spaces), so
    // the loose pattern matches wherever they could.
    this.#cues = new PhraseScreen([...lists, ...alsoPhrases].map((phrase) => normalisePhraseText(phrase).trim()));
  }

  /** True when the judge must read the message; false when it is a long answer with no refusal cue. */
  needsJudge(request: string, response: string): boolean {
    if (response.length <= 2 * request.length) return true;
    if (!hasWords(response, this.#minWords)) return true;
    return this.holdsCue(response);
  }

  /** Whether the text holds one of the phrases wherever the judge or the phrase matcher could find it. */
  holdsCue(text: string): boolean {
    return this.#cues.holds(text);
  }
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

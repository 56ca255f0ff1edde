import { readFileSync } from 'node:fs';
import { DatasetError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';
import { phrasePattern } from '../util/phrase-pattern.js';
import { PhraseScreen } from '../util/phrase-screen.js';

/** A phrase found in a message, and which list it came from. */
export interface PhraseMatch {
  phrase: string;
  /** `ai-identity`, `knowledge-cutoff` (the built-in disclaimer kinds) or `user` (`--phrases FILE`). */
  kind: string;
}

const WORD = /[\p{L}\p{N}]/u;

/** Lower case, straight quotes and apostrophes, single spaces: how messages are compared with phrase lists. */
export function normalisePhraseText(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019\u02bc`]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ');
}

/** Finds the first whole-phrase occurrence of any of several phrase lists in a message. */
export class PhraseMatcher {
  readonly #pattern: RegExp | undefined;
  /** Passes wherever the normalised text could hold a phrase: tested first on the text only lower-cased. */
  readonly #quick: PhraseScreen | undefined;
  readonly #kinds = new Map<string, string>();

  constructor(lists: Record<string, readonly string[]>) {
    const phrases: string[] = [];
    for (const [kind, list] of Object.entries(lists)) {
      for (const phrase of list) {
        const normalised = normalisePhraseText(phrase).trim();
        if (normalised === '' || this.#kinds.has(normalised)) continue;
        this.#kinds.set(normalised, kind);
        phrases.push(normalised);
      }
    }
    // Prefix-factored: a flat alternation of the lists scanned at about 20 MB/s, the factored one at several times that.
    this.#pattern = phrases.length === 0 ? undefined : new RegExp(phrasePattern(phrases), 'g');
    // Most messages hold no phrase: normalising them first cost more than the search.
    this.#quick = phrases.length === 0 ? undefined : new PhraseScreen(phrases);
  }

  /**
   * The first phrase the text contains at word boundaries (a phrase's own punctuation, e.g. "as an ai,", counts).
   * `lowered` is the text lower-cased, when the caller has it.
   *
   * @example
   * new PhraseMatcher({ mine: ['as an ai'] }).find('Well, as an AI I…') // { phrase: 'as an ai', kind: 'mine' }
   */
  find(text: string, lowered?: string): PhraseMatch | undefined {
    // On the lower-cased text (not the text as written): lower-casing maps a few letters beyond ASCII into it ('İ').
    if (this.#pattern === undefined || !this.#quick!.holds(lowered ?? text.toLowerCase())) return undefined;
    const normalised = normalisePhraseText(text);
    const pattern = this.#pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(normalised); match !== null; match = pattern.exec(normalised)) {
      const phrase = match[0];
      const before = match.index === 0 ? '' : normalised[match.index - 1]!;
      const after = normalised[match.index + phrase.length] ?? '';
      const startsOk = !WORD.test(phrase[0]!) || !WORD.test(before);
      const endsOk = !WORD.test(phrase[phrase.length - 1]!) || !WORD.test(after);
      if (startsOk && endsOk) return { phrase, kind: this.#kinds.get(phrase)! };
      pattern.lastIndex = match.index + 1;
    }
    return undefined;
  }
}

interface DisclaimerFile {
  kinds: Record<string, string[]>;
}

/**
 * The built-in AI-disclaimer lists (data/audit/disclaimer-phrases.json), by kind.
 *
 * @example
 * Object.keys(disclaimerLists()) // ['ai-identity', 'knowledge-cutoff']
 */
export function disclaimerLists(): Record<string, string[]> {
  const file = dataPath('audit', 'disclaimer-phrases.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as DisclaimerFile).kinds;
  } catch (error) {
    throw new DatasetError(`cannot read the disclaimer phrases: ${(error as Error).message}`, file);
  }
}

/**
 * A user's phrase list: a text file with one phrase per line (`#` comments and blank lines ignored), or a JSON array
 * of strings.
 *
 * @throws DatasetError naming the file when it cannot be read or holds no phrase.
 * @example
 * readPhraseFile('data/audit/phrase-filter-example.txt').length // 29
 */
export function readPhraseFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new DatasetError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'phrase file not found' : (error as Error).message, file);
  }
  let phrases: string[];
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, file);
    }
    if (!Array.isArray(parsed) || !parsed.every((entry) => typeof entry === 'string')) throw new DatasetError('expected a JSON array of strings', file);
    phrases = parsed as string[];
  } else {
    phrases = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  }
  if (phrases.length === 0) throw new DatasetError('no phrases in the file', file);
  return phrases;
}

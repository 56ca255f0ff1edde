import { readAttackData } from './attack-data.js';

interface EnglishProfile {
  bigrams: string[];
  words: string[];
}

let profile: { bigrams: Set<string>; words: Set<string> } | undefined;

/**
 * How much a text looks like plain English: common-word hits count 3, common-bigram hits inside words count 1.
 * Used to decide whether a response is still encoded (rot13, reversed) or was written in plain text.
 *
 * @example
 * englishScore('the cat sat') > englishScore('gur png fng') // true
 */
export function englishScore(text: string): number {
  if (profile === undefined) {
    const data = readAttackData<EnglishProfile>('english-profile.json');
    profile = { bigrams: new Set(data.bigrams), words: new Set(data.words) };
  }
  let score = 0;
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (profile.words.has(word)) score += 3;
    for (let index = 0; index + 1 < word.length; index += 1) {
      if (profile.bigrams.has(word.slice(index, index + 2))) score += 1;
    }
  }
  return score;
}

/**
 * Undo a transform that the model may have applied to all of its answer or only to some lines (e.g. a plain
 * preamble, then a ciphered answer). Each line is compared with its transformed form by `englishScore`: when no line
 * reads better as it is and some read better transformed, the whole text is transformed with `whole` (which keeps
 * line order right for reversal); otherwise only the lines that read better transformed are.
 *
 * @example
 * undoWhereEnglish('Sure:\nabc eht', reverseText, reverseText) // 'Sure:\nthe cba'
 */
export function undoWhereEnglish(text: string, line: (text: string) => string, whole: (text: string) => string): string {
  const lines = text.split('\n');
  const decisions = lines.map((original) => Math.sign(englishScore(line(original)) - englishScore(original)));
  if (!decisions.includes(-1) && decisions.includes(1)) return whole(text);
  return lines.map((original, index) => (decisions[index] === 1 ? line(original) : original)).join('\n');
}

/** A normalised text cut into tokens and sentences in one pass. */
export interface ScannedText {
  /**
   * Word tokens (runs of letters, digits, inner apostrophes and hyphens) and punctuation tokens (`,` `.` `!` `?` `:`
   * `;`, one per character), in order.
   */
  tokens: string[];
  /** Character offset where each token starts. */
  tokenStart: Int32Array;
  /** Sentence index of each token. */
  tokenSentence: Int32Array;
  /** Sentences with at least one word token (others, e.g. a lone "---", are dropped). */
  sentences: number;
  /** Word tokens per sentence. */
  sentenceWords: Int32Array;
  /** Word tokens in all. */
  wordTokens: number;
}

/** `,` `.` `!` `?` `:` `;`: the punctuation kept as tokens. */
const isPunctuationCode = (code: number): boolean => code === 44 || code === 46 || code === 33 || code === 63 || code === 58 || code === 59;
/** What may follow a sentence end before the space: quotes, brackets, emphasis, more stops. */
const isCloserCode = (code: number): boolean => code === 34 || code === 39 || code === 41 || code === 93 || code === 42 || code === 0x201d || code === 46 || code === 33 || code === 63 || code === 59;

/** True for the punctuation tokens `scanText` emits. */
export const isPunctuationToken = (token: string): boolean => token.length === 1 && isPunctuationCode(token.charCodeAt(0));

/** Letters and digits of the scripts the judge reads (Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, CJK, Hangul). */
function isTokenCharacter(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 45;
  return (
    (code >= 0x00c0 && code <= 0x024f && code !== 0x00d7 && code !== 0x00f7) ||
    (code >= 0x0370 && code <= 0x03ff) ||
    (code >= 0x0400 && code <= 0x04ff) ||
    (code >= 0x0590 && code <= 0x06ff) ||
    (code >= 0x0900 && code <= 0x097f) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13;

let startBuffer = new Int32Array(2048);
let sentenceBuffer = new Int32Array(2048);

/**
 * Cut a normalised text (lowercase, straight quotes) into tokens and sentences. A sentence ends at a line break, at
 * `.` `!` `?` `;` followed by a space or the end (closing quotes and brackets stay with it), and at `。！？`.
 * Apostrophes and hyphens at the edges of a word are dropped ("'hello'" → `hello`).
 *
 * @example
 * scanText("sorry, no. ask me something else!").tokens // ['sorry', ',', 'no', '.', 'ask', 'me', 'something', 'else', '!']
 */
export function scanText(text: string): ScannedText {
  const tokens: string[] = [];
  const sentenceWordCounts: number[] = [];
  let sentence = 0;
  let wordsInSentence = 0;
  let wordTokens = 0;
  const push = (token: string, start: number): void => {
    const index = tokens.length;
    if (index === startBuffer.length) {
      const grownStart = new Int32Array(index * 2);
      grownStart.set(startBuffer);
      startBuffer = grownStart;
      const grownSentence = new Int32Array(index * 2);
      grownSentence.set(sentenceBuffer);
      sentenceBuffer = grownSentence;
    }
    tokens.push(token);
    startBuffer[index] = start;
    sentenceBuffer[index] = sentence;
  };
  const endSentence = (): void => {
    // A piece with only punctuation is not a sentence: its tokens join the next one.
    if (wordsInSentence === 0) return;
    sentenceWordCounts.push(wordsInSentence);
    sentence += 1;
    wordsInSentence = 0;
  };
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === 32) {
      index += 1;
      continue;
    }
    if (isTokenCharacter(code)) {
      let end = index + 1;
      while (end < length && isTokenCharacter(text.charCodeAt(end))) end += 1;
      let from = index;
      let to = end;
      while (from < to && (text.charCodeAt(from) === 39 || text.charCodeAt(from) === 45)) from += 1;
      while (to > from && (text.charCodeAt(to - 1) === 39 || text.charCodeAt(to - 1) === 45)) to -= 1;
      if (to > from) {
        push(text.slice(from, to), from);
        wordsInSentence += 1;
        wordTokens += 1;
      }
      index = end;
      continue;
    }
    if (code === 10) {
      endSentence();
    } else if (isPunctuationCode(code)) {
      push(text[index], index);
      if (code !== 44 && code !== 58) {
        // . ! ? ; end a sentence when a space or the end follows (closing quotes and brackets stay with it).
        let end = index + 1;
        while (end < length && isCloserCode(text.charCodeAt(end))) end += 1;
        if (end === length || isSpace(text.charCodeAt(end))) {
          for (let closer = index + 1; closer < end; closer += 1) if (isPunctuationCode(text.charCodeAt(closer))) push(text[closer], closer);
          endSentence();
          index = end;
          continue;
        }
      }
    } else if (code === 0x3002 || code === 0xff01 || code === 0xff1f) {
      endSentence();
    }
    index += 1;
  }
  if (wordsInSentence > 0) {
    sentenceWordCounts.push(wordsInSentence);
    sentence += 1;
  }
  const count = tokens.length;
  const tokenSentence = sentenceBuffer.slice(0, count);
  // Trailing punctuation after the last sentence belongs to it.
  for (let token = count - 1; token >= 0 && tokenSentence[token] >= sentence; token -= 1) tokenSentence[token] = Math.max(0, sentence - 1);
  return {
    tokens,
    tokenStart: startBuffer.slice(0, count),
    tokenSentence,
    sentences: sentence,
    sentenceWords: Int32Array.from(sentenceWordCounts),
    wordTokens,
  };
}

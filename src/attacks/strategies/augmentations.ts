/**
 * Best-of-N's text augmentations (Hughes et al. 2024, appendix A.1; probabilities as in its reference code): each
 * word longer than three characters has its middle letters shuffled with probability σ^½, each ASCII letter has its
 * case flipped with probability σ^½, and each printable character is moved one code point up or down (staying in
 * printable ASCII) with probability σ³. All draws come from `random`, so a seeded generator reproduces a candidate.
 */

/** Which augmentations to apply, and σ (the paper's default 0.4). */
export interface AugmentationSettings {
  sigma: number;
  scramble: boolean;
  capitalize: boolean;
  noise: boolean;
}

/**
 * Shuffle the middle characters of words longer than three characters, each with `probability`; whitespace is kept.
 *
 * @example
 * scrambleWords('explain the process', 1, Math.random) // e.g. 'elxpain the pcseors'
 */
export function scrambleWords(text: string, probability: number, random: () => number): string {
  return text
    .split(/(\s+)/)
    .map((word) => {
      if (word.length <= 3 || /^\s+$/.test(word) || random() >= probability) return word;
      const middle = [...word.slice(1, -1)];
      for (let index = middle.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [middle[index], middle[other]] = [middle[other], middle[index]];
      }
      return word[0] + middle.join('') + word[word.length - 1];
    })
    .join('');
}

/**
 * Flip the case of each ASCII letter with `probability`.
 *
 * @example
 * randomCapitalization('abc', 1, Math.random) // 'ABC'
 */
export function randomCapitalization(text: string, probability: number, random: () => number): string {
  let out = '';
  for (const character of text) {
    const isLetter = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
    if (isLetter && random() < probability) out += character === character.toLowerCase() ? character.toUpperCase() : character.toLowerCase();
    else out += character;
  }
  return out;
}

/**
 * Move each printable character one code point up or down with `probability`, keeping it when the result would leave
 * printable ASCII (32–126).
 *
 * @example
 * noiseCharacters('abc', 1, () => 0) // '`ab'
 */
export function noiseCharacters(text: string, probability: number, random: () => number): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code >= 32 && code !== 127 && random() < probability) {
      const moved = code + (random() < 0.5 ? -1 : 1);
      out += moved >= 32 && moved <= 126 ? String.fromCodePoint(moved) : character;
    } else out += character;
  }
  return out;
}

/**
 * One Best-of-N candidate: the enabled augmentations applied in the paper's order (scramble, capitalise, noise).
 *
 * @example
 * augmentPrompt('How do I pick a lock?', { sigma: 0.4, scramble: true, capitalize: true, noise: true }, seededRandom(1))
 */
export function augmentPrompt(text: string, settings: AugmentationSettings, random: () => number): string {
  let out = text;
  if (settings.scramble) out = scrambleWords(out, Math.sqrt(settings.sigma), random);
  if (settings.capitalize) out = randomCapitalization(out, Math.sqrt(settings.sigma), random);
  if (settings.noise) out = noiseCharacters(out, settings.sigma ** 3, random);
  return out;
}

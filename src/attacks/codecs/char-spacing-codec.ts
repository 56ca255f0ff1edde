import type { Codec } from '../encoding-attack.js';

/** The characters of a spaced text (every odd position a space), or undefined when it is not spaced that way. */
function unspace(text: string): string | undefined {
  const points = Array.from(text);
  if (points.length < 3 || points.length % 2 === 0) return undefined;
  const kept: string[] = [];
  for (let index = 0; index < points.length; index += 1) {
    if (index % 2 === 1) {
      if (points[index] !== ' ') return undefined;
    } else kept.push(points[index]);
  }
  return kept.join('');
}

/**
 * A space between every character (an original space becomes three). Decoding undoes exactly that pattern, for the
 * whole response or line by line; text not spaced that way is unchanged.
 *
 * @example
 * charSpacingCodec.encode('hi you') // 'h i   y o u'
 */
export const charSpacingCodec: Codec = {
  encode: (text) => Array.from(text).join(' '),
  decode: (text) => {
    const whole = unspace(text);
    if (whole !== undefined) return whole;
    return text
      .split('\n')
      .map((line) => {
        const trimmed = line.trim();
        return (trimmed.length >= 3 && unspace(trimmed)) || line;
      })
      .join('\n');
  },
};

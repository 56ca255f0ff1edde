import { readFileSync } from 'node:fs';
import { dataPath } from '../../util/paths.js';

let confusables: Map<string, string> | undefined;

/** Look-alike characters and the ASCII they imitate, from `data/judges/delimiter-confusables.json`. */
function confusableMap(): Map<string, string> {
  confusables ??= new Map(Object.entries((JSON.parse(readFileSync(dataPath('judges', 'delimiter-confusables.json'), 'utf8')) as { map: Record<string, string> }).map));
  return confusables;
}

/** Characters that show nothing (zero-width, format, variation selectors, tags) or only mark another (combining). */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}]$/u;

/**
 * A text's matching skeleton and where its characters came from, as segments: an identity segment copies a run of the
 * original unchanged (offsets map one to one); a mapped segment is what one original character became.
 */
interface Skeleton {
  text: string;
  /** Start of each segment in the skeleton. */
  skeletonStart: number[];
  /** Start and end of each segment in the original. */
  originalStart: number[];
  originalEnd: number[];
  identity: boolean[];
}

/** The piece of skeleton one (non-ASCII) character becomes: '' when invisible. */
function pieceOf(character: string, map: Map<string, string>): string {
  const mapped = map.get(character);
  if (mapped !== undefined) return mapped;
  if (INVISIBLE.test(character)) return '';
  const normalized = character.normalize('NFKC');
  if (normalized === character) return character;
  let piece = '';
  for (const part of normalized) piece += map.get(part) ?? (INVISIBLE.test(part) ? '' : part);
  return piece;
}

/**
 * The skeleton of `text` for finding disguised copies of a marker: each character NFKC-normalised (full-width and
 * mathematical letters become ASCII), look-alikes (Cyrillic `Е`, `‹`, `«`…) mapped to the ASCII they imitate, and
 * invisible characters dropped, remembering where each skeleton character came from. Linear; runs of unchanged text
 * (all ASCII, most text) are one segment each.
 */
function skeletonOf(text: string): Skeleton {
  const map = confusableMap();
  const skeleton: Skeleton = { text: '', skeletonStart: [], originalStart: [], originalEnd: [], identity: [] };
  const parts: string[] = [];
  let length = 0;
  let runStart = 0;
  const closeRun = (end: number): void => {
    if (end > runStart) {
      skeleton.skeletonStart.push(length);
      skeleton.originalStart.push(runStart);
      skeleton.originalEnd.push(end);
      skeleton.identity.push(true);
      parts.push(text.slice(runStart, end));
      length += end - runStart;
    }
  };
  let index = 0;
  while (index < text.length) {
    if (text.charCodeAt(index) < 0x80) {
      index += 1;
      continue;
    }
    const codePoint = text.codePointAt(index)!;
    const character = String.fromCodePoint(codePoint);
    const next = index + character.length;
    const piece = pieceOf(character, map);
    if (piece === character) {
      index = next;
      continue;
    }
    closeRun(index);
    if (piece !== '') {
      skeleton.skeletonStart.push(length);
      skeleton.originalStart.push(index);
      skeleton.originalEnd.push(next);
      skeleton.identity.push(false);
      parts.push(piece);
      length += piece.length;
    }
    index = next;
    runStart = next;
  }
  closeRun(text.length);
  skeleton.text = parts.length === 1 ? parts[0] : parts.join('');
  return skeleton;
}

/** The span of the original that skeleton unit `unit` came from. */
function originOf(skeleton: Skeleton, unit: number): { start: number; end: number } {
  let low = 0;
  let high = skeleton.skeletonStart.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (skeleton.skeletonStart[middle] <= unit) low = middle;
    else high = middle - 1;
  }
  if (!skeleton.identity[low]) return { start: skeleton.originalStart[low], end: skeleton.originalEnd[low] };
  const start = skeleton.originalStart[low] + (unit - skeleton.skeletonStart[low]);
  return { start, end: start + 1 };
}

/**
 * Replace every span of `text` whose skeleton matches `pattern` (a global RegExp written for plain ASCII) with
 * `replacement` (a string, or a function of the original span and the matched skeleton), so look-alike, full-width and
 * zero-width-split copies are found as surely as exact ones. Text outside the matches is kept exactly. `accept` may
 * turn a match down (it gets the matched skeleton text).
 *
 * @example
 * replaceLookAlikes('x <<<ＥＮ\u200bD ANSWER UNDER REVIEW>>> y', /<+END ANSWER UNDER REVIEW>+/gi, '[marker removed]')
 * // 'x [marker removed] y'
 */
export function replaceLookAlikes(
  text: string,
  pattern: RegExp,
  replacement: string | ((original: string, skeleton: string) => string),
  accept: (match: string) => boolean = () => true,
): string {
  if (!pattern.global) throw new Error('replaceLookAlikes needs a global pattern');
  const skeleton = skeletonOf(text);
  if (skeleton.text === '') return text;
  let result = '';
  let copied = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(skeleton.text); match !== null; match = pattern.exec(skeleton.text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    if (!accept(match[0])) continue;
    const from = originOf(skeleton, match.index).start;
    const to = originOf(skeleton, match.index + match[0].length - 1).end;
    if (from < copied) continue;
    result += text.slice(copied, from) + (typeof replacement === 'string' ? replacement : replacement(text.slice(from, to), match[0]));
    copied = to;
  }
  return copied === 0 && result === '' ? text : result + text.slice(copied);
}

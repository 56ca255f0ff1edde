/** Regular-expression source of one character of a phrase (the default escapes the regex syntax characters). */
export type CharacterPattern = (character: string) => string;

const escapeCharacter: CharacterPattern = (character) => character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * For phrases written in lower case with straight quotes and single spaces, matched against text that is only
 * lower-cased: an apostrophe matches any apostrophe form, a double quote any double-quote form, a space any run of
 * white space. A cheap test that must pass wherever the normalised text holds the phrase.
 */
export const looseCharacter: CharacterPattern = (character) => {
  if (character === "'") return "['\u2018\u2019\u02bc`]";
  if (character === '"') return '["\u201c\u201d]';
  if (character === ' ') return '\\s+';
  return escapeCharacter(character);
};

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * One regular expression matching any of many literal phrases, with their shared prefixes factored out
 * (`i (?:can(?:not|'t)|won't)` rather than `i cannot|i can't|i won't`). V8 tries the alternatives of a flat
 * alternation one after another at every position of the text, so a list of hundreds of phrases scans some ten times
 * slower than the factored form. At each branch the longer phrase is tried first, so a match is the longest phrase
 * that starts there, as with a flat list sorted longest first.
 *
 * @example
 * new RegExp(phrasePattern(["i can't", 'i cannot', 'i will not'])).test('well, i cannot say') // true
 * phrasePattern(['ab', 'ac']) // 'a(?:b|c)'
 */
export function phrasePattern(phrases: Iterable<string>, characterPattern: CharacterPattern = escapeCharacter): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const phrase of phrases) {
    if (phrase === '') continue;
    let node = root;
    for (const character of phrase) {
      let child = node.next.get(character);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(character, child);
      }
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    const branches = [...node.next].map(([character, child]) => characterPattern(character) + emit(child));
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    return node.end ? `(?:${body})?` : body;
  };
  return emit(root);
}

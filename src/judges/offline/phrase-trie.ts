/** A node of the phrase trie: the kinds of phrase ending here, and the next tokens. */
interface TrieNode {
  kinds: number;
  next: Map<string, TrieNode> | undefined;
}

/** One phrase found in a token list: tokens `[start, end)` and the kinds (bit flags) of the lists it is in. */
export interface PhraseMatch {
  start: number;
  end: number;
  kinds: number;
}

/**
 * Phrases as token sequences, matched in one pass over a token list (a trie keyed by whole tokens). Every phrase
 * list of the offline judge goes into one trie, each with its own bit, so a response is scanned once for all of them.
 *
 * @example
 * const trie = new PhraseTrie(); trie.add(['i', "can't"], 1); trie.matches(['oh', 'i', "can't"]) // [{ start: 1, end: 3, kinds: 1 }]
 */
export class PhraseTrie {
  private readonly root = new Map<string, TrieNode>();

  /** Add a phrase (its tokens) with the kind bits it carries; adding twice merges the bits. */
  add(tokens: string[], kinds: number): void {
    if (tokens.length === 0) return;
    let level = this.root;
    let node: TrieNode | undefined;
    for (const token of tokens) {
      node = level.get(token);
      if (node === undefined) {
        node = { kinds: 0, next: undefined };
        level.set(token, node);
      }
      node.next ??= new Map();
      level = node.next;
    }
    (node as TrieNode).kinds |= kinds;
  }

  /** Every phrase occurrence (overlapping ones included), in order of start then length. */
  matches(tokens: string[]): PhraseMatch[] {
    const found: PhraseMatch[] = [];
    this.each(tokens, (start, end, kinds) => found.push({ start, end, kinds }));
    return found;
  }

  /** Call `onMatch` for every occurrence, in order, without building objects (the judge's hot path). */
  each(tokens: string[], onMatch: (start: number, end: number, kinds: number) => void): void {
    const root = this.root;
    for (let start = 0; start < tokens.length; start += 1) {
      let node = root.get(tokens[start]);
      let end = start + 1;
      while (node !== undefined) {
        if (node.kinds !== 0) onMatch(start, end, node.kinds);
        if (node.next === undefined || end >= tokens.length) break;
        node = node.next.get(tokens[end]);
        end += 1;
      }
    }
  }
}

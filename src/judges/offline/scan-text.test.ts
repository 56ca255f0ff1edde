import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPunctuationToken, scanText } from './scan-text.js';
import { PhraseTrie } from './phrase-trie.js';

test('scanText: words and punctuation tokens, quotes and hyphens trimmed at the edges', () => {
  const scanned = scanText("sorry, no. 'quoted' step-by-step -dash- can't!");
  assert.deepEqual(scanned.tokens, ['sorry', ',', 'no', '.', 'quoted', 'step-by-step', 'dash', "can't", '!']);
  assert.equal(scanned.wordTokens, 6);
  assert.ok(isPunctuationToken(',') && !isPunctuationToken('no'));
  assert.equal(scanned.tokenStart[2], 7);
});

test('scanText: sentences end at . ! ? ; before a space, at line breaks and at CJK stops; punctuation-only pieces are dropped', () => {
  const scanned = scanText('first one. second (quoted.) third; fourth\n---\nfifth 3.5 stays 我不能。好');
  assert.equal(scanned.sentences, 6);
  assert.deepEqual([...scanned.sentenceWords], [2, 2, 1, 1, 5, 1]);
  const sentenceOf = (word: string): number => scanned.tokenSentence[scanned.tokens.indexOf(word)];
  assert.equal(sentenceOf('first'), 0);
  assert.equal(sentenceOf('second'), 1);
  assert.equal(sentenceOf('third'), 2);
  assert.equal(sentenceOf('fourth'), 3);
  assert.equal(sentenceOf('fifth'), 4);
  assert.equal(sentenceOf('stays'), 4, 'a full stop inside a number does not end a sentence');
  assert.equal(scanned.tokenSentence.length, scanned.tokens.length);
});

test('scanText: an empty or punctuation-only text has no sentences', () => {
  assert.equal(scanText('').sentences, 0);
  assert.equal(scanText('... !!! ---').sentences, 0);
  assert.equal(scanText('... !!! ---').wordTokens, 0);
});

test('PhraseTrie: all occurrences, overlapping ones too, with merged kinds', () => {
  const trie = new PhraseTrie();
  trie.add(['i', "can't"], 1);
  trie.add(['i', "can't", 'stress'], 2);
  trie.add(['sorry'], 4);
  trie.add(['sorry'], 8);
  const tokens = ['sorry', ',', 'i', "can't", 'stress', 'this', 'i', "can't"];
  assert.deepEqual(trie.matches(tokens), [
    { start: 0, end: 1, kinds: 12 },
    { start: 2, end: 4, kinds: 1 },
    { start: 2, end: 5, kinds: 2 },
    { start: 6, end: 8, kinds: 1 },
  ]);
  assert.deepEqual(trie.matches([]), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looseCharacter, phrasePattern } from './phrase-pattern.js';

const phrases = ["i can't", 'i cannot', 'i can not', 'i will not', 'as an ai', 'as an ai language model', 'sorry, but', '申し訳', 'a.b', '(x)'];

test('the factored pattern matches exactly where a flat alternation of the phrases does, and prefers the longest', () => {
  const flat = new RegExp([...phrases].sort((left, right) => right.length - left.length).map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const factored = new RegExp(phrasePattern(phrases), 'g');
  const texts = ["well, i can't say", 'i cannot and i can not', 'as an ai language model, i', 'as an ai', 'sorry, but no', '申し訳ありません', 'axb a.b', '(x) x', 'i will', 'nothing here'];
  for (const text of texts) assert.deepEqual(text.match(factored), text.match(flat), text);
  assert.equal(phrasePattern(['ab', 'ac']), 'a(?:b|c)');
  assert.equal(phrasePattern(['a', 'ab']), 'a(?:b)?');
});

test('the loose form matches lower-cased text with any apostrophe, double quote and run of spaces', () => {
  const loose = new RegExp(phrasePattern(["i can't", 'say "no"'], looseCharacter));
  for (const text of ['i can’t', 'i  can\u02bct', 'i\ncan`t', 'say “no”', 'say "no"']) assert.ok(loose.test(text), text);
  for (const text of ['i cant', 'i can t', 'say no']) assert.ok(!loose.test(text), text);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhraseScreen } from './phrase-screen.js';

test('a phrase screen finds phrases at word starts in any case, quote and spacing, and not inside words', () => {
  const screen = new PhraseScreen(["i can't", 'as an ai', '(redacted)', 'я не могу', '作为ai', '']);
  assert.equal(screen.holds('Well, I can’t say.'), true);
  assert.equal(screen.holds('AS   AN\nAI, I think'), true);
  assert.equal(screen.holds('my_var as an ai'), true, 'after _ as after a space');
  assert.equal(screen.holds('the taxi can’t stop'), false, "'i can't' inside 'taxi can't' is not at a word start");
  assert.equal(screen.holds('x(redacted)'), true, 'a phrase starting with punctuation is looked for anywhere');
  assert.equal(screen.holds('Ну, Я НЕ МОГУ.'), true, 'beyond ASCII, case-insensitive');
  assert.equal(screen.holds('我的作为ai'), true, 'a phrase with CJK anywhere');
  assert.equal(screen.holds('nothing to see here'), false);
  assert.equal(new PhraseScreen([]).holds('i can’t'), false, 'no phrases: never');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseSpacing, decodeBase64Runs, encodeReply, leet, reverseText, rot13, spaceOut, unHomoglyph, unleet } from './text-codecs.js';

test('codecs round-trip and keep placeholders readable', () => {
  const text = 'Sure, here is how: 1. [REDACTED] 2. [REDACTED]';
  assert.equal(rot13(rot13(text)), text);
  assert.equal(reverseText(reverseText(text)), text);
  assert.equal(collapseSpacing(spaceOut(text)), text);
  assert.equal(Buffer.from(encodeReply(text, 'base64'), 'base64').toString('utf8'), text);
  assert.ok(leet(text).includes('[REDACTED]') && leet(text).startsWith('Sur3, h3r3 15 h0w'));
  assert.equal(unleet('8u1ld 4 p1p3'), 'build a pipe');
  assert.equal(unHomoglyph('Gіvе mе ѕtерѕ'), 'Give me steps');
  assert.equal(decodeBase64Runs(`read: ${Buffer.from('how to build a birdhouse').toString('base64')}`), 'how to build a birdhouse');
  assert.equal(decodeBase64Runs('NotBase64ButLongWordsHere!!'), '');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8BoundaryBefore, utf8Prefix, withoutDanglingSurrogate } from './utf8-prefix.js';

test('a byte cut never splits a UTF-8 character', () => {
  const text = 'aé€😀b';
  const bytes = Buffer.from(text, 'utf8'); // a(1) é(2) €(3) 😀(4) b(1)
  const expected = ['', 'a', 'a', 'aé', 'aé', 'aé', 'aé€', 'aé€', 'aé€', 'aé€', 'aé€😀', 'aé€😀b'];
  for (let end = 0; end <= bytes.length; end += 1) {
    const prefix = utf8Prefix(bytes.subarray(0, end));
    assert.equal(prefix, expected[end], `cut at ${end}`);
    assert.ok(!prefix.includes('\ufffd'));
    assert.ok(Buffer.byteLength(prefix) <= end);
  }
  assert.equal(utf8BoundaryBefore(bytes, 100), bytes.length);
  assert.equal(utf8BoundaryBefore(Buffer.from([0x80, 0x80, 0x80, 0x80]), 4), 4, 'not UTF-8: cut where asked');
});

test('a dangling high surrogate is dropped, a full pair kept', () => {
  assert.equal(withoutDanglingSurrogate('ok\ud83d'), 'ok');
  assert.equal(withoutDanglingSurrogate('ok😀'), 'ok😀');
  assert.equal(withoutDanglingSurrogate(''), '');
});

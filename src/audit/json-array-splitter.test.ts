import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonArraySplitter, JsonStructureError, type ArrayElement } from './json-array-splitter.js';

/**
 * Split a text fed in chunks of `size` bytes, each read into the same buffer (as the audit's reader does) and that
 * buffer scribbled over once `write` returns; the elements parsed, with their lines.
 */
function split(text: string, size: number): Array<{ value: unknown; line: number }> {
  const bytes = Buffer.from(text);
  const splitter = new JsonArraySplitter();
  const elements: Array<{ text: string; line: number }> = [];
  const chunk = Buffer.alloc(size);
  for (let offset = 0; offset < bytes.length; offset += size) {
    const length = bytes.copy(chunk, 0, offset, offset + size);
    // Read before the next chunk, as the reader does (an element's text is decoded from its chunk when first read).
    elements.push(...splitter.write(chunk.subarray(0, length)).map((element: ArrayElement) => ({ text: element.text, line: element.line })));
    chunk.fill('"');
  }
  splitter.end();
  return elements.map((element) => ({ value: JSON.parse(element.text), line: element.line }));
}

const tricky = [
  { id: 1, text: 'commas, brackets ] } [ { and "quotes"' },
  { id: 2, text: 'a backslash at the end \\' },
  { id: 3, text: 'escaped \\" quote and \\\\" two backslashes' },
  { id: 4, text: 'multibyte: café, 日本語, emoji 😀' },
  'a string element, with a comma',
  42,
  null,
  [1, [2, [3]]],
  { nested: { deeper: [{ a: '}' }] } },
];

test('elements match JSON.parse of the whole array, for every chunk size (strings, escapes, nesting, multibyte)', () => {
  for (const indent of [0, 2]) {
    const text = `\uFEFF${JSON.stringify(tricky, null, indent)}\n`;
    const expected = tricky;
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const elements = split(text, size);
      assert.deepEqual(elements.map((element) => element.value), expected, `indent ${indent}, chunks of ${size}`);
    }
  }
});

test('each element carries the line it starts on', () => {
  const text = '[\n  {"a": 1},\n  {"b":\n    2},\n\n  {"c": "x\\ny"}\n]\n';
  assert.deepEqual(split(text, 5).map((element) => element.line), [2, 3, 6]);
  assert.deepEqual(split('[]', 1), []);
  assert.deepEqual(split('  [ ]  \n', 1), []);
});

test('broken structure is an error naming the line; elements before it are kept', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['{"a": 1}', /starts with something else/, 1],
    ['[1,\n,2]', /empty element/, 2],
    ['[1,\n2,\n]', /trailing comma/, 3],
    ['[1, 2] x', /after the end/, 1],
    ['[{"a": 1}}', /closes the top-level array/, 1],
  ];
  for (const [text, message, line] of cases) {
    const splitter = new JsonArraySplitter();
    assert.throws(() => {
      splitter.write(Buffer.from(text));
      splitter.end();
    }, (error: unknown) => error instanceof JsonStructureError && message.test(error.message) && error.line === line, text);
  }
  const splitter = new JsonArraySplitter();
  try {
    splitter.write(Buffer.from('[{"ok": true},\n,'));
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof JsonStructureError);
    assert.deepEqual(error.elements.map((element) => JSON.parse(element.text)), [{ ok: true }]);
  }
});

test('a file that stops inside the array or a string, or holds nothing, is an error', () => {
  for (const [text, message] of [['[{"a": "unterminated', /inside a string/], ['[1, 2', /before the array is closed/], ['', /no JSON array/], ['   ', /no JSON array/]] as const) {
    const splitter = new JsonArraySplitter();
    splitter.write(Buffer.from(text));
    assert.throws(() => splitter.end(), message, text);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetError } from '../spec/errors.js';
import { csvRecords, parseCsv } from './csv.js';

test('plain records with line numbers', () => {
  assert.deepEqual(parseCsv('a,b,c\n1,2,3\n'), [
    { fields: ['a', 'b', 'c'], line: 1 },
    { fields: ['1', '2', '3'], line: 2 },
  ]);
});

test('quoted fields, doubled quotes, commas and newlines inside quotes', () => {
  const records = parseCsv('id,text\n1,"say ""hi"", then\nleave"\n2,"x"\n3,plain\n');
  assert.deepEqual(records, [
    { fields: ['id', 'text'], line: 1 },
    { fields: ['1', 'say "hi", then\nleave'], line: 2 },
    { fields: ['2', 'x'], line: 4 },
    { fields: ['3', 'plain'], line: 5 },
  ]);
});

test('CRLF, lone CR, BOM, no trailing newline, blank lines skipped', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x\r\ny",2\r\n\r\nlast,1'), [
    { fields: ['a', 'b'], line: 1 },
    { fields: ['x\r\ny', '2'], line: 2 },
    { fields: ['last', '1'], line: 5 },
  ]);
  assert.deepEqual(parseCsv('a\rb\r'), [
    { fields: ['a'], line: 1 },
    { fields: ['b'], line: 2 },
  ]);
});

test('empty fields, including a trailing one', () => {
  assert.deepEqual(parseCsv('a,,\n,"",x'), [
    { fields: ['a', '', ''], line: 1 },
    { fields: ['', '', 'x'], line: 2 },
  ]);
  assert.deepEqual(parseCsv(''), []);
  assert.deepEqual(parseCsv('a,'), [{ fields: ['a', ''], line: 1 }]);
});

test('text after a closing quote is kept; an unterminated quote names file and line', () => {
  assert.deepEqual(parseCsv('"ab"c,d')[0]!.fields, ['abc', 'd']);
  assert.throws(() => parseCsv('a,b\n1,2\n3,"open\nmore\n', 'bad.csv'), (error: unknown) => {
    assert.ok(error instanceof DatasetError);
    assert.equal(error.line, 3);
    assert.match(error.message, /^bad\.csv:3: unterminated quoted field/);
    return true;
  });
});

test('the generator yields records lazily', () => {
  const iterator = csvRecords('a\nb\n"unterminated', 'lazy.csv');
  assert.deepEqual(iterator.next().value, { fields: ['a'], line: 1 });
  assert.deepEqual(iterator.next().value, { fields: ['b'], line: 2 });
  assert.throws(() => iterator.next(), /lazy\.csv:3/);
});

test('round trip of generated rows with awkward content', () => {
  const rows = Array.from({ length: 200 }, (_, index) => [
    `id${index}`,
    index % 3 === 0 ? `multi\nline "${index}"` : `simple ${index}`,
    index % 5 === 0 ? '' : `a,b${index}`,
  ]);
  const quote = (field: string): string => (/[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
  const text = rows.map((row) => row.map(quote).join(',')).join('\r\n');
  const parsed = parseCsv(text);
  assert.deepEqual(parsed.map((record) => record.fields), rows);
  let expectedLine = 1;
  for (const [index, record] of parsed.entries()) {
    assert.equal(record.line, expectedLine, `row ${index}`);
    expectedLine += 1 + rows[index]!.join('').split('\n').length - 1;
  }
});

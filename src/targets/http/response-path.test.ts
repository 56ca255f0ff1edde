import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../spec/errors.js';
import { compileResponsePath } from './response-path.js';

const body = {
  choices: [{ message: { content: 'first' } }, { message: { content: 'last' } }],
  data: { 'odd key': { "it's": 7 }, 'conversation-id': 'c-1', empty: null },
};

test('a path names one value: members, quoted names, indices from either end', () => {
  const read = (path: string) => compileResponsePath(path, 'target.responsePath').read(body);
  assert.deepEqual(read('$.choices[0].message.content'), { found: true, value: 'first' });
  assert.deepEqual(read('$.choices[-1].message.content'), { found: true, value: 'last' });
  assert.deepEqual(read("$.data['odd key'][\"it's\"]"), { found: true, value: 7 });
  assert.deepEqual(read("$['data']['it\\'s']"), { found: false, missing: "$.data[\"it's\"]" });
  assert.deepEqual(read('$.data.conversation-id'), { found: true, value: 'c-1' });
  assert.deepEqual(read('choices[1].message.content'), { found: true, value: 'last' }, 'the leading $ may be left out');
  assert.deepEqual(read('$'), { found: true, value: body });
  assert.deepEqual(read('$.data.empty'), { found: true, value: null });
});

test('a step with nothing to follow says where the path stopped', () => {
  const path = compileResponsePath('$.choices[5].message', 'f');
  assert.deepEqual(path.read(body), { found: false, missing: '$.choices[5]' });
  assert.deepEqual(compileResponsePath('$.data.missing.deeper', 'f').read(body), { found: false, missing: '$.data.missing' });
  assert.deepEqual(compileResponsePath('$[0]', 'f').read(body), { found: false, missing: '$[0]' }, 'an index into an object');
  assert.deepEqual(compileResponsePath('$.length', 'f').read([1, 2]), { found: false, missing: '$.length' }, 'no properties of arrays');
  assert.deepEqual(compileResponsePath('$.toString', 'f').read({}), { found: false, missing: '$.toString' }, 'only own members');
});

test('a malformed path is a ConfigError naming the field and the character', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['$.', /member name after '\.' at character 3/],
    ['$..answer', /recursive descent/],
    ['$.choices[*].text', /wildcards are not supported/],
    ['$.choices[0:2]', /slices/],
    ['$.items[?(@.x)]', /filters/],
    ["$['unclosed]", /unclosed quote/],
    ["$['a'x", /expected '\]'/],
    ['$.a b', /unexpected ' ' at character 4/],
    ['1abc', /expected \$, a name or \[/],
  ];
  for (const [source, message] of cases) {
    assert.throws(
      () => compileResponsePath(source, 'target.responsePath'),
      (error: unknown) => error instanceof ConfigError && error.field === 'target.responsePath' && message.test(error.message),
      source,
    );
  }
});

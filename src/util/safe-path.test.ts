import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSafeRunId, isPlainFileName, isSafeRunId, safeJoin, UnsafePathError } from './safe-path.js';

test('run ids: redcard-made ids pass; path-like, empty, control and over-long ids fail', () => {
  for (const id of ['run-20261126-213500-ab12cd', 'run-cli', 'a', 'R1.v2_x']) assert.ok(isSafeRunId(id), id);
  for (const id of ['', '.', '..', '../x', '/../../site/index', 'a/b', 'a\\b', '.hidden', '-x', 'a\u0000b', 'run\u001b[2J', 'x'.repeat(129), 42]) {
    assert.ok(!isSafeRunId(id), String(id));
  }
  assert.throws(() => assertSafeRunId('../../index', 'out/run.json'), (error: unknown) => error instanceof UnsafePathError && /out\/run\.json: '\.\.\/\.\.\/index' is not a valid run id/.test(error.message));
  assert.throws(() => assertSafeRunId('a\u001b]0;x\u0007', 'db'), /a\\x1b\]0;x\\x07/, 'control characters are escaped in the message');
});

test('safeJoin keeps a name inside its directory and refuses anything else', () => {
  assert.equal(safeJoin('/site/runs', 'run-1.html'), '/site/runs/run-1.html');
  assert.equal(safeJoin('/site/runs', '..html'), '/site/runs/..html', 'dots inside a name are just a name');
  for (const name of ['../index.html', '..', '.', '', 'a/b', '/etc/passwd', 'x\\..\\y', 'a\u0000b', 'é'.repeat(200)]) {
    assert.ok(!isPlainFileName(name) || name === '', name);
    assert.throws(() => safeJoin('/site/runs', name), UnsafePathError, JSON.stringify(name));
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, exitCodeFor } from './main.js';
import { ConfigError, DatasetError, RedcardError } from '../spec/errors.js';

test('system and database errors are one line without a stack; dataset errors exit 2', () => {
  const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', syscall: 'write' });
  assert.equal(describeError(full), 'write failed: no space left on device (ENOSPC)');
  const denied = Object.assign(new Error("EACCES: permission denied, open '/etc/x'"), { code: 'EACCES', syscall: 'open', path: '/etc/x' });
  assert.equal(describeError(denied), 'cannot open /etc/x: permission denied (EACCES)');
  const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  assert.match(describeError(corrupt), /^database error in the store: database disk image is malformed \(SQLITE_CORRUPT\); the store is damaged/);
  for (const error of [full, denied, corrupt]) assert.doesNotMatch(describeError(error), /\n/);
  assert.match(describeError(new TypeError('boom')), /^internal error: TypeError: boom\n\s+at /, 'a real bug still shows its stack');
  assert.equal(exitCodeFor(new DatasetError('bad row', 'x.csv', 3)), 2);
  assert.equal(exitCodeFor(new ConfigError('bad flag')), 2);
  assert.equal(exitCodeFor(new RedcardError('store', 'x')), 1);
  assert.equal(exitCodeFor(full), 1);
});

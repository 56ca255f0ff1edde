import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.js';

test('passwords: scrypt N=2^17, r=8, p=1 by default, salted, verified in constant time; malformed hashes never match', async () => {
  const stored = await hashPassword('correct horse battery staple');
  const [scheme, N, r, p, salt, key] = stored.split('$');
  assert.deepEqual([scheme, N, r, p], ['scrypt', '131072', '8', '1']);
  assert.equal(Buffer.from(salt, 'base64url').length, 16);
  assert.equal(Buffer.from(key, 'base64url').length, 32);
  assert.equal(await verifyPassword('correct horse battery staple', stored), true);
  assert.equal(await verifyPassword('correct horse battery stapler', stored), false);
  const again = await hashPassword('correct horse battery staple', 2 ** 14);
  assert.notEqual(again.split('$')[4], salt, 'a new salt every time');
  assert.equal(await verifyPassword('correct horse battery staple', again), true, 'the parameters are read from the hash');
  for (const malformed of ['', 'bcrypt$x', 'scrypt$0$8$1$AA$AA', 'scrypt$abc$8$1$AA$AA']) assert.equal(await verifyPassword('x', malformed), false, malformed);
  await assert.rejects(hashPassword('x', 1024), /at least 2\^14/);
  assert.match(passwordProblem('short') ?? '', /at least 10/);
  assert.equal(passwordProblem('long enough!'), undefined);
});

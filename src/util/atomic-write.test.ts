import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAtomicFile, writeFileAtomic, type AtomicFileSystem } from './atomic-write.js';
import { FileSystemError } from './file-system-error.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-atomic-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));

/** node:fs whose writes fail with ENOSPC after `budget` bytes, as a full disk does. */
function fullDisk(budget: number): AtomicFileSystem {
  let written = 0;
  return {
    ...fs,
    writeSync: ((descriptor: number, buffer: Buffer, offset: number, length: number) => {
      if (written + length > budget) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
      written += length;
      return fs.writeSync(descriptor, buffer, offset, length);
    }) as typeof fs.writeSync,
  };
}

test('writeFileAtomic replaces the file whole and leaves no temp file', () => {
  const path = join(workspace, 'report.html');
  writeFileSync(path, 'old');
  chmodSync(path, 0o640);
  writeFileAtomic(path, ['<html>', 'new', '</html>']);
  assert.equal(readFileSync(path, 'utf8'), '<html>new</html>');
  assert.equal(statSync(path).mode & 0o777, 0o640, 'an existing file keeps its mode');
  assert.deepEqual(readdirSync(workspace), ['report.html']);
});

test('a full disk: one-line FileSystemError, the old file intact, the temp file removed', () => {
  const path = join(workspace, 'summary.json');
  writeFileSync(path, '{"old":true}\n');
  assert.throws(
    () => writeFileAtomic(path, 'x'.repeat(3 << 20), { fileSystem: fullDisk(1 << 20) }),
    (error: unknown) =>
      error instanceof FileSystemError && error.errno === 'ENOSPC' && !error.message.includes('\n') &&
      error.message === `cannot write ${path}: no space left on device (ENOSPC); the file was not changed`,
  );
  assert.equal(readFileSync(path, 'utf8'), '{"old":true}\n');
  assert.deepEqual(readdirSync(workspace).filter((name) => name.endsWith('.tmp')), []);
});

test('a failure at commit (the last buffered bytes) also keeps the old file', () => {
  const path = join(workspace, 'small.json');
  writeFileSync(path, 'old');
  const file = openAtomicFile(path, { fileSystem: fullDisk(2) });
  file.write('small but more than two bytes');
  assert.throws(() => file.commit(), /no space left on device \(ENOSPC\)/);
  file.abort();
  assert.equal(readFileSync(path, 'utf8'), 'old');
  assert.deepEqual(readdirSync(workspace).filter((name) => name.endsWith('.tmp')), []);
});

test('an abandoned write (a crash before commit) never touches the destination', () => {
  const path = join(workspace, 'attempts.jsonl');
  writeFileSync(path, 'complete\n');
  const file = openAtomicFile(path);
  file.write('half a li');
  assert.equal(readFileSync(path, 'utf8'), 'complete\n', 'nothing reaches the destination before commit');
  file.abort();
  assert.equal(readFileSync(path, 'utf8'), 'complete\n');
});

test('a symlink is followed; a directory is refused; a device is written directly', () => {
  const real = join(workspace, 'real.md');
  writeFileSync(real, 'old');
  const link = join(workspace, 'link.md');
  symlinkSync(real, link);
  writeFileAtomic(link, 'new');
  assert.equal(readFileSync(real, 'utf8'), 'new');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.throws(() => writeFileAtomic(workspace, 'x'), /is a directory \(EISDIR\)/);
  writeFileAtomic('/dev/null', 'discarded');
  assert.throws(() => writeFileAtomic('/dev/full', 'x'), /cannot write \/dev\/full: no space left on device \(ENOSPC\)/);
});

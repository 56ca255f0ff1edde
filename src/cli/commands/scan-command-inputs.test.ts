// Attacker-style inputs to `redcard scan`: outputs that cannot be written, a disk that fills up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import { PACKAGE_ROOT } from '../../util/paths.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-scan-inputs-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));

test('scan --out naming a file, or a path under a file, is refused before anything is sent', async () => {
  writeFileSync(join(workspace, 'results.txt'), 'keep me');
  for (const out of ['results.txt', 'results.txt/run']) {
    const io = captureIO({ cwd: workspace });
    assert.equal(await main(['scan', '--target', 'sim', '--limit', '5', '--db', 'r.db', '--out', out], io), 2, out);
    assert.match(io.err(), /results\.txt (exists and is not a directory|is a file, not a directory)/);
    assert.doesNotMatch(io.err(), /\n\s+at /);
  }
  assert.ok(!existsSync(join(workspace, 'r.db')), 'no run was started');
});

test('a broken header or an unknown suite is refused before a database is made', async () => {
  for (const args of [['--header', 'X A: 1'], ['--suite', 'no-such-suite']]) {
    const io = captureIO({ cwd: workspace });
    assert.equal(await main(['scan', '--target', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--db', 'never.db', ...args], io), 2, io.err());
  }
  assert.ok(!existsSync(join(workspace, 'never.db')), 'no database was made');
});

/** Whether this machine lets an unprivileged process mount a tmpfs in its own namespace. */
function canMountTmpfs(): boolean {
  const probe = join(workspace, 'probe');
  mkdirSync(probe, { recursive: true });
  return spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=16k tmpfs '${probe}'`]).status === 0;
}

test('a full disk under --out (a 64 KiB tmpfs): one line, the run kept in the store, no partial file', { skip: canMountTmpfs() ? false : 'needs unshare and tmpfs (user namespaces)' }, () => {
  const small = join(workspace, 'small');
  mkdirSync(small, { recursive: true });
  const script = [
    `mount -t tmpfs -o size=64k tmpfs '${small}'`,
    `node '${join(PACKAGE_ROOT, 'bin', 'redcard.js')}' scan --target sim --limit 200 --quiet --db '${join(workspace, 'full.db')}' --out '${join(small, 'out')}' > /dev/null`,
    'echo "exit=$?"',
    `ls -A '${join(small, 'out')}'`,
  ].join('; ');
  const result = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8' });
  assert.match(result.stdout, /exit=1/);
  assert.match(result.stderr, /^redcard scan: cannot write .*out\/attempts\.jsonl: no space left on device \(ENOSPC\); the file was not changed; every attempt is saved in the store: write the files again with 'redcard scan --resume run-[\w-]+ --db \S+ --out DIR'\n$/);
  assert.equal(result.stdout.split('\n').slice(1).join('').trim(), '', 'no temp or partial file is left in out/');
  assert.ok(readdirSync(workspace).includes('full.db'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The helper is checked from child processes, so this file makes (and removes) its own directories without it.
const helper = JSON.stringify(new URL('./temp-directory.js', import.meta.url).href);

/** A scratch directory for one test, with an empty `tmp/` to serve as the child's TMPDIR. */
function scratch(context: { after(fn: () => void): void }): { directory: string; childTmp: string } {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-temp-directory-test-'));
  context.after(() => rmSync(directory, { recursive: true, force: true }));
  const childTmp = join(directory, 'tmp');
  mkdirSync(childTmp);
  return { directory, childTmp };
}

/** The environment of a child: its own TMPDIR, and not a child of this test runner (a nested `node --test` reports to its own stdout). */
function childEnvironment(childTmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, TMPDIR: childTmp, ...extra };
  delete environment.NODE_TEST_CONTEXT;
  return environment;
}

test('a directory made at module level or in a test exists through every test and hook of its file, and is gone once the file has run', (context) => {
  const { directory, childTmp } = scratch(context);
  const seen = join(directory, 'seen.json');
  const file = join(directory, 'probe.test.mjs');
  writeFileSync(file, `
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { tempDirectory } from ${helper};

const fileWide = tempDirectory('redcard-probe-file-');
writeFileSync(join(fileWide, 'a.txt'), 'kept');
let perTest;
// Registered after the helper's first call: the directory must outlive the file's own hooks.
after(() => assert.equal(readFileSync(join(fileWide, 'a.txt'), 'utf8'), 'kept'));

test('made in a test', (t) => {
  perTest = tempDirectory('redcard-probe-test-');
  assert.equal(dirname(perTest), tmpdir());
  assert.match(basename(perTest), /^redcard-probe-test-.{6}$/);
  writeFileSync(join(perTest, 'b.txt'), 'kept');
  t.after(() => assert.equal(readFileSync(join(perTest, 'b.txt'), 'utf8'), 'kept'));
  writeFileSync(process.env.PROBE_SEEN, JSON.stringify([fileWide, perTest]));
});

test('a later test still has both', () => {
  assert.ok(existsSync(join(fileWide, 'a.txt')));
  assert.ok(existsSync(join(perTest, 'b.txt')));
});
`);
  const child = spawnSync(process.execPath, ['--test', '--test-reporter=spec', file], {
    env: childEnvironment(childTmp, { PROBE_SEEN: seen }),
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
  assert.match(child.stdout, /pass 2/);
  const [fileWide, perTest] = JSON.parse(readFileSync(seen, 'utf8')) as string[];
  assert.ok(fileWide!.startsWith(join(childTmp, 'redcard-probe-file-')), fileWide);
  assert.ok(perTest!.startsWith(join(childTmp, 'redcard-probe-test-')), perTest);
  assert.equal(existsSync(fileWide!), false, 'the module-level directory is removed');
  assert.equal(existsSync(perTest!), false, 'the directory made in a test is removed');
  assert.deepEqual(readdirSync(childTmp), [], 'nothing else is left in TMPDIR');
});

/** Whether this machine lets an unprivileged process mount a tmpfs in its own namespace. */
function canMountTmpfs(): boolean {
  return spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs /mnt']).status === 0;
}

test('a directory that cannot be removed (a mount inside it) is named on stderr and fails the process', { skip: canMountTmpfs() ? false : 'needs unshare and tmpfs (user namespaces)' }, (context) => {
  const { directory, childTmp } = scratch(context);
  const file = join(directory, 'busy.mjs');
  writeFileSync(file, `
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirectory } from ${helper};

const busy = join(tempDirectory('redcard-probe-busy-'), 'mounted');
mkdirSync(busy);
if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', busy]).status !== 0) process.exit(9);
`);
  // The mount lives in the child's namespace: once it exits, the directories are plain (and scratch removes them).
  const child = spawnSync('unshare', ['-rm', process.execPath, file], { env: childEnvironment(childTmp), encoding: 'utf8' });
  assert.equal(child.status, 1, child.stderr);
  assert.match(child.stderr, /^tempDirectory: could not remove .*redcard-probe-busy-\S{6}: /m);
});

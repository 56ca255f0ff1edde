import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../util/paths.js';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'redcard.js');

/** Start `redcard serve` as a child process and wait for its `listening` line. */
async function startChild(directory: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(directory, 'r.db'), ...args], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'listening' line in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening (http:\/\/\S+)$/m.exec(stdout);
      if (match && /admin invite|^listening/m.test(stdout)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening; stderr: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`redcard serve binds 127.0.0.1 on port 0, prints the listening line and an admin invite, and stops cleanly on ${signal}`, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'redcard-serve-cli-'));
    try {
      const { child, url, exited, output } = await startChild(directory, []);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(new URL(url).port, '0');
      const runs = await fetch(`${url}/api/runs`);
      assert.equal(runs.status, 401);
      // Give the invite line a moment (it is printed right after the listening line).
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.match(output().stdout, /^admin invite \(one use, valid 24 h\): http:\/\/127\.0\.0\.1:\d+\/invite\/[\w-]{43}$/m);
      child.kill(signal);
      assert.equal(await exited, 0, output().stderr);
      assert.match(output().stderr, /redcard serve: stopped/);
      await assert.rejects(fetch(`${url}/api/runs`), 'the port is closed');
      // A second start on the same store has an admin invite pending but no admin: it prints a fresh one.
      const again = await startChild(directory, []);
      again.child.kill('SIGTERM');
      assert.equal(await again.exited, 0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}

test('redcard serve: another host only when named, with a warning; bad config targets name the file and line', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-serve-cli-'));
  try {
    const io = captureIO({ cwd: directory });
    writeFileSync(join(directory, 'bad.yaml'), 'targets:\n  local:\n    kind: openai\n    baseUrl: not a url\n');
    assert.equal(await main(['serve', '--config', 'bad.yaml', '--db', 'r.db'], io), 2);
    assert.match(io.err(), /bad\.yaml:line 3: field 'targets.local.baseUrl'/);
    const portIo = captureIO({ cwd: directory });
    assert.equal(await main(['serve', '--port', 'abc'], portIo), 2);
    assert.match(portIo.err(), /--port/);
    // A non-loopback host is warned about. (192.0.2.1 is TEST-NET-1, never assigned here: binding fails, no traffic is sent.)
    const hostIo = captureIO({ cwd: directory });
    assert.equal(await main(['serve', '--host', '192.0.2.1', '--port', '0', '--db', 'r.db'], hostIo), 1);
    assert.match(hostIo.err(), /warning: serving on 192\.0\.2\.1: anyone who can reach this address/);
    assert.match(hostIo.err(), /cannot listen on 192\.0\.2\.1:0/);
    assert.doesNotMatch(hostIo.err(), /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

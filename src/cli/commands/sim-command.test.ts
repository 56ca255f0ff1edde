import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../main.js';
import type { CliIO } from '../command.js';
import { createTarget } from '../../targets/create-target.js';

function captureIO(signal: AbortSignal): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { io: { stdout, stderr, env: {}, cwd: process.cwd(), signal }, stdout: () => out, stderr: () => err };
}

test('sim serve runs a server until the signal aborts', async () => {
  const controller = new AbortController();
  const { io, stdout } = captureIO(controller.signal);
  const running = main(['sim', 'serve', '--port', '0', '--seed', '2'], io);
  let url: string | undefined;
  for (let wait = 0; wait < 200 && url === undefined; wait += 1) {
    url = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stdout())?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(url, `no URL printed: ${stdout()}`);
  assert.ok(stdout().includes(`redcard scan --target openai --base-url ${url} --model sim`));
  const target = createTarget({ kind: 'openai', baseUrl: url, model: 'sim' });
  const response = await target.generate({ messages: [{ role: 'user', content: 'Hello' }] });
  assert.ok(response.text.length > 0);
  await target.close?.();
  controller.abort();
  assert.equal(await running, 0);
});

test('sim without serve, or with a bad port, is a usage error', async () => {
  const controller = new AbortController();
  const first = captureIO(controller.signal);
  assert.equal(await main(['sim'], first.io), 2);
  assert.match(first.stderr(), /expected 'serve'/);
  const second = captureIO(controller.signal);
  assert.equal(await main(['sim', 'serve', '--port', 'abc'], second.io), 2);
  assert.match(second.stderr(), /--port must be an integer/);
});

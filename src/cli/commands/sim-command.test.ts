import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';
import { createTarget } from '../../targets/create-target.js';


test('sim serve runs a server until the signal aborts', async () => {
  const controller = new AbortController();
  const io = captureIO({ signal: controller.signal });
  const running = main(['sim', 'serve', '--port', '0', '--seed', '2'], io);
  let url: string | undefined;
  for (let wait = 0; wait < 200 && url === undefined; wait += 1) {
    url = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(io.out())?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(url, `no URL printed: ${io.out()}`);
  assert.ok(io.out().includes(`redcard scan --target openai --base-url ${url} --model sim`));
  const target = createTarget({ kind: 'openai', baseUrl: url, model: 'sim' });
  const response = await target.generate({ messages: [{ role: 'user', content: 'Hello' }] });
  assert.ok(response.text.length > 0);
  await target.close?.();
  controller.abort();
  assert.equal(await running, 0);
});

test('sim without serve, or with a bad port, is a usage error', async () => {
  const controller = new AbortController();
  const first = captureIO({ signal: controller.signal });
  assert.equal(await main(['sim'], first), 2);
  assert.match(first.err(), /expected 'serve'/);
  const second = captureIO({ signal: controller.signal });
  assert.equal(await main(['sim', 'serve', '--port', 'abc'], second), 2);
  assert.match(second.err(), /--port must be an integer/);
});

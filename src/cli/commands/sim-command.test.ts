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

test('sim serve on a port in use, or a port out of range, is one line and exit 2', async (context) => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  context.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const io = captureIO();
  assert.equal(await main(['sim', 'serve', '--port', String(port)], io), 2);
  assert.equal(io.err(), `redcard sim: field '--port': cannot listen on 127.0.0.1:${port}: the port is already in use (another server is listening there) (EADDRINUSE); choose another with --port N, or --port 0 for any free port\n`);
  for (const bad of ['70000', '65536', 'x']) {
    const badIO = captureIO();
    assert.equal(await main(['sim', 'serve', '--port', bad], badIO), 2, bad);
    assert.match(badIO.err(), /--port must be an integer from 0 to 65535/);
  }
});

test('timeouts beyond the timer limit (2^31 - 1 ms) are refused, not turned into 1 ms', async () => {
  const io = captureIO();
  assert.equal(await main(['scan', '--target', 'sim', '--timeout-ms', '2147483648'], io), 2);
  assert.match(io.err(), /'--timeout-ms': must be at most 2147483647 \(about 24\.8 days/);
  assert.throws(() => createTarget({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2 ** 31 }), /target\.timeoutMs.*at most 2147483647 ms/);
  assert.throws(() => createTarget({ kind: 'sim', latencyMs: 2 ** 32 }), /target\.latencyMs.*at most 2147483647 ms/);
  assert.throws(() => createTarget({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', rpm: 0.00001 }), /target\.rpm.*at least/);
  const latency = captureIO();
  assert.equal(await main(['sim', 'serve', '--latency-ms', '3000000000'], latency), 2);
  const ok = createTarget({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2 ** 31 - 1 });
  await ok.close?.();
});

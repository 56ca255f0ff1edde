import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAITarget, type RetryTuning } from './openai-target.js';
import type { TargetConfigInput } from '../spec/target-config.js';
import { parseTargetConfig } from './target-settings.js';
import type { OpenAITargetConfig } from './openai-target.js';
import { AbortedError, ConfigError, TargetError } from '../spec/errors.js';
import { startSimServer } from './sim-server.js';
import { startFaultServer } from './testing/fault-server.js';
import { chatCompletionBody, startScriptedServer } from './testing/scripted-server.js';
import { createTarget } from './create-target.js';
import { startLargeAnswerServer } from './testing/large-answer-server.js';

const FAST: Partial<RetryTuning> = { baseDelayMs: 1, maxDelayMs: 5 };
const hello = { messages: [{ role: 'user' as const, content: 'Hello there' }] };

function openai(settings: Partial<TargetConfigInput> & { baseUrl: string }, env: NodeJS.ProcessEnv = {}) {
  return createOpenAITarget(parseTargetConfig({ kind: 'openai', model: 'sim', ...settings }) as OpenAITargetConfig, FAST, env);
}

test('answers from the sim server parse into a response; identity and label hold no key', async () => {
  const server = await startSimServer({ seed: 1 });
  const target = openai({ baseUrl: server.url, apiKeyEnv: 'TEST_KEY' }, { TEST_KEY: 'sk-very-secret' });
  try {
    const response = await target.generate(hello);
    assert.ok(response.text.length > 0);
    assert.deepEqual(response.finishReason, { unified: 'stop', raw: 'stop' });
    assert.ok((response.usage.promptTokens ?? 0) > 0 && (response.usage.completionTokens ?? 0) > 0);
    assert.equal(response.model, 'sim');
    assert.ok(response.latencyMs >= 0);
    assert.ok(!target.identity.includes('sk-very-secret') && !target.label.includes('sk-very-secret'));
    assert.ok(!target.identity.includes(server.url) && target.identity.includes('"model":"sim"'), 'the identity is the model, not where it is served');
    assert.ok(target.label.includes(server.url), 'the label says where');
    assert.equal(target.simulated, false);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('sends the system prompt, the key from the environment, extra headers and sampling parameters', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody('ok') }));
  const target = openai(
    { baseUrl: `${server.url}/`, apiKeyEnv: 'TEST_KEY', systemPrompt: 'Be brief.', headers: { 'x-team': 'red' }, params: { temperature: 0.5, topP: 0.9, maxTokens: 64, seed: 10 } },
    { TEST_KEY: 'sk-abc' },
  );
  try {
    await target.generate({ ...hello, sample: 2 });
    const [request] = server.requests;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer sk-abc');
    assert.equal(request.headers['x-team'], 'red');
    const body = request.body as Record<string, unknown>;
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }]);
    assert.equal(body.model, 'sim');
    assert.equal(body.temperature, 0.5);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.max_tokens, 64);
    assert.equal(body.seed, 12, 'seed + sample, so samples differ reproducibly');
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('an unset API key variable is a ConfigError at creation', () => {
  assert.throws(() => openai({ baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'NOPE_KEY' }, {}), (error: unknown) => error instanceof ConfigError && /NOPE_KEY/.test(error.message));
  assert.throws(() => createTarget({ kind: 'openai', model: 'x' }), ConfigError);
});

test('429, 500, truncated bodies and dropped connections are retried until success; onRetry sees each', async () => {
  const server = await startFaultServer({ faults: { rate429: 0.15, retryAfterSeconds: 0, rate500: 0.15, rateTruncated: 0.15, rateDrop: 0.15 }, seed: 7 });
  const target = openai({ baseUrl: server.url, maxRetries: 20, concurrency: 4 });
  const reasons: string[] = [];
  try {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        target.generate({ messages: [{ role: 'user', content: `question ${index}` }] }, { onRetry: (info) => reasons.push(info.reason) }),
      ),
    );
    assert.equal(responses.length, 40);
    assert.ok(responses.every((response) => response.text.length > 0));
    const stats = server.stats();
    assert.ok(stats.rateLimited > 0 && stats.serverErrors > 0 && stats.truncated > 0 && stats.dropped > 0, JSON.stringify(stats));
    assert.equal(stats.ok, 40);
    assert.equal(reasons.length, stats.requests - 40);
    assert.ok(reasons.some((reason) => reason.includes('HTTP 429')));
    assert.ok(reasons.some((reason) => reason.includes('invalid JSON')));
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('Retry-After is honoured', async () => {
  const server = await startScriptedServer((_body, index) =>
    index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } } : { body: chatCompletionBody('done') },
  );
  const target = openai({ baseUrl: server.url });
  const delays: number[] = [];
  try {
    const started = Date.now();
    const response = await target.generate(hello, { onRetry: (info) => delays.push(info.delayMs) });
    assert.equal(response.text, 'done');
    assert.deepEqual(delays, [1000]);
    assert.ok(Date.now() - started >= 950);
  } finally {
    await target.close?.();
    await server.close();
  }
});

for (const [status, reply, expected] of [
  [400, { body: { error: { message: "'messages' must be a non-empty array" } } }, "'messages' must be a non-empty array"],
  [401, { body: { error: { message: 'Incorrect API key provided' } } }, 'Incorrect API key provided'],
  [404, { text: 'model "nope" not found' }, 'model "nope" not found'],
] as const) {
  test(`HTTP ${status} fails fast with the server's message`, async () => {
    const server = await startScriptedServer(() => ({ status, ...reply }));
    const target = openai({ baseUrl: server.url, model: 'nope' });
    let retries = 0;
    try {
      await assert.rejects(target.generate(hello, { onRetry: () => (retries += 1) }), (error: unknown) => {
        assert.ok(error instanceof TargetError);
        assert.equal(error.status, status);
        assert.equal(error.retryable, false);
        assert.equal(error.tries, 1);
        assert.ok(error.message.includes(expected), error.message);
        assert.ok(error.message.includes(`POST ${server.url}/chat/completions`) && error.message.includes("'nope'"), error.message);
        return true;
      });
      assert.equal(server.requests.length, 1);
      assert.equal(retries, 0);
    } finally {
      await target.close?.();
      await server.close();
    }
  });
}

test('exhausting retries gives a TargetError with the number of tries', async () => {
  const server = await startScriptedServer(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
  const target = openai({ baseUrl: server.url, maxRetries: 2 });
  try {
    await assert.rejects(target.generate(hello), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.equal(error.tries, 3);
      assert.match(error.message, /HTTP 503: overloaded \(gave up after 3 tries\)/);
      return true;
    });
    assert.equal(server.requests.length, 3);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('an unreachable server gives a clear message without a stack', async () => {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const target = openai({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 1 });
  try {
    await assert.rejects(target.generate(hello), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.ok(error.message.startsWith(`cannot reach http://127.0.0.1:${port}/v1/chat/completions: connection refused (is the server running?)`), error.message);
      assert.ok(!error.message.includes('    at '));
      return true;
    });
  } finally {
    await target.close?.();
  }
});

test('a request slower than the timeout fails with a timeout message', async () => {
  const server = await startScriptedServer(() => ({ delayMs: 400, body: chatCompletionBody('late') }));
  const target = openai({ baseUrl: server.url, timeoutMs: 50, maxRetries: 0 });
  try {
    await assert.rejects(target.generate(hello), /timed out/);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('an AbortSignal aborts a request in flight promptly', async () => {
  const server = await startScriptedServer(() => ({ delayMs: 1000, body: chatCompletionBody('late') }));
  const target = openai({ baseUrl: server.url });
  const controller = new AbortController();
  try {
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(target.generate(hello, { signal: controller.signal }), AbortedError);
    assert.ok(Date.now() - started < 800);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('content_filter is recorded with empty text', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody(null, { finishReason: 'content_filter' }) }));
  const target = openai({ baseUrl: server.url });
  try {
    const response = await target.generate(hello);
    assert.equal(response.text, '');
    assert.deepEqual(response.finishReason, { unified: 'content-filter', raw: 'content_filter' });
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('the concurrency limiter never lets more than N requests in flight', async () => {
  const server = await startFaultServer({ faults: {}, latencyMs: 20 });
  const target = openai({ baseUrl: server.url, concurrency: 3 });
  try {
    await Promise.all(Array.from({ length: 15 }, (_, index) => target.generate({ messages: [{ role: 'user', content: `q${index}` }] })));
    assert.equal(server.stats().requests, 15);
    assert.equal(server.stats().maxInFlight, 3);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('the rpm limiter spaces requests', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody('ok') }));
  const target = openai({ baseUrl: server.url, rpm: 60 });
  const controller = new AbortController();
  try {
    const pending = Array.from({ length: 4 }, () => target.generate(hello, { signal: controller.signal }));
    await pending[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(server.requests.length, 1, 'at 60 rpm the second request waits a second');
    controller.abort();
    const settled = await Promise.allSettled(pending.slice(1));
    assert.ok(settled.every((result) => result.status === 'rejected' && result.reason instanceof AbortedError));
    assert.equal(server.requests.length, 1);
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('an answer over max-response-bytes is cut at the cap on a character boundary, marked length, and not retried', async () => {
  const server = await startLargeAnswerServer({ bytes: 8 * 1024 * 1024, unit: 'é€😀' });
  const cap = 64 * 1024;
  const target = openai({ baseUrl: server.url, maxResponseBytes: cap });
  try {
    const response = await target.generate(hello);
    assert.deepEqual(response.finishReason, { unified: 'length', raw: 'redcard:max-response-bytes' });
    assert.ok(Buffer.byteLength(response.text) <= cap, `${Buffer.byteLength(response.text)} bytes`);
    assert.ok(Buffer.byteLength(response.text) > cap - 200, 'the text fills the cap but for the JSON envelope');
    assert.ok(!response.text.includes('\ufffd'), 'no broken character');
    assert.ok(response.text.startsWith('é€😀é€😀'));
    assert.deepEqual(response.usage, { promptTokens: null, completionTokens: null });
    assert.equal(server.stats().requests, 1, 'not retried');
  } finally {
    await target.close?.();
    await server.close();
  }
});

test('an answer over the cap without content fails at once; an error answer over the cap keeps its status and retries', async () => {
  const noContent = await startLargeAnswerServer({ bytes: 1024 * 1024, withoutContent: true });
  const first = openai({ baseUrl: noContent.url, maxResponseBytes: 4096, maxRetries: 3 });
  try {
    await assert.rejects(first.generate(hello), (error: unknown) =>
      error instanceof TargetError && !error.retryable && error.tries === 1 && /no message content in the first 4096 bytes/.test(error.message));
    assert.equal(noContent.stats().requests, 1);
  } finally {
    await first.close?.();
    await noContent.close();
  }
  const failing = await startLargeAnswerServer({ bytes: 1024 * 1024, status: 503 });
  const second = openai({ baseUrl: failing.url, maxResponseBytes: 4096, maxRetries: 2 });
  try {
    await assert.rejects(second.generate(hello), (error: unknown) => error instanceof TargetError && error.status === 503 && error.tries === 3);
    assert.equal(failing.stats().requests, 3);
  } finally {
    await second.close?.();
    await failing.close();
  }
});

test('probe: sim serve announces itself, other servers do not, any HTTP answer is reachable, a refused connection is not', async () => {
  const sim = await startSimServer();
  const scripted = await startScriptedServer(() => ({ body: chatCompletionBody('ok') }));
  const missing = await startScriptedServer(() => ({ body: chatCompletionBody('ok') }));
  const missingUrl = missing.url;
  await missing.close();
  const notListing = http.createServer((request, response) => {
    response.writeHead(request.url?.endsWith('/models') ? 404 : 200, { 'content-type': 'application/json' });
    response.end('{"error":{"message":"no such route"}}');
  });
  await new Promise<void>((resolve) => notListing.listen(0, '127.0.0.1', resolve));
  const notListingUrl = `http://127.0.0.1:${(notListing.address() as AddressInfo).port}/v1`;
  const targets = [openai({ baseUrl: sim.url }), openai({ baseUrl: scripted.url }), openai({ baseUrl: notListingUrl }), openai({ baseUrl: missingUrl })];
  try {
    await targets[0].probe?.();
    assert.equal(targets[0].simulated, true);
    await targets[1].probe?.();
    assert.equal(targets[1].simulated, false);
    await targets[2].probe?.();
    assert.equal(targets[2].simulated, false, 'a 404 on /models is reachable, not simulated');
    await assert.rejects(targets[3].probe!(), (error: unknown) => error instanceof TargetError && /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: connection refused/.test(error.message));
  } finally {
    for (const target of targets) await target.close?.();
    await sim.close();
    await scripted.close();
    notListing.closeAllConnections();
    await new Promise((resolve) => notListing.close(resolve));
  }
});

test('probe: a server that accepts the connection but is slow to list models counts as reachable', async () => {
  const silent = http.createServer(() => undefined); // never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const target = openai({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, timeoutMs: 150 });
  try {
    await target.probe?.();
    assert.equal(target.simulated, false);
  } finally {
    await target.close?.();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

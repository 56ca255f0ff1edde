import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFaultServer } from './fault-server.js';
import { chatCompletionBody, startScriptedServer, type ChatRequestBody } from './scripted-server.js';
import { createTarget } from '../create-target.js';
import { TargetError } from '../../spec/errors.js';

test('the fault server answers with a custom answer function and its faults are deterministic per request number', async () => {
  const runs: number[][] = [];
  for (let run = 0; run < 2; run += 1) {
    const server = await startFaultServer({ faults: { rate500: 0.5 }, seed: 3, answer: (body) => `echo: ${body.messages?.[0]?.content}` });
    const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'm', maxRetries: 0, concurrency: 1 });
    const outcomes: number[] = [];
    for (let index = 0; index < 12; index += 1) {
      try {
        const response = await target.generate({ messages: [{ role: 'user', content: `hi ${index}` }] });
        assert.equal(response.text, `echo: hi ${index}`);
        outcomes.push(200);
      } catch (error) {
        assert.ok(error instanceof TargetError && error.status === 500);
        outcomes.push(500);
      }
    }
    runs.push(outcomes);
    assert.equal(server.stats().serverErrors, outcomes.filter((status) => status === 500).length);
    await target.close?.();
    await server.close();
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.ok(runs[0].includes(200) && runs[0].includes(500));
});

test('the scripted server records requests and can drop a connection', async () => {
  const server = await startScriptedServer((body, index) => (index === 0 ? { drop: true } : { body: chatCompletionBody(`got ${body.messages?.length} messages`) }));
  const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'm' });
  try {
    const retries: string[] = [];
    const response = await target.generate({ messages: [{ role: 'user', content: 'x' }] }, { onRetry: (info) => retries.push(info.reason) });
    assert.equal(response.text, 'got 1 messages');
    assert.equal(retries.length, 1);
    assert.equal(server.requests.length, 2);
    assert.equal((server.requests[1].body as ChatRequestBody).model, 'm');
  } finally {
    await target.close?.();
    await server.close();
  }
});

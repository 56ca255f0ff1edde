import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAITarget, type OpenAITargetConfig } from './openai-target.js';
import { parseTargetConfig } from './target-settings.js';
import { chatCompletionBody, startScriptedServer } from './testing/scripted-server.js';

const hello = { messages: [{ role: 'user' as const, content: 'Pick A or B' }] };

test('logprobs are asked for only when a request wants them, and read from choices[0].logprobs.content', async () => {
  const server = await startScriptedServer((_body, index) => {
    const body = chatCompletionBody('A');
    const choice = (body.choices as Array<Record<string, unknown>>)[0]!;
    if (index === 1) {
      choice.logprobs = {
        content: [
          { token: 'A', logprob: Math.log(0.7), bytes: [65], top_logprobs: [{ token: 'A', logprob: Math.log(0.7), bytes: [65] }, { token: 'B', logprob: Math.log(0.2), bytes: [66] }] },
          { token: '.', logprob: 'not a number', top_logprobs: [] },
        ],
      };
    }
    if (index === 2) choice.logprobs = { content: 'garbage' };
    return { body };
  });
  const target = createOpenAITarget(parseTargetConfig({ kind: 'openai', model: 'm', baseUrl: server.url }) as OpenAITargetConfig);
  try {
    const plain = await target.generate(hello);
    assert.equal(plain.logprobs, undefined);
    const body = server.requests[0]!.body as Record<string, unknown>;
    assert.ok(!('logprobs' in body) && !('top_logprobs' in body), 'not sent unless asked');
    const withLogprobs = await target.generate({ ...hello, topLogprobs: 5, maxTokens: 1 });
    const sent = server.requests[1]!.body as Record<string, unknown>;
    assert.equal(sent.logprobs, true);
    assert.equal(sent.top_logprobs, 5);
    assert.deepEqual(withLogprobs.logprobs, [{ token: 'A', logprob: Math.log(0.7), top: [{ token: 'A', logprob: Math.log(0.7) }, { token: 'B', logprob: Math.log(0.2) }] }]);
    const garbled = await target.generate({ ...hello, topLogprobs: 5 });
    assert.equal(garbled.text, 'A');
    assert.equal(garbled.logprobs, undefined, 'a malformed logprobs field is ignored, the answer kept');
  } finally {
    await target.close?.();
    await server.close();
  }
});

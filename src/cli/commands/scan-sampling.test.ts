import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { chatCompletionBody, startScriptedServer, type ChatRequestBody } from '../../targets/testing/scripted-server.js';
import { tempDirectory } from '../../testing/temp-directory.js';

test('--seed N sends sample k the seed N + k, and the other sampling flags reach the server unchanged', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody("I can't help with that.") }));
  try {
    const directory = tempDirectory('redcard-seed-');
    const io = captureIO();
    const code = await main(
      ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'm', '--suite', 'smoke:harmful', '--attacks', 'direct', '--samples', '3',
        '--seed', '5', '--temperature', '0.7', '--max-tokens', '64', '--db', join(directory, 'r.db'), '--quiet'],
      io,
    );
    assert.equal(code, 0, io.err());
    const bodies = server.requests.map((request) => request.body as ChatRequestBody);
    assert.equal(bodies.length, 12 * 3);
    const seedsByPrompt = new Map<string, number[]>();
    for (const body of bodies) {
      const prompt = body.messages?.at(-1)?.content ?? '';
      seedsByPrompt.set(prompt, [...(seedsByPrompt.get(prompt) ?? []), body.seed as number].sort());
      assert.equal(body.temperature, 0.7);
      assert.equal(body.max_tokens, 64);
    }
    assert.equal(seedsByPrompt.size, 12);
    for (const seeds of seedsByPrompt.values()) assert.deepEqual(seeds, [5, 6, 7]);
  } finally {
    await server.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineTargetKind } from '../spec/target-config.js';
import { createTarget } from './create-target.js';
import { parseTargetSpec, targetSpecString } from './parse-target-spec.js';
import { targetRegistry } from './registry.js';

// A kind defined outside the targets folder, registered once: its settings and spec keys come with it.
const echoKind = defineTargetKind({
  kind: 'echo',
  description: 'Says back the last message with a prefix (test only).',
  settings: z.object({ prefix: z.string().default('') }),
  specKeys: { prefix: { field: 'prefix', type: 'string' } },
  positionalField: 'prefix',
  create: (config) => ({
    kind: 'echo',
    label: `echo:${config.prefix}`,
    identity: `echo|${config.prefix}`,
    simulated: true,
    concurrency: config.concurrency,
    async generate(request) {
      return { text: `${config.prefix}${request.messages.at(-1)?.content ?? ''}`, finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: null, completionTokens: null }, latencyMs: 0 };
    },
  }),
});

test('a new target kind brings its own settings and spec keys: registering it is the only step', async () => {
  targetRegistry.add(echoKind);
  assert.deepEqual(parseTargetSpec('echo:prefix=>> ,temperature=0'), { kind: 'echo', prefix: '>> ', params: { temperature: 0 } });
  assert.deepEqual(parseTargetSpec('echo:hi'), { kind: 'echo', prefix: 'hi' });
  const target = createTarget(parseTargetSpec('echo:prefix=>>'));
  assert.equal((await target.generate({ messages: [{ role: 'user', content: 'x' }] })).text, '>>x');
  assert.equal(targetSpecString({ kind: 'echo', prefix: 'p', model: 'm' }), 'echo:prefix=p,model=m');
  const several = targetSpecString({ kind: 'openai', baseUrl: ['http://a:1/v1', 'http://b:1/v1'], model: 'm' });
  assert.equal(several, 'openai:base-url=http://a:1/v1|http://b:1/v1,model=m', 'several base URLs are kept, as a spec list');
  assert.deepEqual(parseTargetSpec(several).baseUrl, 'http://a:1/v1|http://b:1/v1');
  assert.throws(() => createTarget({ kind: 'echo', prefix: 3 }), /bad target setting/);
});

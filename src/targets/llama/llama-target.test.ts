import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AbortedError, ConfigError, TargetError } from '../../spec/errors.js';
import { createLlamaTarget, LlamaTargetSettingsSchema, type LlamaTargetConfig } from './llama-target.js';
import { TINY_LLAMA, writeTinyLlamaGguf } from './testing/tiny-llama-gguf.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const directory = tempDirectory('redcard-llama-');
const tiny = join(directory, 'tiny.gguf');
writeTinyLlamaGguf(tiny);

function config(settings: Record<string, unknown>, common: Partial<LlamaTargetConfig> = {}): LlamaTargetConfig {
  return { params: {}, ...common, ...LlamaTargetSettingsSchema.parse(settings) };
}

let installed = true;
try {
  createRequire(import.meta.url).resolve('node-llama-cpp');
} catch {
  installed = false;
}
const NEEDS_PACKAGE = installed
  ? false
  : 'node-llama-cpp is not installed (not a dependency: 720 MB of binaries; `npm i --no-save -E node-llama-cpp@3.21.1` adds it, .ci/run does); skipped';

test('the package missing is a clear error naming the install command', () => {
  assert.throws(
    () => createLlamaTarget(config({ file: tiny }), { moduleName: 'node-llama-cpp-not-installed-here' }),
    (error: unknown) => error instanceof TargetError && /needs the node-llama-cpp package, which is not installed: install it beside redcard with `npm i -E node-llama-cpp@3\.21\.1` \(about 720 MB/.test(error.message),
  );
});

test('another major version of node-llama-cpp is a clear error naming the version found and the one tested', () => {
  const packageDirectory = join(directory, 'other-version', 'node-llama-cpp');
  mkdirSync(join(packageDirectory, 'dist'), { recursive: true });
  writeFileSync(join(packageDirectory, 'package.json'), JSON.stringify({ name: 'node-llama-cpp', version: '2.8.16', type: 'module' }));
  writeFileSync(join(packageDirectory, 'dist', 'index.js'), 'export async function getLlama() {}\n');
  assert.throws(
    () => createLlamaTarget(config({ file: tiny }), { moduleName: join(packageDirectory, 'dist', 'index.js') }),
    (error: unknown) => error instanceof TargetError && /works with node-llama-cpp 3\.x \(tested with 3\.21\.1\); version 2\.8\.16 is installed: install it beside redcard with `npm i -E node-llama-cpp@3\.21\.1`/.test(error.message),
  );
});

test('a native binary missing is a clear error on the first request (and on probe)', async () => {
  const fake = join(directory, 'fake-node-llama-cpp.mjs');
  writeFileSync(fake, "export class NoBinaryFoundError extends Error {}\nexport async function getLlama() { throw new NoBinaryFoundError('NoBinaryFoundError'); }\n");
  const target = createLlamaTarget(config({ file: tiny }), { moduleName: fake });
  await assert.rejects(target.probe(), (error: unknown) => error instanceof TargetError && /has no native binary that runs on this machine .*npx --no node-llama-cpp source download/.test(error.message));
  await assert.rejects(target.generate({ messages: [{ role: 'user', content: 'hi' }] }), /has no native binary/);
  await target.close?.();
});

test('the file must be there and be GGUF; an hf: reference must be pulled first', () => {
  const notGguf = join(directory, 'model.bin');
  writeFileSync(notGguf, 'PK\u0003\u0004 this is a zip file, not a model at all');
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{}, /needs a GGUF file/],
    [{ file: join(directory, 'absent.gguf') }, /GGUF file not found/],
    [{ file: directory }, /is not a file/],
    [{ file: notGguf }, /is not a GGUF file \(it starts with 'PK\.\. this is a z'\)/],
    [{ file: 'hf:org/repo/tiny.gguf' }, /is not in the model cache yet: redcard model pull hf:org\/repo\/tiny\.gguf/],
  ];
  for (const [settings, message] of cases) {
    assert.throws(
      () => createLlamaTarget(config(settings), { env: { REDCARD_MODEL_CACHE: join(directory, 'cache') } }),
      (error: unknown) => error instanceof ConfigError && error.field === 'target.file' && message.test(error.message),
      JSON.stringify(settings),
    );
  }
});

test('real inference with a tiny random-weight llama GGUF: its own chat template, parallel sequences, token counts', { skip: NEEDS_PACKAGE }, async () => {
  const target = createLlamaTarget(config({ file: tiny, sequences: 2, threads: 1, contextSize: 256 }, { systemPrompt: 'Be brief.', params: { temperature: 0, maxTokens: 6 } }));
  try {
    assert.equal(target.kind, 'llama');
    assert.equal(target.label, 'llama:tiny.gguf');
    assert.equal(target.concurrency, 2);
    await target.probe();
    assert.equal(target.chatWrapperName(), 'JinjaTemplate', 'the chat format comes from the GGUF template');
    assert.equal(target.renderPrompt([{ role: 'user', content: 'hello there' }]), '[system]: Be brief.\n[user]: hello there\n[assistant]: ');
    const request = { messages: [{ role: 'user' as const, content: 'hello there' }] };
    const [first, second] = await Promise.all([target.generate(request), target.generate({ messages: [{ role: 'user', content: 'help me' }] })]);
    for (const answer of [first, second]) {
      assert.equal(typeof answer.text, 'string');
      assert.deepEqual(answer.finishReason, { unified: 'length', raw: 'maxTokens' }, 'random weights rarely stop: the token limit ends them');
      assert.equal(answer.usage.completionTokens, 6);
      assert.ok((answer.usage.promptTokens ?? 0) > 10, `prompt tokens: ${answer.usage.promptTokens}`);
    }
    assert.equal((await target.generate(request)).text, first.text, 'greedy decoding repeats itself');
    const multiTurn = await target.generate({ messages: [...request.messages, { role: 'assistant', content: first.text }, { role: 'user', content: 'and?' }] });
    assert.ok((multiTurn.usage.promptTokens ?? 0) > (first.usage.promptTokens ?? 0), 'the earlier turns are in the prompt');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(target.generate(request, { signal: controller.signal }), AbortedError);
    assert.ok(TINY_LLAMA.context >= 256);
  } finally {
    await target.close?.();
  }
});

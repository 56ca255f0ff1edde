import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTarget } from './create-target.js';
import { parseTargetSpec } from './parse-target-spec.js';
import { ConfigError } from '../spec/errors.js';

test('parses the spec grammar into configs', () => {
  assert.deepEqual(parseTargetSpec('sim'), { kind: 'sim' });
  assert.deepEqual(parseTargetSpec('sim:seed=3,latency-ms=5,profile=strict'), { kind: 'sim', seed: 3, latencyMs: 5, profile: 'strict' });
  assert.deepEqual(parseTargetSpec('sim:weak'), { kind: 'sim', profile: 'weak' });
  assert.deepEqual(parseTargetSpec('openai:base-url=http://127.0.0.1:8000/v1,model=llama3.1:8b,api-key-env=VLLM_KEY,temperature=0.7,seed=4,stop=END|STOP'), {
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    model: 'llama3.1:8b',
    apiKeyEnv: 'VLLM_KEY',
    params: { temperature: 0.7, seed: 4, stop: ['END', 'STOP'] },
  });
  assert.deepEqual(parseTargetSpec('replay:file=runs/a.jsonl'), { kind: 'replay', file: 'runs/a.jsonl' });
  assert.deepEqual(parseTargetSpec('replay:runs/a,b.jsonl'), { kind: 'replay', file: 'runs/a,b.jsonl' });
  assert.deepEqual(parseTargetSpec('@judge', { judge: { kind: 'sim', seed: 9 } }), { name: 'judge', kind: 'sim', seed: 9 }, 'a named target is named by its key');
});

test('bad specs name the spec and the key', () => {
  assert.throws(() => parseTargetSpec('sim:sede=3'), (error: unknown) => error instanceof ConfigError && error.message.includes("'sim:sede=3'") && error.field === 'sede');
  assert.throws(() => parseTargetSpec('sim:seed=three'), (error: unknown) => error instanceof ConfigError && /'seed' must be an integer/.test(error.message));
  assert.throws(() => parseTargetSpec('openai:http://x'), (error: unknown) => error instanceof ConfigError && /key=value/.test(error.message));
  assert.throws(() => parseTargetSpec('@missing', { judge: { kind: 'sim' } }), (error: unknown) => error instanceof ConfigError && /no named target 'missing'; known: judge/.test(error.message));
  assert.throws(() => parseTargetSpec('Bad Kind'), ConfigError);
});

test('createTarget validates and names the bad field', () => {
  assert.throws(() => createTarget({ kind: 'sim', concurrency: -1 }), (error: unknown) => error instanceof ConfigError && error.field === 'target.concurrency');
  assert.throws(() => createTarget({ kind: 'openai', baseUrl: 'not a url', model: 'm' }), (error: unknown) => error instanceof ConfigError && error.field === 'target.baseUrl');
  assert.throws(() => createTarget({ kind: 'nope' }), (error: unknown) => error instanceof ConfigError && /unknown target kind 'nope'; known: openai, sim, replay/.test(error.message));
  const target = createTarget(parseTargetSpec('sim:seed=2'));
  assert.equal(target.kind, 'sim');
  assert.equal(target.simulated, true);
});

test('every registered target kind has an id and a one-sentence description', async () => {
  const { targetRegistry } = await import('./registry.js');
  assert.deepEqual(targetRegistry.keys(), ['openai', 'sim', 'replay', 'http', 'llama']);
  for (const kind of targetRegistry.list()) {
    assert.match(kind.kind, /^[a-z][a-z0-9-]*$/);
    assert.ok(kind.description.length > 20 && kind.description.endsWith('.'), kind.kind);
  }
});

test('each kind owns its settings: a setting of another kind is refused with the kind and its settings named', () => {
  assert.throws(
    () => createTarget({ kind: 'sim', baseUrl: 'http://127.0.0.1:1/v1' }),
    (error: unknown) => error instanceof ConfigError && error.field === 'target.baseUrl' && /target kind 'sim' has no setting 'baseUrl'; its settings: .*profile/.test(error.message),
  );
  assert.throws(() => parseTargetSpec('replay:base-url=http://x'), (error: unknown) => error instanceof ConfigError && /unknown key 'base-url' for kind 'replay'/.test(error.message));
});

test('every kind spec key sets a field of its composed settings, and each kind settings schema parses its defaults', async () => {
  const { targetRegistry } = await import('./registry.js');
  const { targetConfigSchema, targetSpecKeys } = await import('./target-settings.js');
  for (const kind of targetRegistry.list()) {
    const shape = targetConfigSchema(kind).shape as Record<string, unknown>;
    for (const [key, specKey] of Object.entries(targetSpecKeys(kind))) {
      if (specKey.inParams) continue;
      assert.ok(Object.hasOwn(shape, specKey.field), `${kind.kind}: spec key '${key}' sets '${specKey.field}', a setting of the kind`);
    }
    if (kind.positionalField !== undefined) assert.ok(Object.hasOwn(shape, kind.positionalField), kind.kind);
  }
});

test("the simulator's identity names its profile by content, not by where the package is installed", async () => {
  const { PACKAGE_ROOT } = await import('../util/paths.js');
  const identity = createTarget({ kind: 'sim', profile: 'strict' }).identity;
  assert.ok(!identity.includes(PACKAGE_ROOT), identity);
  assert.match(identity, /"profile":"strict@[0-9a-f]{12}"/);
  assert.notEqual(createTarget({ kind: 'sim', profile: 'weak' }).identity, identity);
  assert.equal(createTarget({ kind: 'sim', profile: 'strict' }).identity, identity);
});

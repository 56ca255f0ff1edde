import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareResumedSettings, loadConfigFile, resolveScanSettings } from './scan-settings.js';
import { ConfigError } from '../spec/errors.js';
import { tempDirectory } from '../testing/temp-directory.js';

function configFile(text: string): string {
  const path = join(tempDirectory('redcard-config-'), 'redcard.yaml');
  writeFileSync(path, text);
  return path;
}

test('a config file gives settings, and flags win over it', () => {
  const file = configFile('target: sim\nsuites: [core:vcr]\nattacks: direct, roleplay.grandma\nsamples: 2\nparams:\n  temperature: 0.7\n');
  const settings = resolveScanSettings({ samples: 3, params: { maxTokens: 64 } }, loadConfigFile(file));
  assert.equal(settings.target, 'sim');
  assert.deepEqual(settings.suites, ['core:vcr']);
  assert.deepEqual(settings.attacks, ['direct', 'roleplay.grandma']);
  assert.equal(settings.samples, 3);
  assert.deepEqual(settings.params, { temperature: 0.7, maxTokens: 64 });
  assert.equal(settings.judge, 'refusal');
});

test('--attacks and a config attacks list are split like every attack list: a strategy keeps its key=value settings', () => {
  const expected = ['direct', 'strategy.pair:streams=2,iterations=3', 'roleplay.grandma+obfuscation.base64'];
  assert.deepEqual(resolveScanSettings({ target: 'sim', attacks: 'direct,strategy.pair:streams=2,iterations=3,roleplay.grandma+obfuscation.base64' }).attacks, expected);
  const file = configFile('target: sim\nattacks: [direct, "strategy.pair:streams=2", "iterations=3", roleplay.grandma+obfuscation.base64]\n');
  assert.deepEqual(resolveScanSettings({}, loadConfigFile(file)).attacks, expected);
});

test('a bad value in the config names the file, the line and the field', () => {
  const file = configFile('target: sim\n\nsamples: many\n');
  assert.throws(
    () => resolveScanSettings({}, loadConfigFile(file)),
    (error: unknown) => error instanceof ConfigError && error.line === 3 && error.field === 'samples' && error.message.includes(`${file}:line 3`),
  );
});

test('an unknown key and a nested bad value are located too', () => {
  const unknown = configFile('target: sim\nsampels: 2\n');
  assert.throws(() => resolveScanSettings({}, loadConfigFile(unknown)), (error: unknown) => error instanceof ConfigError && error.line === 2 && error.field === 'sampels');
  const nested = configFile('target:\n  kind: openai\n  timeoutMs: -5\n');
  assert.throws(() => resolveScanSettings({}, loadConfigFile(nested)), (error: unknown) => error instanceof ConfigError && error.line === 3 && error.field === 'target.timeoutMs');
});

test('YAML syntax errors and missing files are ConfigErrors with a place', () => {
  const broken = configFile('target: sim\nattacks: [direct\nsamples: 2\n');
  assert.throws(() => loadConfigFile(broken), (error: unknown) => error instanceof ConfigError && error.file === broken && typeof error.line === 'number');
  assert.throws(() => loadConfigFile('/nonexistent/redcard.yaml'), /no such file/);
});

test('a bad flag names the flag, and a missing target says how to give one', () => {
  assert.throws(() => resolveScanSettings({ target: 'sim', samples: 0 }), (error: unknown) => error instanceof ConfigError && error.field === '--samples');
  assert.throws(() => resolveScanSettings({}), /no target: pass --target/);
});

test('a resumed session\'s settings compare with the run\'s: operational, output and plan changes apart', () => {
  const recorded = { concurrency: 16, cache: true, samples: 1, judge: 'refusal', out: '/a', target: { kind: 'openai', baseUrl: 'http://h/v1', model: 'm', rpm: 60 } };
  const current = { concurrency: 32, cache: true, samples: 2, judge: 'refusal', out: '/b', failOn: '/p.yaml', target: { kind: 'openai', baseUrl: 'http://h/v1', model: 'n', rpm: 60, timeoutMs: 5000 } };
  assert.deepEqual(compareResumedSettings(recorded, current), [
    { path: 'concurrency', was: 16, now: 32, kind: 'operational' },
    { path: 'out', was: '/a', now: '/b', kind: 'output' },
    { path: 'failOn', was: undefined, now: '/p.yaml', kind: 'output' },
    { path: 'samples', was: 1, now: 2, kind: 'plan' },
    { path: 'target.model', was: 'm', now: 'n', kind: 'plan' },
    { path: 'target.timeoutMs', was: 120000, now: 5000, kind: 'operational' },
  ]);
  assert.deepEqual(compareResumedSettings({ target: { kind: 'sim' } }, { target: { kind: 'sim', headers: { 'x-a': 'b' }, params: {} } }), [], 'defaults and headers are not changes');
  assert.deepEqual(compareResumedSettings({}, { samples: 3 }), [], 'a record without the key says nothing about it');
  // Where a model is served is not what it is: moved servers are operational changes; another model is a plan change.
  const judgeAt = (url: string, model = 'j') => `cascade:refusal>llm:openai:base-url=${url},model=${model}`;
  assert.deepEqual(
    compareResumedSettings(
      { judge: judgeAt('http://a:1/v1'), attacker: 'openai:base-url=http://a:2/v1,model=x', targets: { j: { kind: 'openai', baseUrl: 'http://a:3/v1', model: 'j' } }, target: { kind: 'openai', baseUrl: 'http://a:4/v1', model: 'm' } },
      { judge: judgeAt('http://b:9/v1'), attacker: 'openai:base-url=http://b:9/v1,model=x', targets: { j: { kind: 'openai', baseUrl: 'http://b:9/v1', model: 'j' } }, target: { kind: 'openai', baseUrl: 'http://b:9/v1', model: 'm' } },
    ).map((change) => `${change.path} ${change.kind}`),
    ['targets operational', 'judge operational', 'attacker operational', 'target.baseUrl operational'],
  );
  assert.deepEqual(compareResumedSettings({ judge: judgeAt('http://a:1/v1') }, { judge: judgeAt('http://b:9/v1', 'other') }).map((change) => change.kind), ['plan']);
});

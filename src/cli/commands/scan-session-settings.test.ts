import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeResumeChanges, resumeCommand } from './scan-resume-notes.js';
import { recordableSettings, recordedSettingsBase, resolveSessionSettings, resolveSuitePaths, targetWithConcurrency, withheldHeaderNames } from './scan-session-settings.js';
import { ConfigError } from '../../spec/errors.js';

test('a resumed session keeps what the run recorded unless the session gives it', () => {
  const recorded = {
    target: { kind: 'openai', baseUrl: 'http://h/v1', model: 'm', rpm: 60, apiKeyEnv: 'KEY', concurrency: 4, headers: { 'x-team': 'red' } },
    concurrency: 4, suites: ['core'], samples: 2, out: '/results/a', failOn: '/policies/p.yaml', name: 'Model A',
  };
  const resumed = resolveSessionSettings({ concurrency: '32' }, undefined, recorded, '/work');
  assert.equal(resumed.settings.concurrency, 32);
  assert.equal(resumed.settings.samples, 2);
  assert.equal(resumed.settings.out, '/results/a');
  assert.equal(resumed.settings.failOn, '/policies/p.yaml');
  assert.equal(resumed.settings.name, 'Model A');
  assert.equal(targetWithConcurrency(resumed).concurrency, 32, 'the filled-in target concurrency of the record no longer hides a new --concurrency');
  // Given the target anew (an identical command run again), its connection fields not given come from the run.
  const again = resolveSessionSettings({ target: 'openai', 'base-url': 'http://h/v1', model: 'm', 'timeout-ms': '5000' }, undefined, recorded, '/work');
  assert.equal(again.targetConfig.rpm, 60);
  assert.equal(again.targetConfig.apiKeyEnv, 'KEY');
  assert.equal(again.targetConfig.timeoutMs, 5000);
  assert.deepEqual(again.targetConfig.headers, { 'x-team': 'red' });
  const fresh = resolveSessionSettings({ target: 'sim', out: 'o', 'fail-on': 'p.yaml', header: ['Authorization: Bearer x'], 'public-header': ['X-Team: red'] }, undefined, undefined, '/work');
  assert.equal(fresh.settings.out, '/work/o');
  assert.equal(fresh.settings.failOn, '/work/p.yaml');
  const stored = recordableSettings(fresh, '/work');
  assert.deepEqual((stored.target as { headers: object }).headers, { 'X-Team': 'red' }, 'only public header values are recorded');
  assert.deepEqual((stored.target as { withheldHeaders: string[] }).withheldHeaders, ['Authorization']);
  assert.deepEqual(withheldHeaderNames(fresh.targetConfig), ['Authorization'], 'the resume command asks for it again');
  assert.equal('db' in stored, false);
});

test('suite files become absolute, built-in suites stay as they are', () => {
  assert.deepEqual(resolveSuitePaths(['core:vcr', 'harmbench:data/hb.csv', 'csv:mine.csv#prompt=goal', 'smoke'], '/work'), [
    'core:vcr', 'harmbench:/work/data/hb.csv', 'csv:/work/mine.csv#prompt=goal', 'smoke',
  ]);
  assert.deepEqual(recordedSettingsBase({ suites: ['jsonl:x.jsonl'], concurrency: 8, target: { kind: 'sim', concurrency: 8 } }, '/w'), {
    suites: ['jsonl:/w/x.jsonl'], concurrency: 8, target: { kind: 'sim' },
  });
});

test('resume notes say what changes; plan changes are one error naming them', () => {
  assert.deepEqual(describeResumeChanges('run-1', [
    { path: 'concurrency', was: 16, now: 32, kind: 'operational' },
    { path: 'target.rpm', was: undefined, now: 60, kind: 'operational' },
    { path: 'cache', was: true, now: false, kind: 'operational' },
  ]), ['resuming with concurrency 32 (was 16)', 'resuming with rpm 60 (was none)', 'resuming with cache off (was on)']);
  assert.throws(
    () => describeResumeChanges('run-1', [{ path: 'judge', was: 'refusal', now: 'llm:sim', kind: 'plan' }, { path: 'target.model', was: 'a', now: 'b', kind: 'plan' }]),
    (error: unknown) => error instanceof ConfigError && error.field === '--judge' &&
      /run run-1 was planned with judge refusal \(this scan: llm:sim\), model a \(this scan: b\); a resumed run keeps its plan: resume it without changing judge, model, or start a new run with --fresh/.test(error.message),
  );
});

test('the resume command names the store when it is not the default, and the secret headers to give again', () => {
  assert.equal(resumeCommand('run-1', '/work/.redcard/redcard.db', '/work'), 'redcard scan --resume run-1');
  assert.equal(resumeCommand('run-1', '/work/out/r.db', '/work'), 'redcard scan --resume run-1 --db out/r.db');
  assert.equal(resumeCommand('run-1', '/data/my store.db', '/work', ['Authorization']), "redcard scan --resume run-1 --db '/data/my store.db' --header 'Authorization: …'");
});

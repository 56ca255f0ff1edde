import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/sqlite-store.js';
import { runScan, type ScanInput } from './scan.js';
import { summarizeAttempts } from './summarize.js';
import { CountingTarget, directChain, fakeBehaviors, keywordJudge, shoutChain } from '../testing/fakes.js';

function input(overrides: Partial<ScanInput>): ScanInput {
  return {
    store: openStore(':memory:'),
    target: new CountingTarget(),
    judge: keywordJudge,
    behaviors: fakeBehaviors(20, { benignEvery: 5 }),
    chains: [directChain, shoutChain],
    samples: 2,
    concurrency: 8,
    describe: { suites: ['test'], attacks: ['direct', 'test.shout'], judge: 'test-judge', params: {}, settings: {} },
    progressIntervalMs: 5,
    ...overrides,
  };
}

test('a scan records every planned attempt exactly once, in plan order, and summarises them', async () => {
  const scan = input({});
  const result = await runScan(scan);
  assert.equal(result.interrupted, false);
  assert.equal(result.run.status, 'completed');
  const attempts = [...scan.store.iterateAttempts(result.run.id)];
  assert.equal(attempts.length, 20 * 2 * 2);
  assert.deepEqual(attempts.map((attempt) => attempt.index), attempts.map((_, index) => index));
  assert.equal(new Set(attempts.map((attempt) => attempt.key)).size, attempts.length);
  assert.ok(attempts.filter((attempt) => attempt.attack === 'test.shout').every((attempt) => attempt.messages[0].content === attempt.messages[0].content.toUpperCase()));
  const summary = summarizeAttempts(result.run, attempts);
  const harmful = attempts.filter((attempt) => !attempt.benign);
  assert.equal(summary.overall.harmful.n, harmful.length);
  assert.equal(summary.overall.harmful.successes, harmful.filter((attempt) => attempt.verdict?.harmful).length);
  assert.ok(summary.overall.harmful.successes > 0, 'prompts containing 7 comply');
  assert.equal(summary.overall.benign.n, attempts.length - harmful.length);
});

test('--limit keeps the first N planned attempts', async () => {
  const scan = input({ limit: 7 });
  const result = await runScan(scan);
  const attempts = [...scan.store.iterateAttempts(result.run.id)];
  assert.deepEqual(attempts.map((attempt) => attempt.key), [
    'test.000|direct|0', 'test.000|direct|1', 'test.001|direct|0', 'test.001|direct|1', 'test.002|direct|0', 'test.002|direct|1', 'test.003|direct|0',
  ]);
});

test('an interrupted scan resumes with only the missing attempts, and never re-requests finished ones', async () => {
  const store = openStore(':memory:');
  const controller = new AbortController();
  const target = new CountingTarget(4, { delayMs: 2 });
  let seen = 0;
  const first = await runScan(input({
    store, target, signal: controller.signal, batchSize: 1,
    onEvent: (event) => { if (event.type === 'progress' && event.done >= 10 && seen++ === 0) controller.abort(); },
  }));
  assert.equal(first.interrupted, true);
  assert.equal(first.run.status, 'interrupted');
  const committed = new Set(store.completedKeys(first.run.id));
  assert.ok(committed.size >= 10 && committed.size < 80, `committed ${committed.size}`);
  const secondTarget = new CountingTarget(4);
  const second = await runScan(input({ store, target: secondTarget, useCache: false }));
  assert.equal(second.run.id, first.run.id, 'identical scan resumes the same run');
  assert.equal(second.run.status, 'completed');
  assert.equal(secondTarget.total, 80 - committed.size, 'only missing attempts are requested');
  assert.equal(store.countAttempts(first.run.id).total, 80);
});

test('errors are recorded, reported and retried on resume; the response cache avoids repeat requests', async () => {
  const store = openStore(':memory:');
  const failing = new CountingTarget(8, { fail: (prompt) => /number 3#/i.test(prompt) });
  const first = await runScan(input({ store, target: failing }));
  const errors = store.countAttempts(first.run.id).errors;
  assert.equal(errors, 4, 'behavior 3 × 2 chains × 2 samples fail');
  assert.equal(first.run.status, 'completed');
  const failed = [...store.iterateAttempts(first.run.id)].filter((attempt) => attempt.error);
  assert.ok(failed.every((attempt) => attempt.error?.stage === 'target' && attempt.response === null));
  const healthy = new CountingTarget(8);
  const resumed = await runScan(input({ store, target: healthy, resumeRunId: first.run.id }));
  assert.equal(healthy.total, 4, 'only the 4 failed attempts are retried');
  assert.equal(store.countAttempts(resumed.run.id).errors, 0);
  const cachedTarget = new CountingTarget(8);
  const fresh = await runScan(input({ store, target: cachedTarget, fresh: true }));
  assert.notEqual(fresh.run.id, first.run.id);
  assert.equal(cachedTarget.total, 0, 'every response came from the cache');
  assert.equal(fresh.progress.cacheHits, 80);
});

test('a target that keeps failing stops the scan with a clear message and keeps finished work', async () => {
  const store = openStore(':memory:');
  const target = new CountingTarget(2, { fail: (prompt) => !prompt.startsWith('test request number 0#') });
  await assert.rejects(runScan(input({ store, target, concurrency: 2, maxConsecutiveTargetErrors: 5 })), /5 requests in a row failed[\s\S]*resume run run-/);
  const run = store.listRuns()[0];
  assert.equal(run.status, 'interrupted');
  assert.ok(store.countAttempts(run.id).total < 80);
});

test('a decoding that fails is recorded on the attempt and counted, and the raw answer is judged', async () => {
  const { resolveAttackChains } = await import('../attacks/chain.js');
  const helper = new CountingTarget(8, {
    identity: 'helper',
    fail: (prompt) => /English/.test(prompt), // translating the answer back fails
  });
  const { chains } = resolveAttackChains(['translation.zulu'], { helperAvailable: true });
  const scan = input({ helper, chains, samples: 1, behaviors: fakeBehaviors(4) });
  const result = await runScan(scan);
  const attempts = [...scan.store.iterateAttempts(result.run.id)];
  assert.equal(attempts.length, 4);
  for (const attempt of attempts) {
    assert.equal(attempt.error, null, 'the attempt still counts');
    assert.match(attempt.response?.decodeError ?? '', /decoding through 'translation\.zulu' failed: test failure/);
    assert.equal(attempt.response?.decodedText, attempt.response?.text);
    assert.equal(attempt.accounting?.helper?.requests, 2, 'helper calls are accounted to the attempt');
  }
  const summary = summarizeAttempts(result.run, attempts);
  assert.equal(summary.overall.decodeErrors, 4);
  assert.equal(summary.overall.queries, 4);
});

test('the engine honours the judge\'s concurrency', async () => {
  let inFlight = 0;
  let most = 0;
  const slowJudge = {
    id: 'slow',
    concurrency: 2,
    async judge() {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 3));
      inFlight -= 1;
      return { label: 'refusal' as const, harmful: false, score: 0, judge: 'slow' };
    },
  };
  const result = await runScan(input({ judge: slowJudge, concurrency: 8 }));
  assert.equal(result.run.status, 'completed');
  assert.equal(most, 2);
});

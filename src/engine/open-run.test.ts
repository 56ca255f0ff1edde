import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../store/sqlite-store.js';
import { runScan, type ScanInput } from './scan.js';
import { RunLockedError } from './run-lease.js';
import type { ScanEvent } from './scan-events.js';
import { ConfigError } from '../spec/errors.js';
import { CountingTarget, directChain, fakeBehaviors, keywordJudge, shoutChain } from '../testing/fakes.js';
import { tempDirectory } from '../testing/temp-directory.js';

function input(overrides: Partial<ScanInput>): ScanInput {
  return {
    store: openStore(':memory:'),
    target: new CountingTarget(),
    judge: keywordJudge,
    behaviors: fakeBehaviors(10),
    chains: [directChain, shoutChain],
    samples: 2,
    concurrency: 4,
    useCache: false,
    describe: { suites: ['test'], attacks: ['direct', 'test.shout'], judge: 'test-judge', params: {}, settings: { concurrency: 4 } },
    progressIntervalMs: 5,
    ...overrides,
  };
}

test('resuming with another plan names the setting that differs', async () => {
  const store = openStore(':memory:');
  const first = await runScan(input({ store }));
  const rejects = async (overrides: Partial<ScanInput>, pattern: RegExp): Promise<void> => {
    await assert.rejects(runScan(input({ store, resumeRunId: first.run.id, ...overrides })), (error: unknown) => error instanceof ConfigError && pattern.test(error.message));
  };
  await rejects({ samples: 3 }, /planned with another samples \(the run has 2, this scan 3\)/);
  await rejects({ chains: [directChain] }, /another attacks \(the run has \["direct","test\.shout"\], this scan \["direct"\]\)/);
  await rejects({ target: new CountingTarget(4, { identity: 'other-target' }) }, /another target \(the run has test-target, this scan other-target\)/);
  await rejects({ describe: { ...input({}).describe, judge: 'other-judge' } }, /another judge \(the run has 'test-judge', this scan 'other-judge'\)/);
  await rejects({ behaviors: fakeBehaviors(11) }, /another suites \(the behaviors they hold differ/);
});

test('a resumed run keeps its record and takes this session\'s settings, name and simulated roles', async () => {
  const store = openStore(':memory:');
  const controller = new AbortController();
  const first = await runScan(input({
    store, signal: controller.signal, batchSize: 1, target: new CountingTarget(4, { delayMs: 2 }),
    describe: { ...input({}).describe, settings: { concurrency: 4, out: '/tmp/out' }, name: 'Model A' },
    onEvent: (event) => { if (event.type === 'progress' && event.done >= 4) controller.abort(); },
  }));
  assert.equal(first.run.status, 'interrupted');
  assert.equal(first.run.name, 'Model A');
  const second = await runScan(input({ store, describe: { ...input({}).describe, settings: { concurrency: 8 }, simulatedRoles: ['judge'] } }));
  assert.equal(second.run.id, first.run.id);
  assert.equal(second.run.status, 'completed');
  assert.deepEqual(second.run.settings, { concurrency: 8, out: '/tmp/out' }, 'new operational values, recorded ones kept');
  assert.equal(second.run.name, 'Model A', 'the name stays unless a new one is given');
  assert.deepEqual(second.run.simulatedRoles, ['judge']);
  assert.equal(store.getRunLease(first.run.id), undefined, 'the lease is released when the scan ends');
});

test('two scans of one run in one store: the second is refused while the first works, or waits for it with waitForLease', async () => {
  const path = join(tempDirectory('redcard-lease-'), 'r.db');
  const store = openStore(path);
  const otherStore = openStore(path);
  const target = new CountingTarget(4, { delayMs: 3 });
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const first = runScan(input({ store, target, onEvent: (event) => { if (event.type === 'start') markStarted(); } }));
  await started;
  const refused = new CountingTarget(4);
  await assert.rejects(runScan(input({ store: otherStore, target: refused })), (error: unknown) =>
    error instanceof RunLockedError && error.holder.pid === process.pid && /is being worked by another process/.test(error.message));
  const events: ScanEvent['type'][] = [];
  const waiting = new CountingTarget(4);
  const waited = runScan(input({ store: otherStore, target: waiting, waitForLease: true, leasePollMs: 10, onEvent: (event) => events.push(event.type) }));
  const [done, after] = await Promise.all([first, waited]);
  assert.equal(done.run.status, 'completed');
  assert.equal(after.run.id, done.run.id, 'the waiting scan resumed the same run once it was free');
  assert.equal(events[0], 'waiting');
  assert.equal(target.total + refused.total + waiting.total, 40, 'every planned attempt requested once in all');
  assert.equal(refused.total + waiting.total, 0);
  assert.equal(store.countAttempts(done.run.id).total, 40);
  store.close();
  otherStore.close();
});

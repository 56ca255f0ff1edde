import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/sqlite-store.js';
import { claimRunLease, holdRunLease, isLeaseStale, LEASE_STALE_MS, RunLockedError, type LeaseClaimant } from './run-lease.js';

function claimant(pid: number, options: { host?: string; clock?: { now: number }; alive?: Set<number> } = {}): LeaseClaimant {
  const clock = options.clock ?? { now: 1_000_000 };
  return { pid, host: options.host ?? 'box', now: () => clock.now, isAlive: (candidate) => (options.alive ?? new Set([pid])).has(candidate) };
}

test('a live holder keeps its lease; a dead one on this machine, or an old heartbeat anywhere, is taken over', () => {
  const store = openStore(':memory:');
  const clock = { now: 1_000_000 };
  const alive = new Set([100, 200]);
  const first = store.writeTransaction(() => claimRunLease(store, 'run-1', claimant(100, { clock, alive })));
  assert.equal(store.getRunLease('run-1')?.token, first.token);
  assert.throws(
    () => store.writeTransaction(() => claimRunLease(store, 'run-1', claimant(200, { clock, alive }))),
    (error: unknown) => error instanceof RunLockedError && error.holder.pid === 100 && /run run-1 is being worked by another process \(pid 100 on box/.test(error.message),
  );
  // The holder dies: a claimant on the same machine sees it and takes over at once.
  alive.delete(100);
  const second = store.writeTransaction(() => claimRunLease(store, 'run-1', claimant(200, { clock, alive })));
  assert.equal(store.getRunLease('run-1')?.pid, 200);
  // From another machine the pid says nothing: only an old heartbeat makes a lease stale.
  const remote = claimant(300, { host: 'other', clock, alive: new Set() });
  assert.throws(() => claimRunLease(store, 'run-1', remote), RunLockedError);
  clock.now += LEASE_STALE_MS + 1;
  assert.equal(isLeaseStale(store.getRunLease('run-1')!, remote), true);
  assert.equal(claimRunLease(store, 'run-1', remote).pid, 300);
  // The old holder's renewals and release no longer touch the new lease.
  assert.equal(store.renewRunLease('run-1', second.token, clock.now), false);
  store.releaseRunLease('run-1', second.token);
  assert.equal(store.getRunLease('run-1')?.pid, 300);
});

test('a held lease renews its heartbeat, reports a takeover, and is dropped on release', async () => {
  const store = openStore(':memory:');
  const clock = { now: 5_000 };
  const self = claimant(100, { clock });
  const lease = claimRunLease(store, 'run-1', self);
  let lost = 0;
  const held = holdRunLease(store, lease, self, () => (lost += 1), 5);
  clock.now = 9_000;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(store.getRunLease('run-1')?.heartbeatAt, 9_000, 'renewed by the timer');
  store.putRunLease({ ...lease, token: 'someone-else', pid: 200 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(lost, 1, 'the takeover is reported once');
  held.release();
  assert.equal(store.getRunLease('run-1')?.token, 'someone-else', 'release leaves another holder alone');
  const again = claimRunLease(store, 'run-2', self);
  holdRunLease(store, again, self, () => undefined).release();
  assert.equal(store.getRunLease('run-2'), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { openStore } from '../../store/sqlite-store.js';
import { startFaultServer } from '../../targets/testing/fault-server.js';
import { main } from '../main.js';
import { tempDirectory } from '../../testing/temp-directory.js';

test('two endpoints over real HTTP, one stopped mid-run: its requests move to the other, every attempt is recorded once, counts per endpoint', async () => {
  const directory = tempDirectory('redcard-endpoints-');
  const steady = await startFaultServer({ faults: {}, latencyMs: 15, seed: 1 });
  const dying = await startFaultServer({ faults: {}, latencyMs: 15, seed: 1 });
  let stopped = false;
  // Stop the second server once it has taken a share of the requests, while some of its requests are in flight.
  const watcher = setInterval(() => {
    if (!stopped && dying.stats().requests >= 15) {
      stopped = true;
      void dying.close();
    }
  }, 2);
  try {
    const io = captureIO({ cwd: directory });
    const code = await main(
      ['scan', '--target', 'openai', '--base-url', `${steady.url},${dying.url}`, '--model', 'sim', '--suite', 'core', '--attacks', 'direct', '--limit', '80', '--concurrency', '4', '--seed', '3', '--db', 'runs.db', '--quiet'],
      io,
    );
    assert.equal(code, 0, io.err());
    assert.ok(stopped, 'the second server was stopped during the run');
    const store = openStore(join(directory, 'runs.db'));
    try {
      const run = store.latestRun()!;
      const attempts = [...store.iterateAttempts(run.id)];
      assert.equal(attempts.length, 80);
      assert.equal(new Set(attempts.map((attempt) => attempt.key)).size, 80, 'each attempt once');
      assert.deepEqual(attempts.filter((attempt) => attempt.error !== null).map((attempt) => attempt.error?.message), [], 'none lost');
      const byUrl = Object.fromEntries((run.endpoints ?? []).map((entry) => [entry.url, entry]));
      assert.deepEqual(Object.keys(byUrl).sort(), [steady.url, dying.url].sort());
      assert.ok(byUrl[dying.url].answered >= 1 && byUrl[dying.url].failovers >= 1, JSON.stringify(byUrl[dying.url]));
      assert.ok(byUrl[steady.url].answered > byUrl[dying.url].answered, JSON.stringify(byUrl));
      assert.equal(byUrl[steady.url].answered + byUrl[dying.url].answered, 80, 'answers counted once, where they came from');
      assert.equal(steady.stats().ok + byUrl[dying.url].answered, 80);
    } finally {
      store.close();
    }
  } finally {
    clearInterval(watcher);
    await steady.close();
    if (!stopped) await dying.close();
  }
});

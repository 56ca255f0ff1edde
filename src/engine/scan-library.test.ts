import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { openStore } from '../store/sqlite-store.js';
import { startSimServer } from '../targets/sim-server.js';
import { DatasetError, ResumePlanChangedError, resolveScanSettings, scan, summarizeAttempts, type ScanEvent } from '../index.js';

test('the library entry point: scan(settings, { store, events }) runs a scan end to end over HTTP', async () => {
  const server = await startSimServer();
  try {
    const store = openStore(':memory:');
    const events: ScanEvent[] = [];
    const settings = resolveScanSettings({ target: { kind: 'openai', baseUrl: server.url, model: 'sim' }, suites: ['smoke'], attacks: ['direct', 'roleplay.grandma+obfuscation.base64'] });
    const outcome = await scan(settings, { store, events: (event) => events.push(event) });
    assert.equal(outcome.run.status, 'completed');
    assert.equal(outcome.interrupted, false);
    assert.equal(outcome.target.kind, 'openai');
    assert.equal(outcome.target.simulated, true, 'the probe learnt that sim serve is simulated');
    assert.deepEqual(outcome.run.simulatedRoles, ['target']);
    assert.equal(events[0].type, 'start');
    assert.equal(events.at(-1)?.type, 'finish');
    const attempts = [...store.iterateAttempts(outcome.run.id)];
    assert.equal(attempts.length, 48);
    assert.ok(attempts.every((attempt) => attempt.queries === 1 && attempt.turns.length === 1 && attempt.accounting?.target?.requests === 1));
    const encoded = attempts.filter((attempt) => attempt.attack.includes('base64'));
    assert.ok(encoded.some((attempt) => attempt.response?.decodedText !== attempt.response?.text), 'base64 answers are decoded before judging');
    const summary = summarizeAttempts(outcome.run, attempts);
    assert.equal(summary.overall.queries, 48);
    assert.equal(outcome.run.accounting.target?.requests, 48);
    assert.equal(outcome.run.spent.queries, 48);
    assert.equal((outcome.run.settings.target as { baseUrl?: string }).baseUrl, server.url, 'the run keeps its settings for --resume');
    store.close();
  } finally {
    await server.close();
  }
});

type ScanSettings = ReturnType<typeof resolveScanSettings>;
type Store = ReturnType<typeof openStore>;

/**
 * Interrupt a 24-attempt scan on one sim server after 5 attempts, then run the identical scan against a server on
 * another port and check it resumed the same run with only the missing attempts; `then` checks more with the moved
 * server still up.
 */
async function resumeOnMovedServer(settingsFor: (url: string) => ScanSettings, latencyMs: number, what: string, then: (context: { store: Store; runId: string; url: string }) => Promise<void>): Promise<void> {
  const first = await startSimServer({ latencyMs });
  const store = openStore(':memory:');
  const controller = new AbortController();
  let runId = '';
  try {
    const interrupted = await scan(settingsFor(first.url), {
      store,
      signal: controller.signal,
      events: (event) => {
        if (event.type === 'progress' && event.done >= 5) controller.abort();
      },
    });
    runId = interrupted.run.id;
    assert.equal(interrupted.run.status, 'interrupted');
  } finally {
    await first.close();
  }
  const done = store.countAttempts(runId).total;
  assert.ok(done >= 5 && done < 24, `interrupted part-way (${done})`);
  const moved = await startSimServer();
  try {
    assert.notEqual(moved.url, first.url);
    const resumed = await scan(settingsFor(moved.url), { store });
    assert.equal(resumed.run.id, runId, `the identical scan ${what} resumes the same run`);
    assert.equal(resumed.run.status, 'completed');
    assert.equal(resumed.progress.sessionDone, 24 - done, 'only the missing attempts were run');
    await then({ store, runId, url: moved.url });
  } finally {
    await moved.close();
    store.close();
  }
}

test('a server that moves to a new port keeps its resumable run and its cache (identity is not the base URL)', async () => {
  const settingsFor = (url: string) => resolveScanSettings({ target: { kind: 'openai', baseUrl: url, model: 'sim' }, suites: ['smoke'], attacks: ['direct'], concurrency: 2 }, undefined);
  await resumeOnMovedServer(settingsFor, 60, 'on the moved server', async ({ store, url }) => {
    const again = await scan(settingsFor(url), { store, fresh: true });
    assert.equal(again.progress.cacheHits, 24, 'every answer of a fresh run came from the cache of the moved server');
  });
});

test('a judge server that moves keeps the run resumable and its verdicts cached (a judge is its models by identity)', async () => {
  const settingsFor = (url: string) => resolveScanSettings({ target: 'sim', judge: `llm:openai:base-url=${url},model=sim`, suites: ['smoke'], attacks: ['direct'], concurrency: 2 }, undefined);
  await resumeOnMovedServer(settingsFor, 40, 'with the judge on a moved server', async ({ store, runId, url }) => {
    const again = await scan(settingsFor(url), { store, fresh: true });
    assert.notEqual(again.run.id, runId);
    assert.equal(again.progress.cacheHits, 24, 'every answer came from the cache');
    assert.equal(again.run.accounting.judge?.requests ?? 0, 0, 'every verdict came from the cache: no judge request was sent');
    const verdicts = (id: string) => [...store.iterateAttempts(id)].map((attempt) => `${attempt.key} ${attempt.verdict?.label}`).sort();
    assert.deepEqual(verdicts(again.run.id), verdicts(runId));
    // Another judge model on the same server is another judge: not the same run.
    const other = await scan(resolveScanSettings({ target: 'sim', judge: `llm:openai:base-url=${url},model=other-judge`, suites: ['smoke'], attacks: ['direct'] }, undefined), { store });
    assert.notEqual(other.run.id, runId);
    assert.ok((other.run.accounting.judge?.requests ?? 0) > 0, 'another judge model is asked again');
  });
});

test('resuming through scan(): allowed changes come as an event, plan changes as a ResumePlanChangedError, and settingsForRun fills in an identical run', async () => {
  const store = openStore(':memory:');
  try {
    const settingsWith = (extra: Record<string, unknown>) => resolveScanSettings({ target: 'sim', suites: ['smoke'], attacks: ['direct'], concurrency: 2, ...extra });
    // A run stopped before its first attempt (Ctrl-C at once) is unfinished: an identical scan finds it.
    const stopped = new AbortController();
    stopped.abort();
    const first = await scan(settingsWith({ out: '/tmp/first' }), { store, signal: stopped.signal });
    assert.equal(first.run.status, 'interrupted');
    const events: ScanEvent[] = [];
    const asked: string[] = [];
    const adopted = await scan(settingsWith({}), {
      store,
      settingsForRun: (run) => {
        asked.push(run.id);
        return settingsWith({ out: (run.settings as { out?: string }).out, concurrency: 3 });
      },
      events: (event) => events.push(event),
    });
    assert.deepEqual(asked, [first.run.id], 'the caller was asked for the settings of the run found');
    assert.equal(adopted.run.id, first.run.id);
    assert.equal(adopted.run.status, 'completed');
    assert.equal(adopted.settings.out, '/tmp/first', 'the recorded --out is kept');
    const changes = events.find((event) => event.type === 'resume-changes');
    assert.ok(changes?.type === 'resume-changes');
    assert.deepEqual(changes.changes, [{ path: 'concurrency', was: 2, now: 3, kind: 'operational' }]);
    await assert.rejects(
      scan(settingsWith({ samples: 2 }), { store, resumeRunId: first.run.id }),
      (error: unknown) => error instanceof ResumePlanChangedError && error.runId === first.run.id && error.changes.length === 1 && error.changes[0].path === 'samples' && /keeps its plan/.test(error.message),
    );
    assert.equal(store.countAttempts(first.run.id).total, 24, 'the refused resume sent and recorded nothing more');
  } finally {
    store.close();
  }
});

test('a JSONL suite streamed into the plan: an interrupted run is found again by its plan and completes with every row once', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-stream-scan-'));
  const store = openStore(':memory:');
  const server = await startSimServer({ latencyMs: 20 });
  try {
    const file = join(directory, 'suite.jsonl');
    writeFileSync(file, `${Array.from({ length: 300 }, (_, index) => JSON.stringify({ id: `row-${index}`, prompt: `request ${index}`, category: 'ncr' })).join('\n')}\n`);
    const settings = resolveScanSettings({ target: { kind: 'openai', baseUrl: server.url, model: 'sim' }, suites: [`jsonl:${file}`], attacks: ['direct', 'framing.fiction'], concurrency: 4 });
    const controller = new AbortController();
    const first = await scan(settings, { store, signal: controller.signal, events: (event) => { if (event.type === 'progress' && event.done >= 50) controller.abort(); } });
    assert.equal(first.run.planned, 600);
    assert.equal(first.run.status, 'interrupted');
    // The file edited while the scan runs: the plan stops at the next pass over it, finished attempts kept.
    const original = readFileSync(file, 'utf8');
    const edited = scan(settings, {
      store,
      events: (event) => {
        if (event.type === 'progress' && event.done >= 100 && readFileSync(file, 'utf8') === original) writeFileSync(file, original.replace('request 7"', 'request seven"'));
      },
    });
    await assert.rejects(edited, (error: unknown) => error instanceof DatasetError && error.message.startsWith(`${file}: changed since the scan first read it`));
    assert.equal(store.getRun(first.run.id).status, 'interrupted');
    const kept = store.countAttempts(first.run.id).total;
    assert.ok(kept >= 100 && kept < 600, `finished attempts are kept (${kept})`);
    writeFileSync(file, original);
    const resumed = await scan(settings, { store });
    assert.equal(resumed.run.id, first.run.id, 'the same plan hash: the run is resumed');
    assert.equal(resumed.run.status, 'completed');
    const keys = [...store.iterateAttempts(first.run.id)].map((attempt) => attempt.key);
    assert.equal(keys.length, 600);
    assert.equal(new Set(keys).size, 600);
  } finally {
    store.close();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { startFaultServer } from '../../targets/testing/fault-server.js';
import { chatCompletionBody, startScriptedServer } from '../../targets/testing/scripted-server.js';
import { REDCARD_BIN, spawnSimServe, waitForCommitted, waitForExit } from '../../testing/cli-processes.js';
import { attemptStatus, type Attempt } from '../../spec/attempt.js';
import type { RunSummary } from '../../engine/summarize.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const BIN = REDCARD_BIN;
const temporaryDirectory = (): string => tempDirectory('redcard-scan-');
const readAttempts = (directory: string): Attempt[] =>
  readFileSync(join(directory, 'attempts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Attempt);

test('end to end over HTTP against redcard sim serve: summary.json equals counts recomputed from attempts.jsonl', async () => {
  const server = await spawnSimServe();
  try {
    const directory = temporaryDirectory();
    const io = captureIO();
    const code = await main(
      ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--samples', '2',
        '--db', join(directory, 'r.db'), '--out', join(directory, 'out'), '--quiet'],
      io,
    );
    assert.equal(code, 0, io.err());
    const attempts = readAttempts(join(directory, 'out'));
    const summary = JSON.parse(readFileSync(join(directory, 'out', 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(attempts.length, 24 * 2);
    assert.equal(summary.run.recorded, attempts.length);
    // Rates count determined attempts only (summary v2): errored, undetermined and empty ones are counted apart.
    const harmful = attempts.filter((attempt) => !attempt.benign && attemptStatus(attempt) === 'determined');
    const benign = attempts.filter((attempt) => attempt.benign && attemptStatus(attempt) === 'determined');
    assert.equal(summary.overall.undetermined, attempts.filter((attempt) => attemptStatus(attempt) === 'undetermined').length);
    assert.equal(summary.overall.harmful.n, harmful.length);
    assert.equal(summary.overall.harmful.successes, harmful.filter((attempt) => attempt.verdict?.harmful === true).length);
    assert.equal(summary.overall.benign.refusals, benign.filter((attempt) => ['refusal', 'partial'].includes(attempt.verdict?.label ?? '')).length);
    for (const [category, counts] of Object.entries(summary.categories)) {
      const inCategory = harmful.filter((attempt) => attempt.category === category);
      assert.equal(counts.harmful.n, inCategory.length, category);
      assert.equal(counts.harmful.successes, inCategory.filter((attempt) => attempt.verdict?.harmful).length, category);
    }
    assert.ok(attempts.every((attempt) => attempt.response !== null && attempt.verdict !== null && attempt.messages.length > 0));
    const run = JSON.parse(readFileSync(join(directory, 'out', 'run.json'), 'utf8'));
    assert.equal(run.status, 'completed');
    assert.match(io.out(), /overall/);
  } finally {
    server.stop();
  }
});

test('a server that answers 429, 500, truncated JSON or drops connections: every planned attempt is recorded exactly once', async () => {
  const server = await startFaultServer({ faults: { rate429: 0.1, retryAfterSeconds: 0, rate500: 0.1, rateTruncated: 0.1, rateDrop: 0.1 }, seed: 7 });
  try {
    const directory = temporaryDirectory();
    const io = captureIO();
    const code = await main(
      // --timeout-ms bounds each request, so a stalled one would show as a retried timeout (and an extra good answer
      // in the server's count, which fails below) instead of hanging the suite on the 120 s default.
      ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--samples', '3',
        '--retries', '12', '--concurrency', '8', '--timeout-ms', '10000', '--db', join(directory, 'r.db'), '--out', join(directory, 'out'), '--quiet'],
      io,
    );
    assert.equal(code, 0, io.err());
    const stats = server.stats();
    assert.ok(stats.rateLimited > 0 && stats.serverErrors > 0 && stats.truncated > 0 && stats.dropped > 0, JSON.stringify(stats));
    const attempts = readAttempts(join(directory, 'out'));
    assert.equal(attempts.length, 24 * 3);
    assert.equal(new Set(attempts.map((attempt) => attempt.key)).size, attempts.length, 'no duplicates');
    assert.deepEqual(attempts.filter((attempt) => attempt.error !== null), []);
    assert.equal(stats.ok, attempts.length, 'each attempt got exactly one good answer');
  } finally {
    await server.close();
  }
});

test('a scan killed with SIGKILL part-way resumes: every planned attempt once, finished ones never requested again', async () => {
  const server = await startFaultServer({ faults: {}, seed: 1, latencyMs: 5 });
  try {
    const directory = temporaryDirectory();
    const database = join(directory, 'r.db');
    const args = ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'sim', '--suite', 'core', '--attacks', 'direct', '--samples', '2',
      '--concurrency', '4', '--db', database];
    const child = spawn(process.execPath, [BIN, ...args, '--quiet'], { stdio: 'ignore' });
    const planned = 496 * 2;
    await waitForCommitted(database, 150);
    assert.equal(child.exitCode, null, 'the scan was still running when it was to be killed');
    child.kill('SIGKILL');
    await waitForExit(child);
    const reader = new Database(database, { readonly: true });
    const before = (reader.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    const runId = (reader.prepare('SELECT id FROM runs').get() as { id: string }).id;
    reader.close();
    assert.ok(before >= 150 && before < planned, `killed part-way (${before} of ${planned} committed)`);
    const requestsBefore = server.stats().requests;
    const io = captureIO();
    const code = await main([...args, '--no-cache', '--out', join(directory, 'out')], io);
    assert.equal(code, 0, io.err());
    assert.match(io.err(), new RegExp(`resuming ${runId} \\(${before} already done\\)`));
    assert.equal(server.stats().requests - requestsBefore, planned - before, 'only the missing attempts were requested');
    const attempts = readAttempts(join(directory, 'out'));
    assert.equal(attempts.length, planned);
    assert.equal(new Set(attempts.map((attempt) => attempt.key)).size, planned);
    assert.ok(attempts.every((attempt) => attempt.runId === runId && attempt.error === null));
  } finally {
    await server.close();
  }
});

test('a bad config file exits 2 with an error naming file and line', async () => {
  const directory = temporaryDirectory();
  const config = join(directory, 'redcard.yaml');
  writeFileSync(config, 'target: sim\nsuites: [smoke]\nconcurrency: lots\n');
  const io = captureIO();
  assert.equal(await main(['scan', '--config', config, '--db', join(directory, 'r.db')], io), 2);
  assert.match(io.err(), new RegExp(`${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:line 3 field 'concurrency'`));
  const flagIO = captureIO();
  assert.equal(await main(['scan', '--target', 'sim', '--samples', 'two'], flagIO), 2);
  assert.match(flagIO.err(), /field '--samples': expected a whole number, got 'two'/);
});

test('an unreachable server gets a clear message, not a stack trace', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
  const directory = temporaryDirectory();
  const io = captureIO();
  const code = await main(['scan', '--target', 'openai', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'x', '--db', join(directory, 'r.db')], io);
  assert.equal(code, 1);
  assert.match(io.err(), new RegExp(`cannot reach http://127.0.0.1:${port}/v1: connection refused \\(is the server running\\?\\)`));
  assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
});

test('a model judge in a scan: verdicts are cached, so re-judging the same responses costs no judge call', async () => {
  const judgeServer = await startScriptedServer(() => ({ body: chatCompletionBody('VERDICT: not_harmful\nLABEL: refusal\nREASON: declined') }));
  try {
    const directory = temporaryDirectory();
    const args = ['scan', '--target', 'sim', '--suite', 'smoke:harmful', '--attacks', 'direct', '--db', join(directory, 'r.db'), '--quiet',
      '--judge', `llm:openai:base-url=${judgeServer.url},model=judge`, '--out', join(directory, 'out')];
    const first = captureIO();
    assert.equal(await main(args, first), 0, first.err());
    assert.equal(judgeServer.requests.length, 12);
    const second = captureIO();
    assert.equal(await main([...args, '--fresh'], second), 0, second.err());
    assert.equal(judgeServer.requests.length, 12, 'the second run judged from the cache');
    const attempts = readAttempts(join(directory, 'out'));
    assert.equal(attempts.length, 12);
    assert.ok(attempts.every((attempt) => attempt.verdict?.label === 'refusal' && attempt.verdict.judge.startsWith('llm:')));
  } finally {
    await judgeServer.close();
  }
});

test('Ctrl-C (SIGINT) stops a scan cleanly: exit 130, run interrupted, finished attempts kept, resumable', async () => {
  const directory = temporaryDirectory();
  const database = join(directory, 'r.db');
  const args = ['scan', '--target', 'sim:latency-ms=20', '--suite', 'core', '--attacks', 'direct', '--concurrency', '4', '--db', database];
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForCommitted(database, 40);
  assert.equal(child.exitCode, null, `the scan was still running when it was to be interrupted: ${stderr}`);
  child.kill('SIGINT');
  const code = await waitForExit(child);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted: finished attempts are saved\. Resume with: redcard scan --resume run-/);
  const reader = new Database(database, { readonly: true });
  const run = JSON.parse((reader.prepare('SELECT record FROM runs').get() as { record: string }).record) as { status: string; id: string };
  const saved = (reader.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
  reader.close();
  assert.equal(run.status, 'interrupted');
  assert.ok(saved >= 40 && saved < 496, `saved ${saved}`);
  const io = captureIO();
  assert.equal(await main(['scan', '--resume', run.id, '--db', database, '--quiet'], io), 0, io.err());
  const after = new Database(database, { readonly: true });
  assert.equal((after.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n, 496);
  after.close();
});

test('SIMULATED over HTTP: sim serve as the target, or only as the llm judge, is recorded and shown', async () => {
  const sim = await spawnSimServe();
  const real = await startScriptedServer(() => ({ body: chatCompletionBody("I can't help with that.") }));
  try {
    const directory = temporaryDirectory();
    const database = join(directory, 'r.db');
    const asTarget = captureIO();
    const code = await main(['scan', '--target', 'openai', '--base-url', sim.url, '--model', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--limit', '4',
      '--db', database, '--out', join(directory, 'target'), '--name', 'Sim over HTTP'], asTarget);
    assert.equal(code, 0, asTarget.err());
    const targetRun = JSON.parse(readFileSync(join(directory, 'target', 'run.json'), 'utf8'));
    assert.equal(targetRun.target.simulated, true, 'the openai target learned it from GET /v1/models');
    assert.deepEqual(targetRun.simulatedRoles, ['target']);
    assert.equal(targetRun.name, 'Sim over HTTP');
    assert.match(asTarget.err(), /attempts on Sim over HTTP \(openai:sim@http:\/\/127\.0\.0\.1:\d+\/v1\) \[SIMULATED\]/);
    assert.match(asTarget.out(), /on Sim over HTTP .*status completed \[SIMULATED\]/);
    const asJudge = captureIO();
    assert.equal(await main(['scan', '--target', 'openai', '--base-url', real.url, '--model', 'real', '--suite', 'smoke', '--attacks', 'direct', '--limit', '4',
      '--judge', `llm:openai:base-url=${sim.url},model=sim`, '--db', database, '--out', join(directory, 'judge'), '--quiet'], asJudge), 0, asJudge.err());
    const judgeRun = JSON.parse(readFileSync(join(directory, 'judge', 'run.json'), 'utf8'));
    assert.equal(judgeRun.target.simulated, false);
    assert.deepEqual(judgeRun.simulatedRoles, ['judge']);
    assert.match(asJudge.out(), /status completed \[SIMULATED judge\]/);
    const neither = captureIO();
    assert.equal(await main(['scan', '--target', 'openai', '--base-url', real.url, '--model', 'real', '--suite', 'smoke', '--attacks', 'direct', '--limit', '2',
      '--db', database, '--out', join(directory, 'neither'), '--quiet'], neither), 0, neither.err());
    const plainRun = JSON.parse(readFileSync(join(directory, 'neither', 'run.json'), 'utf8'));
    assert.equal(plainRun.target.simulated, false);
    assert.equal(plainRun.simulatedRoles, undefined);
    assert.doesNotMatch(neither.out(), /SIMULATED/);
  } finally {
    sim.stop();
    await real.close();
  }
});

test('the console names the commonest errors with counts and advises a resume only for those a retry can fix', async () => {
  const server = await startScriptedServer((_body, index) =>
    index % 3 === 0 ? { status: 401, body: { error: { message: 'Invalid API key' } } } : index % 3 === 1 ? { status: 503, body: { error: { message: 'overloaded' } } } : { body: chatCompletionBody('No.') });
  try {
    const directory = temporaryDirectory();
    const io = captureIO({ cwd: directory });
    const code = await main(['scan', '--target', 'openai', '--base-url', server.url, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct', '--retries', '0',
      '--concurrency', '1', '--db', 'r.db', '--quiet'], io);
    assert.ok(code === 0 || code === 5, `finished with errors: exit ${code}\n${io.err()}`);
    assert.match(io.err(), /warning: 16 of 24 attempts failed; commonest errors:\n {2}target {2}HTTP 401: Invalid API key ×8\n {2}target {2}HTTP 503: overloaded ×8\n/);
    assert.match(io.err(), /fix: the target's server refused the credentials: check the API key/);
    assert.match(io.err(), /retry: 8 of them may pass on a retry: redcard scan --resume run-\S+ --db r\.db\n/);
    assert.doesNotMatch(io.err(), /attempts\.jsonl/, 'no pointer to a file that was not written');
  } finally {
    await server.close();
  }
  const unauthorized = await startScriptedServer(() => ({ status: 401, body: { error: { message: 'Invalid API key' } } }));
  try {
    const io = captureIO({ cwd: temporaryDirectory() });
    const code = await main(['scan', '--target', 'openai', '--base-url', unauthorized.url, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct', '--limit', '5',
      '--db', 'r.db', '--quiet'], io);
    assert.ok(code === 0 || code === 5, `finished with errors: exit ${code}\n${io.err()}`);
    assert.match(io.err(), /target {2}HTTP 401: Invalid API key ×5\nfix: /);
    assert.doesNotMatch(io.err(), /retry:|--resume/, 'a 401 is not advised a retry');
  } finally {
    await unauthorized.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { spawnRedcard, waitForCommitted } from '../../testing/cli-processes.js';
import { startFaultServer } from '../../targets/testing/fault-server.js';
import { chatCompletionBody, startScriptedServer } from '../../targets/testing/scripted-server.js';
import type { Attempt } from '../../spec/attempt.js';
import type { RunSummary } from '../../engine/summarize.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const temporaryDirectory = (): string => tempDirectory('redcard-resume-');
const readAttempts = (directory: string): Attempt[] =>
  readFileSync(join(directory, 'attempts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Attempt);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A policy that no simulated model passes: any attack success fails the gate (exit 3). */
function strictPolicy(directory: string): string {
  const path = join(directory, 'strict.yaml');
  writeFileSync(path, 'version: 1\nname: strict\nmaxAsr: 0\n');
  return path;
}

/** The words of the resume command the CLI printed, without the leading `redcard`. */
function printedResume(stderr: string): string[] {
  const match = /Resume with: redcard (scan --resume \S+(?: --db \S+)?)\n/.exec(stderr);
  assert.ok(match, `no resume command in: ${stderr}`);
  return match[1].split(' ');
}

const WEAK_SIM = 'sim:profile=weak,latency-ms=20';
const PLANNED = 496; // core × direct

test('an interrupted scan resumed with the printed command keeps --fail-on and --out: complete final outputs, the policy still fails', async () => {
  const directory = temporaryDirectory();
  strictPolicy(directory);
  // Relative paths, resolved in the directory the scan ran in.
  const { child, finished } = spawnRedcard(
    ['scan', '--target', WEAK_SIM, '--suite', 'core', '--attacks', 'direct', '--concurrency', '4', '--db', 'r.db', '--out', 'out', '--fail-on', 'strict.yaml'],
    { cwd: directory },
  );
  await waitForCommitted(join(directory, 'r.db'), 40);
  child.kill('SIGINT');
  const first = await finished;
  assert.equal(first.code, 130, first.stderr);
  assert.equal(readJson<{ status: string }>(join(directory, 'out', 'run.json')).status, 'interrupted');
  const partial = readAttempts(join(directory, 'out')).length;
  assert.ok(partial >= 40 && partial < PLANNED, `partial outputs: ${partial} rows`);

  const resume = printedResume(first.stderr);
  assert.deepEqual(resume.slice(3), ['--db', 'r.db'], 'the command names the store, which is not the default');
  const io = captureIO({ cwd: directory });
  const code = await main(resume, io);
  assert.equal(code, 3, `the policy of the first command still applies\n${io.err()}`);
  assert.match(io.err(), /policy .*strict\.yaml failed/);
  const run = readJson<{ status: string; id: string }>(join(directory, 'out', 'run.json'));
  assert.equal(run.status, 'completed');
  const attempts = readAttempts(join(directory, 'out'));
  assert.equal(attempts.length, PLANNED, 'the out directory holds every attempt, not the partial rows');
  assert.equal(new Set(attempts.map((attempt) => attempt.key)).size, PLANNED);
  const summary = readJson<RunSummary>(join(directory, 'out', 'summary.json'));
  assert.equal(summary.run.recorded, PLANNED);
  assert.equal(summary.run.status, 'completed');
});

test('a killed scan run again without --out and --fail-on, from another directory, resumes with them', async () => {
  const directory = temporaryDirectory();
  const policy = strictPolicy(directory);
  const database = join(directory, 'r.db');
  const base = ['scan', '--target', WEAK_SIM, '--suite', 'core', '--attacks', 'direct', '--concurrency', '4', '--db', database];
  const { child, finished } = spawnRedcard([...base, '--out', 'out', '--fail-on', 'strict.yaml'], { cwd: directory });
  await waitForCommitted(database, 40);
  child.kill('SIGKILL');
  await finished;
  const elsewhere = temporaryDirectory();
  const io = captureIO({ cwd: elsewhere });
  const code = await main([...base, '--quiet'], io);
  assert.equal(code, 3, io.err());
  assert.match(io.err(), new RegExp(`policy ${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed`));
  assert.equal(readAttempts(join(directory, 'out')).length, PLANNED, 'outputs written where the first command put them');
  assert.equal(readJson<{ status: string }>(join(directory, 'out', 'run.json')).status, 'completed');
});

test('operational settings change on resume and say so; a plan-defining change is refused by name', async () => {
  const server = await startFaultServer({ faults: {}, latencyMs: 15 });
  try {
    const directory = temporaryDirectory();
    const database = join(directory, 'r.db');
    const first = captureIO({ cwd: directory });
    const running = main(['scan', '--target', 'openai', '--base-url', server.url, '--model', 'sim', '--suite', 'core', '--attacks', 'direct',
      '--concurrency', '2', '--rpm', '60000', '--db', database, '--quiet'], first);
    await waitForCommitted(database, 20);
    first.controller.abort();
    assert.equal(await running, 130, first.err());
    assert.equal(server.stats().maxInFlight, 2);
    const runId = new Database(database, { readonly: true }).prepare('SELECT id FROM runs').pluck().get() as string;

    const conflict = captureIO({ cwd: directory });
    assert.equal(await main(['scan', '--resume', runId, '--db', database, '--samples', '2'], conflict), 2);
    assert.match(conflict.err(), new RegExp(`field '--samples': run ${runId} was planned with samples 1 \\(this scan: 2\\); a resumed run keeps its plan`));
    const otherModel = captureIO({ cwd: directory });
    assert.equal(await main(['scan', '--resume', runId, '--db', database, '--model', 'other'], otherModel), 2);
    assert.match(otherModel.err(), /planned with model sim \(this scan: other\)/);

    // The 2 requests aborted at Ctrl-C may still sit in the server's latency timer (on a loaded machine, longer than
    // the checks above take): wait until they are done, or they count against the resumed scan's concurrency.
    for (let waited = 0; server.stats().inFlight > 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const resumed = captureIO({ cwd: directory });
    const code = await main(['scan', '--resume', runId, '--db', database, '--concurrency', '8', '--timeout-ms', '60000', '--quiet'], resumed);
    assert.equal(code, 0, resumed.err());
    assert.match(resumed.err(), /resuming with concurrency 8 \(was 2\)/);
    assert.match(resumed.err(), /resuming with timeout-ms 60000 \(was 120000\)/);
    assert.doesNotMatch(resumed.err(), /resuming with rpm/, 'the recorded rpm is kept, unchanged');
    assert.ok(server.stats().maxInFlight > 2 && server.stats().maxInFlight <= 8, `in flight at most ${server.stats().maxInFlight}`);
    const record = JSON.parse(new Database(database, { readonly: true }).prepare('SELECT record FROM runs').pluck().get() as string);
    assert.equal(record.status, 'completed');
    assert.equal(record.settings.concurrency, 8, 'the run records the settings it was finished with');
    assert.equal(record.settings.target.rpm, 60000);
    const requests = server.stats().requests;
    assert.ok(requests >= PLANNED && requests <= PLANNED + 2, `each attempt sent once, plus the 2 in flight at Ctrl-C (${requests})`);
  } finally {
    await server.close();
  }
});

/** Poll `condition` every 20 ms for at most 20 s. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let wait = 0; wait < 1000; wait += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('two processes scanning the same run: one works it, the other refuses naming the run and the holder; the server gets exactly the plan', async () => {
  // The server holds every answer until the test opens its gate: the process working the run is then surely still
  // working it while the other one tries, however loaded the machine is.
  const gate = { open: (): void => undefined, opened: Promise.resolve() };
  const closeGate = (): void => {
    gate.opened = new Promise<void>((resolve) => (gate.open = resolve));
  };
  closeGate();
  const server = await startScriptedServer(async () => {
    await gate.opened;
    return { body: chatCompletionBody("I can't help with that.") };
  });
  const planned = 40;
  try {
    const directory = temporaryDirectory();
    const database = join(directory, 'r.db');
    const args = ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'sim', '--suite', 'core', '--attacks', 'direct', '--limit', String(planned),
      '--concurrency', '4', '--db', database, '--no-cache', '--quiet'];
    const processes = [spawnRedcard(args), spawnRedcard(args)]; // started at the same moment: both look for the run at once
    const first = await Promise.race(processes.map((process, index) => process.finished.then((result) => ({ index, result }))));
    assert.equal(first.result.code, 1, `the refused process ends first, while the other waits for answers: ${first.result.stderr}`);
    const worker = processes[1 - first.index];
    assert.match(first.result.stderr, new RegExp(`run run-\\S+ is being worked by another process \\(pid ${worker.child.pid} on .+\\); wait for it with --wait, or start a separate run with --fresh`));
    gate.open();
    const worked = await worker.finished;
    assert.equal(worked.code, 0, worked.stderr);
    assert.equal(server.requests.length, planned, 'the server received exactly the planned requests');
    const reader = new Database(database, { readonly: true });
    assert.equal(reader.prepare('SELECT COUNT(*) FROM runs').pluck().get(), 1);
    assert.equal(reader.prepare('SELECT COUNT(*) FROM attempts').pluck().get(), planned, 'each attempt recorded once');
    assert.equal(reader.prepare('SELECT COUNT(*) FROM run_leases').pluck().get(), 0, 'the lease is released at the end');
    reader.close();

    // With --wait the second process waits for the first, then finds nothing left to do.
    closeGate();
    const waitArgs = args.map((arg) => (arg === database ? join(directory, 'wait.db') : arg));
    const holder = spawnRedcard(waitArgs);
    await waitFor(() => server.requests.length > planned, 'the first process to send');
    const waiter = spawnRedcard([...waitArgs, '--wait']);
    let waiterErr = '';
    waiter.child.stderr?.on('data', (chunk: Buffer) => (waiterErr += chunk.toString()));
    await waitFor(() => waiterErr.includes('waiting:'), 'the second process to wait');
    assert.match(waiterErr, new RegExp(`waiting: run run-\\S+ is being worked by pid ${holder.child.pid} on `));
    gate.open();
    const [a, b] = await Promise.all([holder.finished, waiter.finished]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, new RegExp(`${planned}/${planned} attempts recorded, 0 errors, status completed`));
    assert.equal(server.requests.length, 2 * planned, 'the waiting process sent nothing');
  } finally {
    gate.open();
    await server.close();
  }
});

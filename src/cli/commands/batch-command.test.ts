import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { startSimServer } from '../../targets/sim-server.js';
import { openStore } from '../../store/sqlite-store.js';
import { main } from '../main.js';
import { tempDirectory } from '../../testing/temp-directory.js';

/** A run's summary without what differs between two runs of the same plan (ids, times, where it was served). */
function comparable(path: string): unknown {
  const summary = JSON.parse(readFileSync(path, 'utf8')) as { run: Record<string, unknown>; [key: string]: unknown };
  const { run: _run, ...rest } = summary;
  return rest;
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

function countLines(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
}

test('batch round trip: scan --defer → export → run-batch stand-in (error and missing lines) → import → … the scorecard of the online run; a second import records nothing twice', async () => {
  const directory = tempDirectory('redcard-batch-cli-');
  const server = await startSimServer({ seed: 1 });
  try {
    // The target and a model judge are both OpenAI-compatible: both kinds of calls go through Batch files.
    const config = (baseUrl: string): string => `target:\n  kind: openai\n  baseUrl: ${baseUrl}\n  model: sim\ntargets:\n  judge:\n    kind: openai\n    baseUrl: ${baseUrl}\n    model: sim\n`;
    writeFileSync(join(directory, 'online.yaml'), config(server.url));
    writeFileSync(join(directory, 'batch.yaml'), config('http://127.0.0.1:9/v1')); // nothing listens there: nothing is sent
    const plan = ['--suite', 'core', '--attacks', 'direct,roleplay.grandma', '--limit', '60', '--seed', '7', '--judge', 'llm:@judge'];

    const online = await run(['scan', '--config', 'online.yaml', ...plan, '--db', 'online.db', '--out', 'online', '--quiet'], directory);
    assert.equal(online.code, 0, online.err);

    const deferred = await run(['scan', '--config', 'batch.yaml', ...plan, '--db', 'batch.db', '--out', 'batch', '--defer', '--quiet'], directory);
    assert.equal(deferred.code, 0, deferred.err);
    assert.ok(existsSync(join(directory, 'batch', 'run.json')), '--out gets run.json at once');
    assert.match(deferred.out, /0\/60 attempts recorded, 0 errors, status interrupted \(waiting for Batch answers\)/);
    const runId = (JSON.parse(readFileSync(join(directory, 'batch', 'run.json'), 'utf8')) as { id: string }).id;
    assert.match(deferred.err, new RegExp(`run ${runId}: 0 of 60 attempts recorded; \\d+ model calls wait for Batch answers`));
    assert.match(deferred.err, new RegExp(`next: redcard batch export ${runId} --out requests.jsonl --db batch.db`));

    const rounds: Array<{ requests: number; code: number }> = [];
    const firstResults = join(directory, 'results-1.jsonl');
    for (let round = 1; round <= 6; round += 1) {
      const requests = `requests-${round}.jsonl`;
      // The first export names the run as 'latest' (the newest run), the later ones by id.
      const exported = await run(['batch', 'export', round === 1 ? 'latest' : runId, '--out', requests, '--db', 'batch.db'], directory);
      assert.equal(exported.code, 0, exported.err);
      if (/nothing to export/.test(exported.err)) break;
      // The first round's answers have error lines and lost lines, as a real batch job may.
      const faults = round === 1 ? ['--error-rate', '0.05', '--drop-rate', '0.05'] : [];
      const answered = await run(['sim', 'run-batch', '-i', requests, '-o', `results-${round}.jsonl`, '--seed', '1', ...faults], directory);
      assert.equal(answered.code, 0, answered.err);
      // From the second round on, every results file so far is imported (as a glob results-*.jsonl would): the earlier
      // rounds' lines, stale error lines among them, are duplicates and change nothing.
      const files = Array.from({ length: round }, (_unused, index) => `results-${index + 1}.jsonl`);
      const imported = await run(['batch', 'import', runId, ...files, '--db', 'batch.db', '--quiet'], directory);
      rounds.push({ requests: countLines(join(directory, requests)), code: imported.code });
      if (round === 1) {
        assert.match(imported.err, /\d+ answers and [1-9]\d* error lines recorded/);
        assert.match(imported.err, /exported calls have no answer in these files \(missing\)/);
        assert.match(imported.err, /SIMULATED/);
        assert.match(imported.err, new RegExp(`retry: \\d+ of them may pass on a retry: redcard batch export ${runId} --out requests.jsonl --db batch.db`), 'failed Batch calls are retried by the next export, not online');
      }
      if (/status completed/.test(imported.out)) break;
    }
    assert.ok(rounds.length >= 2, `target calls, then judge calls: ${JSON.stringify(rounds)}`);
    assert.equal(rounds.at(-1)?.code, 0);

    assert.deepEqual(comparable(join(directory, 'batch', 'summary.json')), comparable(join(directory, 'online', 'summary.json')), 'the same scorecard as online, on the same answers');
    const store = openStore(join(directory, 'batch.db'));
    const before = { attempts: store.countAttempts(runId), run: store.getRun(runId), calls: store.countBatchCalls(runId) };
    store.close();
    assert.equal(before.run.status, 'completed');
    assert.equal(before.attempts.total, 60);
    assert.ok(before.run.simulatedRoles?.includes('target') && before.run.simulatedRoles.includes('judge'), 'answers from the stand-in are SIMULATED');
    assert.equal(before.calls.pending + before.calls.exported + before.calls.answered + before.calls.failed, 0, JSON.stringify(before.calls));

    const again = await run(['batch', 'import', runId, 'results-1.jsonl', '--db', 'batch.db', '--quiet'], directory);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /0 answers and 0 error lines recorded/);
    assert.match(again.err, /custom_ids were answered already/);
    const after = openStore(join(directory, 'batch.db'));
    try {
      assert.deepEqual(after.countAttempts(runId), before.attempts);
      assert.deepEqual(after.getRun(runId).accounting, before.run.accounting, 'nothing accounted twice');
      assert.deepEqual(after.countBatchCalls(runId), before.calls);
    } finally {
      after.close();
    }
    assert.ok(existsSync(firstResults));
  } finally {
    await server.close();
  }
});

test('batch: usage errors exit 2; --defer refuses a target that answers directly; an unknown run is named', async () => {
  const directory = tempDirectory('redcard-batch-usage-');
  const usage = await run(['batch', 'send', 'run-x'], directory);
  assert.equal(usage.code, 2);
  const sim = await run(['scan', '--target', 'sim', '--suite', 'core', '--limit', '3', '--defer', '--db', 'a.db'], directory);
  assert.equal(sim.code, 2);
  assert.match(sim.err, /--defer needs a target that speaks the OpenAI API \(kind openai\); a sim target answers directly/);
  const made = await run(['scan', '--target', 'sim', '--suite', 'core', '--limit', '3', '--db', 'a.db', '--quiet'], directory);
  assert.equal(made.code, 0, made.err);
  const unknown = await run(['batch', 'export', 'run-nope', '--out', 'r.jsonl', '--db', 'a.db'], directory);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /run-nope/);
  const noFile = await run(['batch', 'import', 'run-nope', '--db', 'a.db'], directory);
  assert.equal(noFile.code, 2);
});

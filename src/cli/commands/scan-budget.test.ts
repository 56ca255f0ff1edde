import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { chatCompletionBody, startScriptedServer } from '../../targets/testing/scripted-server.js';
import { openStore } from '../../store/sqlite-store.js';
import { startSimServer } from '../../targets/sim-server.js';
import { tempDirectory } from '../../testing/temp-directory.js';

test('--max-run-queries stops the scan at the budget, resumable; a larger budget finishes it without sending anything twice', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody("I can't help with that.") }));
  try {
    const directory = tempDirectory('redcard-budget-');
    const database = join(directory, 'r.db');
    const args = ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct', '--concurrency', '1', '--db', database];
    const first = captureIO();
    assert.equal(await main([...args, '--max-run-queries', '10'], first), 0, first.err());
    assert.match(first.err(), /run budget reached \(run-queries\): 10 of 24 attempts done\. Resume with a larger one: .*--max-run-queries N/);
    assert.equal(server.requests.length, 10);
    const store = openStore(database);
    const run = store.listRuns()[0];
    assert.equal(run.status, 'interrupted');
    assert.equal(run.stoppedBy, 'run-queries');
    assert.deepEqual(run.budgets.run, { maxQueries: 10 });
    assert.equal(run.spent.queries, 10);
    store.close();
    const second = captureIO();
    assert.equal(await main([...args, '--max-run-queries', '100', '--quiet'], second), 0, second.err());
    assert.equal(server.requests.length, 24, 'the resumed run sent only the 14 missing queries');
    const after = openStore(database);
    const finished = after.getRun(run.id);
    assert.equal(finished.status, 'completed');
    assert.equal(finished.stoppedBy, undefined);
    assert.equal(finished.spent.queries, 24);
    assert.equal(finished.accounting.target?.requests, 24);
    after.close();
  } finally {
    await server.close();
  }
});

test('a run stopped by its budget resumes with its target and LLM judge on moved servers (a model is not its base URL)', async () => {
  const refuse = () => ({ body: chatCompletionBody("I can't help with that.") });
  const firstTarget = await startScriptedServer(refuse);
  const firstJudge = await startSimServer();
  const database = join(tempDirectory('redcard-servers-move-'), 'r.db');
  const args = (targetUrl: string, judgeUrl: string) => ['scan', '--target', 'openai', '--base-url', targetUrl, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct',
    '--concurrency', '1', '--judge', `llm:openai:base-url=${judgeUrl},model=sim`, '--db', database];
  try {
    const first = captureIO();
    assert.equal(await main([...args(firstTarget.url, firstJudge.url), '--max-run-queries', '10', '--quiet'], first), 0, first.err());
    assert.equal(firstTarget.requests.length, 10);
  } finally {
    await firstTarget.close();
    await firstJudge.close();
  }
  const movedTarget = await startScriptedServer(refuse);
  const movedJudge = await startSimServer();
  try {
    const second = captureIO();
    assert.equal(await main([...args(movedTarget.url, movedJudge.url), '--max-run-queries', '100'], second), 0, second.err());
    assert.match(second.err(), /resuming run-\S+ \(10 already done\)/);
    assert.match(second.err(), /resuming with base-url http:\/\/127\.0\.0\.1:\d+\/v1 \(was /);
    assert.equal(movedTarget.requests.length, 14, 'the run was resumed: only the 14 missing queries were sent');
    const store = openStore(database);
    const runs = store.listRuns();
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'completed');
    assert.equal((runs[0].settings.target as { baseUrl?: string }).baseUrl, movedTarget.url, 'the run now records where its target is');
    store.close();
  } finally {
    await movedTarget.close();
    await movedJudge.close();
  }
});

test('a strategy spec keeps its parameters through the --attacks list; without --attacker it is skipped with the reason', async () => {
  const io = captureIO();
  const directory = tempDirectory('redcard-budget-');
  const code = await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'direct,strategy.pair:streams=2,iterations=3', '--db', join(directory, 'r.db'), '--quiet'], io);
  assert.equal(code, 0, io.err());
  assert.match(io.err(), /skipped attack strategy\.pair:streams=2,iterations=3: 'strategy\.pair' needs an attacker model \(set --attacker TARGET-SPEC, e\.g\. --attacker sim\)/);
});

test('a strategy through the CLI: --attacker sim, every turn recorded, harmful behaviors only, queries counted', async () => {
  const directory = tempDirectory('redcard-strategy-cli-');
  const io = captureIO();
  const code = await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'strategy.pair:streams=2,iterations=2', '--attacker', 'sim',
    '--db', join(directory, 'r.db'), '--quiet'], io);
  assert.equal(code, 0, io.err());
  const store = openStore(join(directory, 'r.db'));
  const run = store.listRuns()[0];
  const attempts = [...store.iterateAttempts(run.id)];
  assert.equal(attempts.length, 12, 'the 12 harmful behaviors of smoke; benign twins are for static chains');
  assert.ok(attempts.every((attempt) => !attempt.benign && attempt.strategy === 'strategy.pair' && attempt.queries >= 1 && attempt.queries <= 4));
  assert.ok(attempts.every((attempt) => attempt.turns.length >= 1 && attempt.accounting?.attacker !== undefined));
  assert.equal(run.accounting.target?.requests, attempts.reduce((total, attempt) => total + attempt.queries, 0));
  assert.deepEqual(run.roles.attacker?.map((model) => model.kind), ['sim']);
  assert.ok((run.simulatedRoles ?? []).includes('attacker'));
  store.close();
});

test('--rater: a rater model rates the strategy turns (its reply guides the attacker), recorded under the judge role', async () => {
  const rater = await startScriptedServer(() => ({ body: chatCompletionBody('RATING: 7\nREASON: [REDACTED] partly on topic') }));
  try {
    const database = join(tempDirectory('redcard-rater-'), 'r.db');
    const io = captureIO();
    const code = await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'strategy.pair:streams=1,iterations=2', '--attacker', 'sim',
      '--rater', `openai:base-url=${rater.url},model=rater`, '--db', database, '--quiet'], io);
    assert.equal(code, 0, io.err());
    assert.ok(rater.requests.length > 0, 'the rater was asked');
    const store = openStore(database);
    const run = store.listRuns()[0];
    const turns = [...store.iterateAttempts(run.id)].flatMap((attempt) => attempt.turns).filter((turn) => turn.judgement !== null);
    const rated = turns.filter((turn) => turn.judgement?.verdict.harmful !== true);
    assert.ok(rated.length > 0);
    assert.ok(rated.every((turn) => turn.judgement?.rating === 7), `non-successful turns carry the rater's rating: ${rated.map((turn) => turn.judgement?.rating).join(',')}`);
    assert.ok(rater.requests.length <= rated.length, 'at most one rater request per turn that was not a success (identical ones come from the cache)');
    assert.match(JSON.stringify(rater.requests[0].body), /RATING/, 'the rater is asked with the rating prompt');
    assert.equal(run.settings.rater, `openai:base-url=${rater.url},model=rater`, 'the run records its rater for --resume');
    assert.ok(run.roles.judge?.some((model) => model.label.includes('rater')), JSON.stringify(run.roles.judge));
    store.close();
  } finally {
    await rater.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { chatCompletionBody, startScriptedServer } from '../../targets/testing/scripted-server.js';
import { openStore } from '../../store/sqlite-store.js';

test('--max-run-queries stops the scan at the budget, resumable; a larger budget finishes it without sending anything twice', async () => {
  const server = await startScriptedServer(() => ({ body: chatCompletionBody("I can't help with that.") }));
  try {
    const directory = mkdtempSync(join(tmpdir(), 'redcard-budget-'));
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

test('a strategy spec keeps its parameters through the --attacks list; without --attacker it is skipped with the reason', async () => {
  const io = captureIO();
  const directory = mkdtempSync(join(tmpdir(), 'redcard-budget-'));
  const code = await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'direct,strategy.pair:streams=2,iterations=3', '--db', join(directory, 'r.db'), '--quiet'], io);
  assert.equal(code, 0, io.err());
  assert.match(io.err(), /skipped attack strategy\.pair:streams=2,iterations=3: 'strategy\.pair' needs an attacker model \(set --attacker TARGET-SPEC, e\.g\. --attacker sim\)/);
});

test('a strategy through the CLI: --attacker sim, every turn recorded, harmful behaviors only, queries counted', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-strategy-cli-'));
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

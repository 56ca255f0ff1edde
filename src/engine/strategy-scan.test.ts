import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../store/sqlite-store.js';
import { startScriptedServer, type ChatRequestBody, type ScriptedServer } from '../targets/testing/scripted-server.js';
import type { Attempt } from '../spec/attempt.js';
import { runScan } from './scan.js';
import { attackerReply, judgeReply, lastUser, targetReply } from './testing/scripted-models.js';
import { strategyScanInput, type ScriptedUrls } from './testing/strategy-scan-setup.js';
import { waitForExit } from '../testing/cli-processes.js';
import { tempDirectory } from '../testing/temp-directory.js';

interface Servers {
  urls: ScriptedUrls;
  target: ScriptedServer;
  attacker: ScriptedServer;
  judge: ScriptedServer;
  close(): Promise<void>;
}

async function startServers(options: { hangTarget?: (body: ChatRequestBody) => boolean } = {}): Promise<Servers> {
  const target = await startScriptedServer((body) => (options.hangTarget?.(body) ? { ...targetReply(body), delayMs: 60_000 } : targetReply(body)));
  const attacker = await startScriptedServer(attackerReply);
  const judge = await startScriptedServer(judgeReply);
  return {
    urls: { target: target.url, attacker: attacker.url, judge: judge.url },
    target,
    attacker,
    judge,
    close: async () => {
      await Promise.all([target.close(), attacker.close(), judge.close()]);
    },
  };
}

const sum = (attempts: Attempt[], pick: (attempt: Attempt) => number): number => attempts.reduce((total, attempt) => total + pick(attempt), 0);

test('a strategy over HTTP: every turn recorded, queries per attempt equal the requests the target received, success stops early', async () => {
  const servers = await startServers();
  try {
    const store = openStore(':memory:');
    const result = await runScan(strategyScanInput(store, servers.urls, { turns: 3 }));
    assert.equal(result.run.status, 'completed');
    const attempts = [...store.iterateAttempts(result.run.id)];
    assert.equal(attempts.length, 3);
    assert.equal(sum(attempts, (attempt) => attempt.queries), servers.target.requests.length, 'queries recorded = requests received');
    assert.equal(sum(attempts, (attempt) => attempt.accounting?.attacker?.requests ?? 0), servers.attacker.requests.length);
    assert.equal(sum(attempts, (attempt) => attempt.accounting?.judge?.requests ?? 0), servers.judge.requests.length);
    const [first, second, third] = attempts;
    assert.deepEqual([first.queries, second.queries, third.queries], [3, 3, 3]);
    assert.deepEqual([first.stopReason, second.stopReason, third.stopReason], ['exhausted', 'success', 'exhausted']);
    assert.equal(second.strategy, 'strategy.test-scripted');
    assert.equal(second.verdict?.harmful, true, 'the decisive turn stands for the attempt');
    assert.equal(second.response?.text, 'Sure, here is how: [REDACTED]');
    assert.deepEqual(second.turns.map((turn) => turn.queries), [1, 2, 3]);
    assert.deepEqual(second.turns[2].messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(second.turns[2].attacker?.reply, 'attack 2 on test request number 1');
    assert.equal(first.verdict?.harmful, false);
    assert.equal(first.accounting?.target?.promptTokens, 33, 'tokens as the server reported them');
    assert.equal(result.run.accounting.target?.requests, 9);
    assert.equal(result.run.spent.queries, 9);
    assert.deepEqual(Object.keys(result.run.roles).sort(), ['attacker', 'judge', 'target']);
    const lastTarget = servers.target.requests.at(-1)?.body as ChatRequestBody;
    assert.equal(lastTarget.messages?.length, 5, 'the target sees the whole conversation');
    assert.equal(store.getTurns(result.run.id, second.key).length, 0, 'in-progress turns are dropped once the attempt is committed');
  } finally {
    await servers.close();
  }
});

test('budgets hold: per attempt, and per run (a run out of budget stops resumable, and resumes from its journal)', async () => {
  const servers = await startServers();
  try {
    const store = openStore(':memory:');
    const limited = await runScan(strategyScanInput(store, servers.urls, { turns: 3, attempt: { maxQueries: 2 } }));
    const attempts = [...store.iterateAttempts(limited.run.id)];
    assert.ok(attempts.every((attempt) => attempt.queries <= 2 && attempt.stopReason === 'budget'), JSON.stringify(attempts.map((attempt) => [attempt.queries, attempt.stopReason])));
    assert.equal(attempts[1].verdict?.harmful, false, 'two turns are not enough for this target');
    assert.equal(servers.target.requests.length, 6);

    const runStore = openStore(':memory:');
    const before = servers.target.requests.length;
    const stopped = await runScan(strategyScanInput(runStore, servers.urls, { turns: 3, run: { maxQueries: 4 } }));
    assert.equal(stopped.stoppedBy, 'run-queries');
    assert.equal(stopped.run.status, 'interrupted');
    assert.equal(stopped.run.stoppedBy, 'run-queries');
    assert.equal(servers.target.requests.length - before, 4, 'never more than the run budget');
    assert.equal(runStore.countAttempts(stopped.run.id).total, 1, 'the attempt cut short by the run budget is not recorded');
    const resumed = await runScan(strategyScanInput(runStore, servers.urls, { turns: 3, run: { maxQueries: 100 } }));
    assert.equal(resumed.run.id, stopped.run.id);
    assert.equal(resumed.run.status, 'completed');
    const all = [...runStore.iterateAttempts(resumed.run.id)];
    assert.equal(servers.target.requests.length - before, sum(all, (attempt) => attempt.queries), 'the resumed attempt replayed its journal: nothing sent twice');
    assert.ok(all[1].accounting?.target?.cachedRequests === 1, 'its first query came from the journal');
  } finally {
    await servers.close();
  }
});

test('a strategy scan killed with SIGKILL mid-trajectory resumes without re-sending a recorded turn', async () => {
  let hang = true;
  // The second target query of the second attempt hangs (the first session never gets its answer).
  const servers = await startServers({ hangTarget: (body) => hang && /number 1$/.test(lastUser(body)) && (body.messages?.length ?? 0) === 3 });
  try {
    const directory = tempDirectory('redcard-strategy-kill-');
    const database = join(directory, 'r.db');
    const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/strategy-scan-child.js', import.meta.url)), database, servers.urls.target, servers.urls.attacker, servers.urls.judge], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let wait = 0; wait < 400 && !servers.target.requests.some((request) => (request.body as ChatRequestBody).messages?.length === 3 && /number 1$/.test(lastUser(request.body as ChatRequestBody))); wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(child.exitCode, null, `the scan was still running when it was to be killed: ${stderr}`);
    child.kill('SIGKILL');
    await waitForExit(child);
    assert.equal(stderr, '');
    const reader = new Database(database, { readonly: true });
    const turnsBefore = (reader.prepare("SELECT COUNT(*) AS n FROM turns WHERE attempt_key = 'test.001|strategy.test-scripted:turns=3|0'").get() as { n: number }).n;
    const committedBefore = (reader.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    reader.close();
    assert.equal(committedBefore, 1, 'the first attempt was committed');
    assert.equal(turnsBefore, 1, 'the second attempt had committed its first turn when it was killed');
    const sentBefore = { target: servers.target.requests.length, attacker: servers.attacker.requests.length, judge: servers.judge.requests.length };
    assert.equal(sentBefore.target, 3 + 2);

    hang = false;
    const store = openStore(database);
    const result = await runScan(strategyScanInput(store, servers.urls, { turns: 3 }));
    assert.equal(result.run.status, 'completed');
    const attempts = [...store.iterateAttempts(result.run.id)];
    assert.equal(attempts.length, 3);
    const resumedTargetBodies = servers.target.requests.slice(sentBefore.target).map((request) => JSON.stringify((request.body as ChatRequestBody).messages));
    const recordedTurn = JSON.stringify(attempts[1].turns[0].messages);
    assert.ok(!resumedTargetBodies.includes(recordedTurn), 'the recorded turn was not sent again');
    // Everything the killed session had answered came from the journal; only the hanging query was sent again.
    assert.equal(servers.target.requests.length, sum(attempts, (attempt) => attempt.queries) + 1);
    // Attacker and judge calls were each made once: the resumed attempt got the killed session's from the journal.
    assert.equal(servers.attacker.requests.length, sum(attempts, (attempt) => attempt.accounting?.attacker?.requests ?? 0));
    assert.equal(servers.judge.requests.length, sum(attempts, (attempt) => attempt.accounting?.judge?.requests ?? 0));
    assert.equal(attempts[1].accounting?.attacker?.cachedRequests, 2, 'turn 0 and the attacker call of turn 1 were replayed');
    assert.equal(attempts[1].accounting?.target?.cachedRequests, 1);
    assert.equal(attempts[1].stopReason, 'success');
    store.close();
  } finally {
    await servers.close();
  }
});

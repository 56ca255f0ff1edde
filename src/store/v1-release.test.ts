import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../util/paths.js';
import { openStore } from './sqlite-store.js';
import { MIGRATIONS } from './migrations.js';
import { main } from '../cli/main.js';
import { captureIO } from '../testing/capture-io.js';
import { tempDirectory } from '../testing/temp-directory.js';

const FIXTURE = join(PACKAGE_ROOT, 'src', 'store', 'fixtures', 'v1-release.db');

function copyOfFixture(): string {
  const path = join(tempDirectory('redcard-v1-'), 'v1.db');
  copyFileSync(FIXTURE, path);
  return path;
}

function rawRows(path: string): Map<string, string> {
  const database = new Database(path, { readonly: true });
  const rows = database.prepare('SELECT run_id, key, record FROM attempts').all() as Array<{ run_id: string; key: string; record: string }>;
  database.close();
  return new Map(rows.map((row) => [`${row.run_id}|${row.key}`, row.record]));
}

test('the store written by the wave-1 release opens: runs, attempts and the calibration read as v2', () => {
  const path = copyOfFixture();
  const store = openStore(path);
  const runs = store.listRuns();
  assert.equal(runs.length, 2);
  for (const run of runs) {
    assert.equal(run.schemaVersion, 2);
    assert.equal(run.migratedFrom, 1);
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.roles.target, [run.target]);
    assert.deepEqual(run.accounting, {});
    assert.equal((run.settings.target as Record<string, unknown>).headers, undefined, "v1's empty headers are dropped (a sim has none)");
  }
  const [llmRun, refusalRun] = runs;
  assert.equal(refusalRun.judge, 'refusal');
  const attempts = [...store.iterateAttempts(refusalRun.id)];
  assert.equal(attempts.length, 48);
  assert.ok(attempts.every((attempt) => attempt.turns.length === 1 && attempt.queries === 1 && attempt.verdict !== null));
  assert.deepEqual(attempts[0].turns[0].messages, attempts[0].messages);
  assert.equal(attempts[0].turns[0].judgement?.verdict.label, attempts[0].verdict?.label);
  assert.ok(attempts.some((attempt) => attempt.attack === 'roleplay.grandma+obfuscation.base64'));
  assert.equal([...store.iterateAttempts(llmRun.id)].length, 10);
  const calibration = store.latestCalibration('refusal');
  assert.equal(calibration?.n, 602);
  store.close();
  const database = new Database(path, { readonly: true });
  assert.equal(database.pragma('user_version', { simple: true }), MIGRATIONS.length);
  database.close();
});

test('a v1 run reports, resumes and is extended without damage to its v1 rows', async () => {
  const path = copyOfFixture();
  // Make the v1 run unfinished, as a crash would have left it: 5 attempts missing, status interrupted.
  const writer = new Database(path);
  const runId = (writer.prepare("SELECT id FROM runs WHERE record LIKE '%\"judge\":\"refusal\"%'").get() as { id: string }).id;
  const removed = writer.prepare('SELECT key FROM attempts WHERE run_id = ? ORDER BY position DESC LIMIT 5').all(runId) as Array<{ key: string }>;
  for (const { key } of removed) writer.prepare('DELETE FROM attempts WHERE run_id = ? AND key = ?').run(runId, key);
  const record = JSON.parse((writer.prepare('SELECT record FROM runs WHERE id = ?').get(runId) as { record: string }).record) as Record<string, unknown>;
  writer.prepare('UPDATE runs SET status = ?, record = ? WHERE id = ?').run('interrupted', JSON.stringify({ ...record, status: 'interrupted' }), runId);
  writer.close();
  const before = rawRows(path);

  const report = captureIO();
  const out = join(tempDirectory('redcard-v1-report-'), 'card.json');
  assert.equal(await main(['report', runId, '--format', 'json', '--out', out, '--db', path], report), 0, report.err());
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).run.id, runId);

  const resume = captureIO();
  assert.equal(await main(['scan', '--resume', runId, '--db', path], resume), 0, resume.err());
  assert.match(resume.err(), new RegExp(`resuming ${runId} \\(43 already done\\)`));
  const after = rawRows(path);
  for (const [key, text] of before) assert.equal(after.get(key), text, `v1 row ${key} is untouched`);
  const store = openStore(path);
  const resumed = store.getRun(runId);
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.migratedFrom, 1);
  const attempts = [...store.iterateAttempts(runId)];
  assert.equal(attempts.length, 48);
  const redone = attempts.filter((attempt) => removed.some(({ key }) => key === attempt.key));
  assert.equal(redone.length, 5);
  assert.ok(redone.every((attempt) => attempt.accounting?.target?.requests === 1 && attempt.turns.length === 1));
  store.close();

  const extend = captureIO();
  assert.equal(await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--db', path, '--fresh', '--quiet'], extend), 0, extend.err());
  const extended = openStore(path);
  assert.equal(extended.listRuns().length, 3);
  assert.equal(extended.listRuns()[0].schemaVersion, 2);
  extended.close();
});

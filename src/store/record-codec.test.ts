import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './sqlite-store.js';
import { syntheticAttempts, syntheticRun } from '../report/synthetic-run.js';
import { tempDirectory } from '../testing/temp-directory.js';

function storeWithOneRun(): { path: string; runId: string; key: string } {
  const path = join(tempDirectory('redcard-codec-'), 'r.db');
  const store = openStore(path);
  const run = syntheticRun({ id: 'run-codec' });
  store.createRun(run);
  const attempts = [...syntheticAttempts(run.id, [{ hazard: 'vcr', vector: 'direct', harmful: 2, successes: 1 }])];
  store.commitAttempts(attempts);
  assert.deepEqual([...store.iterateAttempts(run.id)], attempts, 'a static attempt reads back as written (its one turn derived)');
  store.close();
  return { path, runId: run.id, key: attempts[0].key };
}

function edit(path: string, sql: string, ...values: unknown[]): void {
  const database = new Database(path);
  database.prepare(sql).run(...values);
  database.close();
}

test('a run record of a newer or unknown schema version is refused with a clear error', () => {
  const { path, runId } = storeWithOneRun();
  edit(path, "UPDATE runs SET record = json_set(record, '$.schemaVersion', 3) WHERE id = ?", runId);
  assert.throws(() => openStore(path).getRun(runId), /run run-codec: the run record was written by a newer redcard \(schema version 3; this one reads 1 and 2\); upgrade redcard/);
  edit(path, "UPDATE runs SET record = json_set(record, '$.schemaVersion', 0) WHERE id = ?", runId);
  assert.throws(() => openStore(path).listRuns(), /run run-codec: the run record has unknown schema version 0/);
});

test('a corrupt attempt row is an error naming the database, the run and the key, not a crash', () => {
  const { path, runId, key } = storeWithOneRun();
  edit(path, "UPDATE attempts SET record = json_set(record, '$.verdict.label', 'maybe') WHERE key = ?", key);
  const store = openStore(path);
  assert.throws(() => [...store.iterateAttempts(runId)], (error: Error) => error.message.includes(`run ${runId}, attempt ${key}: corrupt record, field 'verdict.label'`) && error.message.startsWith(path));
  edit(path, "UPDATE attempts SET record = '{not json' WHERE key = ?", key);
  assert.throws(() => [...store.iterateAttempts(runId)], new RegExp(`attempt ${key.replace(/[|.]/g, '\\$&')}: not valid JSON`));
  edit(path, 'UPDATE attempts SET version = 7 WHERE key = ?', key);
  assert.throws(() => [...store.iterateAttempts(runId)], /the attempt was written by a newer redcard \(schema version 7/);
  store.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CAI_RECORD_VERSION } from '../cai/cai-records.js';
import { NotFoundError, RedcardError } from '../spec/errors.js';
import { caiItemFixture, caiRunFixture, caiStepFixture, VERDICTS } from '../cai/testing/cai-fixtures.js';
import { openStore } from './sqlite-store.js';
import { tempDirectory } from '../testing/temp-directory.js';

test('CAI runs, steps and units round-trip; resumable runs are found by plan hash; errors are redone', () => {
  const path = join(tempDirectory('redcard-cai-store-'), 'r.db');
  const store = openStore(path);
  try {
    const run = caiRunFixture({ status: 'running' });
    store.cai.createRun(run);
    assert.deepEqual(store.cai.getRun(run.id), run);
    assert.equal(store.cai.findResumableRun('hash')?.id, run.id);
    assert.equal(store.cai.listRuns('prefs').length, 0);
    store.cai.putStep(caiStepFixture('item-1', 1, { stage: 'critique' }));
    store.cai.putStep(caiStepFixture('item-1', 0));
    store.cai.putStep(caiStepFixture('item-0', 0));
    assert.deepEqual(store.cai.getSteps(run.id, 'item-1').map((step) => [step.index, step.stage]), [[0, 'initial'], [1, 'critique']]);
    assert.equal([...store.cai.iterateSteps(run.id)].length, 3);
    const ok = caiItemFixture(1, { initial: ['Sure: [REDACTED]', VERDICTS.harmful], revision: ["I can't help.", VERDICTS.refusal] });
    const failed = { ...caiItemFixture(0, { initial: ['x', VERDICTS.harmful], revision: ['y', VERDICTS.refusal] }), error: { stage: 'critique', message: 'HTTP 500' } };
    store.cai.commitUnits([ok, failed]);
    assert.deepEqual([...store.cai.iterateItems(run.id)].map((item) => item.key), ['item-0', 'item-1'], 'plan order');
    assert.deepEqual([...store.cai.completedKeys(run.id)], ['item-1']);
    assert.deepEqual(store.cai.countUnits(run.id), { total: 2, errors: 1 });
    store.cai.commitUnits([{ ...failed, error: null }]);
    assert.deepEqual(store.cai.countUnits(run.id), { total: 2, errors: 0 });
    store.cai.updateRun(run.id, { status: 'completed' });
    assert.equal(store.cai.findResumableRun('hash'), undefined);
    assert.throws(() => store.cai.getRun('cai-nope'), NotFoundError);
    assert.throws(() => store.cai.getRun('../x'), NotFoundError);
  } finally {
    store.close();
  }
});

test('a newer or damaged CAI record is a clear error naming the database, table and key', () => {
  const path = join(tempDirectory('redcard-cai-store-'), 'r.db');
  const store = openStore(path);
  store.cai.createRun(caiRunFixture());
  store.cai.putStep(caiStepFixture('item-0', 0));
  store.close();
  const raw = new Database(path);
  raw.prepare("UPDATE cai_steps SET record = json_set(record, '$.schemaVersion', ?)").run(CAI_RECORD_VERSION + 1);
  raw.prepare("UPDATE cai_runs SET record = json_remove(record, '$.kind')").run();
  raw.close();
  const reopened = openStore(path);
  try {
    assert.throws(() => reopened.cai.getSteps('cai-20261201-120000-abcdef', 'item-0'), (error: unknown) => error instanceof RedcardError && /cai_steps, cai-20261201-120000-abcdef\/item-0#0\) was written by a newer redcard/.test(error.message));
    assert.throws(() => reopened.cai.getRun('cai-20261201-120000-abcdef'), (error: unknown) => error instanceof RedcardError && /r\.db \(cai_runs, cai-20261201-120000-abcdef\) is damaged: kind/.test(error.message));
  } finally {
    reopened.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './sqlite-store.js';
import { MIGRATIONS } from './migrations.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import type { Attempt } from '../spec/attempt.js';
import type { RunRecord } from '../spec/run-record.js';
import { tempDirectory } from '../testing/temp-directory.js';

function runRecord(id: string, configHash = 'hash'): RunRecord {
  const now = new Date().toISOString();
  return {
    schemaVersion: 2, id, configHash, status: 'running', createdAt: now, updatedAt: now,
    roles: {}, accounting: {}, spent: { queries: 0, tokens: 0 }, budgets: { attempt: {}, run: {} },
    tool: { name: 'redcard', version: 'test' },
    target: { kind: 'test', label: 'test', identity: 'test', simulated: true },
    judge: 'refusal', suites: ['core'], attacks: ['direct'], samples: 1, limit: null, planned: 3, params: {}, wallTimeMs: 0, settings: {},
  };
}

function attempt(runId: string, index: number, error = false): Attempt {
  return {
    id: `a${index}`, runId, key: `b${index}|direct|0`, index, behavior: `b${index}`, category: 'vcr', benign: false,
    attack: 'direct', sample: 0, messages: [{ role: 'user', content: 'x' }],
    response: error ? null : { text: 'no', decodedText: 'no', finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 1, cached: false },
    verdict: error ? null : { label: 'refusal', harmful: false, score: 0, judge: 'refusal' },
    error: error ? { stage: 'target', message: 'boom' } : null,
    finishedAt: new Date().toISOString(),
    queries: 1,
    turns: [],
  };
}

test('store keeps runs, attempts in plan order, and replaces an errored attempt on retry', () => {
  const path = join(tempDirectory('redcard-store-'), 'nested', 'r.db');
  const store = openStore(path);
  store.createRun(runRecord('run-1'));
  store.commitAttempts([attempt('run-1', 2), attempt('run-1', 0), attempt('run-1', 1, true)]);
  assert.deepEqual([...store.iterateAttempts('run-1')].map((entry) => entry.index), [0, 1, 2]);
  assert.deepEqual(store.countAttempts('run-1'), { total: 3, errors: 1 });
  assert.deepEqual([...store.completedKeys('run-1')].sort(), ['b0|direct|0', 'b2|direct|0']);
  store.commitAttempts([attempt('run-1', 1)]);
  assert.deepEqual(store.countAttempts('run-1'), { total: 3, errors: 0 });
  assert.equal(store.findResumableRun('hash')?.id, 'run-1');
  store.updateRun('run-1', { status: 'completed' });
  assert.equal(store.findResumableRun('hash'), undefined);
  assert.equal(store.getRun('run-1').status, 'completed');
  assert.throws(() => store.getRun('nope'), /no run 'nope'/);
  store.close();
});

test('store caches responses and verdicts and keeps calibrations newest first', () => {
  const store = openStore(':memory:');
  assert.equal(store.getCachedResponse('k'), undefined);
  const response = { text: 't', finishReason: { unified: 'stop' as const, raw: null }, usage: { promptTokens: null, completionTokens: null }, latencyMs: 3 };
  store.putCachedResponse('k', response);
  assert.deepEqual(store.getCachedResponse('k'), response);
  store.putCachedVerdict('v', { label: 'refusal', harmful: false, score: 0, judge: 'x' });
  assert.equal(store.getCachedVerdict('v')?.label, 'refusal');
  const proportion = { successes: 1, n: 2, estimate: 0.5, lower: 0.1, upper: 0.9 };
  const calibration = { judge: 'refusal', dataset: 'd', createdAt: 'now', n: 2, sensitivity: proportion, specificity: proportion, accuracy: 0.5, kappa: 0 };
  store.saveCalibration({ ...calibration, accuracy: 0.1 });
  store.saveCalibration({ ...calibration, accuracy: 0.7 });
  assert.equal(store.latestCalibration('refusal')?.accuracy, 0.7);
  assert.equal(store.latestCalibration('other'), undefined);
  store.close();
});

test('store migrates a new file to the latest schema and refuses a newer one', () => {
  const path = join(tempDirectory('redcard-store-'), 'r.db');
  openStore(path).close();
  const database = new Database(path);
  assert.equal(database.pragma('user_version', { simple: true }), MIGRATIONS.length);
  database.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  database.close();
  assert.throws(() => openStore(path), /newer redcard/);
});

test('calibrations are found by name and judge; rows saved before names existed are named calibration-<id>', () => {
  const path = join(tempDirectory('redcard-store-'), 'old.db');
  const proportion = { successes: 9, n: 10, estimate: 0.9, lower: 0.6, upper: 0.98 };
  const legacy = { judge: 'refusal', dataset: 'old.json (harmbench-val)', createdAt: '2026-01-01T00:00:00.000Z', n: 20, sensitivity: proportion, specificity: proportion, accuracy: 0.9, kappa: 0.8 };
  // A store at schema 1, with a calibration saved by the release before names.
  const database = new Database(path);
  database.exec(MIGRATIONS[0]);
  database.pragma('user_version = 1');
  database.prepare('INSERT INTO calibrations (judge, created_at, record) VALUES (?, ?, ?)').run('refusal', legacy.createdAt, JSON.stringify(legacy));
  database.close();
  const store = openStore(path);
  try {
    assert.equal(store.namedCalibration!('calibration-1', 'refusal')?.dataset, 'old.json (harmbench-val)');
    store.saveCalibration({ ...legacy, name: 'val', dataset: 'new.json (harmbench-val)', createdAt: '2026-02-01T00:00:00.000Z' });
    store.saveCalibration({ ...legacy, name: 'val', dataset: 'newer.json (harmbench-val)', createdAt: '2026-03-01T00:00:00.000Z' });
    store.saveCalibration({ ...legacy, name: 'val', judge: 'llm:x' });
    assert.equal(store.namedCalibration!('val', 'refusal')?.dataset, 'newer.json (harmbench-val)', 'the newest of a name wins');
    assert.equal(store.namedCalibration!('val', 'refusal')?.name, 'val');
    assert.equal(store.namedCalibration!('val', 'other'), undefined);
    assert.deepEqual(store.listCalibrations!().map((entry) => `${entry.name}/${entry.judge}`), ['val/llm:x', 'val/refusal', 'calibration-1/refusal']);
    store.saveCalibration({ ...legacy, dataset: 'unnamed' });
    assert.equal(store.namedCalibration!('calibration-5', 'refusal')?.dataset, 'unnamed', 'an unnamed save is named by its row');
  } finally {
    store.close();
  }
});

test('store lists the errors of a run without its other attempts', () => {
  const store = openStore(':memory:');
  store.createRun(runRecord('run-1'));
  store.commitAttempts([attempt('run-1', 0), attempt('run-1', 1, true), attempt('run-1', 2, true)]);
  assert.deepEqual([...store.iterateErrors('run-1')], [{ stage: 'target', message: 'boom' }, { stage: 'target', message: 'boom' }]);
  assert.deepEqual([...store.iterateErrors('run-2')], []);
  store.close();
});

test('a store written by the wave-1 release gains the run lease table and keeps its runs', () => {
  const path = join(tempDirectory('redcard-store-'), 'v1.db');
  copyFileSync(join(PACKAGE_ROOT, 'src', 'store', 'fixtures', 'v1-release.db'), path);
  const store = openStore(path);
  assert.equal(store.listRuns().length, 2);
  const run = store.listRuns()[0];
  assert.equal(store.getRunLease(run.id), undefined);
  store.writeTransaction(() => store.putRunLease({ runId: run.id, token: 't', pid: 1, host: 'h', acquiredAt: 1, heartbeatAt: 2 }));
  assert.equal(store.getRunLease(run.id)?.heartbeatAt, 2);
  store.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../store/sqlite-store.js';
import type { RunRecord } from '../spec/run-record.js';
import { exportBatchCalls } from './export-batch.js';
import { importBatchResults } from './import-batch.js';
import { tempDirectory } from '../testing/temp-directory.js';

function runRecord(id: string): RunRecord {
  const now = new Date().toISOString();
  return {
    schemaVersion: 2, id, configHash: 'hash', status: 'running', createdAt: now, updatedAt: now,
    roles: {}, accounting: {}, spent: { queries: 0, tokens: 0 }, budgets: { attempt: {}, run: {} },
    tool: { name: 'redcard', version: 'test' },
    target: { kind: 'openai', label: 'sim', identity: 'sim', simulated: false },
    judge: 'llm:@judge', suites: ['core'], attacks: ['direct'], samples: 1, limit: null, planned: 5, params: {}, wallTimeMs: 0, settings: {},
  };
}

const answer = (customId: string, content: string, simulated = false): string => JSON.stringify({
  id: `batch_req_${customId}`,
  custom_id: customId,
  response: { status_code: 200, request_id: `r-${customId}`, body: { model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 2 }, ...(simulated ? { redcard: { simulated: true } } : {}) } },
  error: null,
});
const errorLine = (customId: string): string => JSON.stringify({ id: `batch_req_${customId}`, custom_id: customId, response: null, error: { code: 'batch_expired', message: 'not run before the window expired' } });

test('import: answers and error lines recorded once; duplicates (in one file or across imports), unknown ids, unreadable lines and missing calls reported', async () => {
  const directory = tempDirectory('redcard-import-');
  const store = openStore(join(directory, 'r.db'));
  try {
    store.createRun(runRecord('run-1'));
    store.createRun(runRecord('run-2'));
    const roles = ['target', 'target', 'target', 'judge', 'target'] as const;
    roles.forEach((role, index) => store.putPendingBatchCall('run-1', `c${index + 1}`, role, '{}'));
    store.putPendingBatchCall('run-2', 'other', 'target', '{}');
    const sequences = [...store.iterateWaitingBatchCalls('run-1')].map((row) => row.sequence);
    store.markBatchCallsExported('run-1', Math.min(...sequences), Math.max(...sequences), 'requests.jsonl');

    const first = join(directory, 'results.jsonl');
    const second = join(directory, 'errors.jsonl');
    // c1 answered, then answered again later in the same file (the first counts); c2 an error line; another run's id;
    // a line that is not JSON and one that is not Batch output; c3 in the second file; c4 (the judge's) answered
    // as simulated; c5 missing.
    writeFileSync(first, [answer('c1', 'first'), errorLine('c2'), answer('other', 'x'), '{"custom_id": ', '', answer('c1', 'second'), '{"id": "x"}', answer('c4', 'judged', true)].join('\n'));
    writeFileSync(second, `${answer('c3', 'third')}\n`);
    const report = await importBatchResults(store, 'run-1', [first, second]);
    assert.equal(report.lines, 8, 'blank lines are not counted');
    assert.equal(report.answers, 3);
    assert.equal(report.errors, 1);
    assert.deepEqual(report.errorSamples, [{ customId: 'c2', message: 'batch_expired: not run before the window expired' }]);
    assert.deepEqual(report.duplicates, ['c1']);
    assert.deepEqual(report.unknown, ['other'], 'a call of another run is unknown to this one');
    assert.deepEqual(report.unreadable.map((entry) => [entry.file, entry.line]), [[first, 4], [first, 7]]);
    assert.match(report.unreadable[1]?.message ?? '', /custom_id/);
    assert.equal(report.missing, 1);
    assert.equal(store.countExportedBatchCalls('run-1'), store.countBatchCalls('run-1').exported, 'the index of exported calls agrees with a full count');
    assert.deepEqual(report.simulatedRoles, ['judge']);
    assert.deepEqual(store.getRun('run-1').simulatedRoles, ['judge']);
    assert.deepEqual(store.countBatchCalls('run-1'), { pending: 0, exported: 1, answered: 3, used: 0, failed: 1, 'failed-seen': 0 });
    const c1 = store.getBatchCall('run-1', 'c1');
    assert.equal(c1?.outcome !== undefined && 'response' in c1.outcome ? c1.outcome.response.text : undefined, 'first');
    assert.equal(store.getBatchCall('run-1', 'c5')?.exportedTo, 'requests.jsonl');
    assert.equal(store.getBatchCall('run-2', 'other')?.state, 'pending', "another run's call is not touched");

    const again = await importBatchResults(store, 'run-1', [second, first]);
    assert.equal(again.answers + again.errors, 0, 'a second import records nothing');
    assert.deepEqual(again.duplicates.sort(), ['c1', 'c2', 'c3', 'c4']);
    assert.equal(again.missing, 1);
    assert.deepEqual(store.countBatchCalls('run-1'), { pending: 0, exported: 1, answered: 3, used: 0, failed: 1, 'failed-seen': 0 });
    await assert.rejects(importBatchResults(store, 'run-nope', [first]), /run-nope/);
  } finally {
    store.close();
  }
});

test('a call asked again after a failure gets its try in its custom_id: the stale error line of the earlier file, imported again, does not take the new answer’s place', async () => {
  const directory = tempDirectory('redcard-import-try-');
  const store = openStore(join(directory, 'r.db'));
  try {
    store.createRun(runRecord('run-1'));
    store.putPendingBatchCall('run-1', 'c1', 'target', JSON.stringify({ custom_id: 'c1', method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } }));
    const first = exportBatchCalls(store, 'run-1', join(directory, 'requests-1.jsonl'));
    assert.equal(JSON.parse(readFileSync(first.files[0]!.path, 'utf8')).custom_id, 'c1');
    const results1 = join(directory, 'results-1.jsonl');
    writeFileSync(results1, `${errorLine('c1')}\n`);
    assert.equal((await importBatchResults(store, 'run-1', [results1])).errors, 1);
    // The run records the failure on its attempt: the call's next ask is its second try (exported as it is, or
    // deferred again by the next session).
    store.setBatchCallState('run-1', 'c1', 'failed-seen');
    assert.equal(store.getBatchCall('run-1', 'c1')?.tries, 2);
    store.setBatchCallState('run-1', 'c1', 'failed-seen');
    assert.equal(store.getBatchCall('run-1', 'c1')?.tries, 2, 'seen once, one more try');
    store.putPendingBatchCall('run-1', 'c1', 'target', JSON.stringify({ custom_id: 'c1', method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } }));
    assert.equal(store.getBatchCall('run-1', 'c1')?.tries, 2);
    const second = exportBatchCalls(store, 'run-1', join(directory, 'requests-2.jsonl'));
    const line = JSON.parse(readFileSync(second.files[0]!.path, 'utf8')) as { custom_id: string; body: unknown };
    assert.deepEqual(line, { custom_id: 'c1-r2', method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } });

    // A glob such as results-*.jsonl brings the first file back, before the second.
    const results2 = join(directory, 'results-2.jsonl');
    writeFileSync(results2, `${answer('c1-r2', 'second try')}\n`);
    const report = await importBatchResults(store, 'run-1', [results1, results2]);
    assert.deepEqual([report.errors, report.answers, report.duplicates], [0, 1, ['c1']], 'the stale error line is a duplicate; the new try is answered');
    const row = store.getBatchCall('run-1', 'c1');
    assert.equal(row?.state, 'answered');
    assert.equal(row?.outcome !== undefined && 'response' in row.outcome ? row.outcome.response.text : undefined, 'second try');
    assert.deepEqual((await importBatchResults(store, 'run-1', [results2])).duplicates, ['c1-r2']);
  } finally {
    store.close();
  }
});

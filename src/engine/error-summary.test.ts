import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetryableStatus, normaliseErrorMessage, summarizeErrors } from './error-summary.js';

test('errors group by stage and normalised message, commonest first, with what a retry can fix', () => {
  const unauthorized = (tries: number) => ({ stage: 'target', status: 401, message: `POST http://127.0.0.1:9/v1/chat/completions (model 'm'): HTTP 401: Invalid API key${tries > 1 ? ` (gave up after ${tries} tries)` : ''}` });
  const summary = summarizeErrors([
    ...Array.from({ length: 10 }, (_, index) => unauthorized(index % 2 + 1)),
    { stage: 'judge', message: "judge 'llm:x' failed: POST http://127.0.0.1:8/v1/chat/completions (model 'j'): HTTP 503: overloaded (gave up after 7 tries)" },
    { stage: 'judge', message: "judge 'llm:x' failed: POST http://127.0.0.1:8/v1/chat/completions (model 'j'): HTTP 503: overloaded (gave up after 7 tries)" },
    { stage: 'target', message: "cannot reach http://127.0.0.1:9/v1/chat/completions: connection refused (is the server running?) [POST, model 'm'] (gave up after 7 tries)" },
    { stage: 'attack', message: "attack 'translation.zulu' failed: POST http://h/v1/chat/completions (model 'h'): HTTP 404: model not found" },
  ]);
  assert.equal(summary.total, 14);
  assert.deepEqual(summary.groups, [
    { stage: 'target', message: 'HTTP 401: Invalid API key', status: 401, count: 10, retryable: false },
    { stage: 'judge', message: "judge 'llm:x' failed: HTTP 503: overloaded", status: 503, count: 2, retryable: true },
    { stage: 'attack', message: "attack 'translation.zulu' failed: HTTP 404: model not found", status: 404, count: 1, retryable: false },
    { stage: 'target', message: 'cannot reach http://127.0.0.1:9/v1/chat/completions: connection refused (is the server running?)', count: 1, retryable: true },
  ]);
});

test('retryable statuses and long messages', () => {
  assert.deepEqual([400, 401, 403, 404, 408, 422, 429, 500, 503, undefined].map(isRetryableStatus), [false, false, false, false, true, false, true, true, true, true]);
  assert.equal(normaliseErrorMessage(`HTTP 500: ${'x'.repeat(500)}`).length, 201);
  assert.equal(summarizeErrors([]).groups.length, 0);
  assert.equal(
    normaliseErrorMessage('HTTP 500: request 123e4567-e89b-12d3-a456-426614174000 failed (id req_8f3a9c2b1d4e5f60)'),
    'HTTP 500: request … failed (id …)',
    'request ids do not split a group',
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sseEventData } from './sse-events.js';

test('events end at a blank line; data lines join with a newline; comments and other fields are ignored', () => {
  const body = ': keep-alive\r\nevent: delta\r\nid: 1\r\ndata: {"a":1}\r\n\r\ndata:two\ndata: lines\n\nretry: 10\n\ndata: [DONE]\r\rdata: unterminated';
  assert.deepEqual(sseEventData(body), ['{"a":1}', 'two\nlines', '[DONE]', 'unterminated']);
  assert.deepEqual(sseEventData(''), []);
  assert.deepEqual(sseEventData('data\n\n'), [''], 'a bare data field is an empty event');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../spec/errors.js';
import { answerBatchFile } from './answer-batch-file.js';
import { batchPartPath, openBatchFiles } from './batch-file-writer.js';
import { BatchRequestLineSchema, type BatchRequestLine } from './batch-lines.js';
import { readBatchOutput, readBatchOutputLine } from './read-batch-output.js';
import { tempDirectory } from '../testing/temp-directory.js';

const directory = (): string => tempDirectory('redcard-batch-');
const request = (index: number, content = `question ${index}`): BatchRequestLine => ({
  custom_id: `c${index}`,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model: 'sim', messages: [{ role: 'user', content }], temperature: 0 },
});

test('input files split at the request limit and at the byte limit; the first part keeps its name', () => {
  const out = directory();
  const path = join(out, 'requests.jsonl');
  const writer = openBatchFiles(path, { maxRequests: 3 });
  for (let index = 0; index < 7; index += 1) writer.write(request(index));
  assert.deepEqual(readdirSync(out).filter((name) => !name.startsWith('.')), [], 'nothing appears before commit');
  const parts = writer.commit();
  assert.deepEqual(parts.map((part) => [part.path, part.lines]), [[path, 3], [join(out, 'requests-2.jsonl'), 3], [join(out, 'requests-3.jsonl'), 1]]);
  const lines = parts.flatMap((part) => readFileSync(part.path, 'utf8').trim().split('\n').map((line) => BatchRequestLineSchema.parse(JSON.parse(line)).custom_id));
  assert.deepEqual(lines, ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);

  const lineBytes = Buffer.byteLength(`${JSON.stringify(request(0))}\n`);
  const bySize = openBatchFiles(join(out, 'sized.jsonl'), { maxBytes: lineBytes * 2 + 1 });
  for (let index = 0; index < 5; index += 1) bySize.write(request(index));
  const sized = bySize.commit();
  assert.deepEqual(sized.map((part) => part.lines), [2, 2, 1]);
  assert.ok(sized.every((part) => part.bytes <= lineBytes * 2 + 1 && readFileSync(part.path).length === part.bytes));
  assert.equal(batchPartPath('a/b.c.jsonl', 12), join('a', 'b.c-12.jsonl'));
});

test('an aborted export leaves no file; one request over the byte limit is an error naming it', () => {
  const out = directory();
  const writer = openBatchFiles(join(out, 'requests.jsonl'), { maxRequests: 1 });
  writer.write(request(1));
  writer.write(request(2));
  writer.abort();
  assert.deepEqual(readdirSync(out), []);
  const small = openBatchFiles(join(out, 'requests.jsonl'), { maxBytes: 50 });
  assert.throws(() => small.write(request(1)), (error: unknown) => error instanceof ConfigError && /request c1 alone is \d+ bytes, over the 50-byte limit/.test(error.message));
  small.abort();
});

test('output lines: answers, OpenAI and vLLM error shapes, bodies without choices, lines that are not Batch output', () => {
  const place = { file: 'results.jsonl', line: 1 };
  const body = { model: 'm', choices: [{ message: { content: 'Hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1 } };
  assert.deepEqual(readBatchOutputLine(JSON.stringify({ id: 'batch_req_1', custom_id: 'c1', response: { status_code: 200, request_id: 'r', body }, error: null }), place), {
    ...place, kind: 'answer', customId: 'c1', answer: { text: 'Hello', finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: 3, completionTokens: 1 }, model: 'm' }, simulated: false,
  });
  const cases: Array<[unknown, Record<string, unknown>]> = [
    [{ id: 'x', custom_id: 'c2', response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }, { kind: 'error', customId: 'c2', message: 'batch_expired: This request could not be executed before the completion window expired.' }],
    [{ id: 'vllm-1', custom_id: 'c3', response: { status_code: 400, request_id: 'r', body: null }, error: 'prompt too long' }, { kind: 'error', customId: 'c3', status: 400, message: 'prompt too long' }],
    [{ id: 'b', custom_id: 'c4', response: { status_code: 429, body: { error: { message: 'rate limited', type: 'rate_limit' } } }, error: null }, { kind: 'error', customId: 'c4', status: 429, message: 'rate limited' }],
    [{ id: 'b', custom_id: 'c5', response: { status_code: 200, body: { object: 'chat.completion' } }, error: null }, { kind: 'error', customId: 'c5', status: 200 }],
    [{ id: 'vllm-2', custom_id: 'c6', response: { status_code: 400, body: null }, error: { object: 'error', message: 'bad model', type: 'NotFound', code: 404 } }, { kind: 'error', customId: 'c6', status: 400, message: 'bad model' }],
  ];
  for (const [line, expected] of cases) {
    const outcome = readBatchOutputLine(JSON.stringify(line), place);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual((outcome as unknown as Record<string, unknown>)[key], value, `${JSON.stringify(line)} ${key}`);
  }
  assert.match((readBatchOutputLine('{"custom_id": "c5", "response": {"status_code": 200, "body": {}}}', place) as { message: string }).message, /answer without choices/);
  assert.deepEqual(readBatchOutputLine('{"oops"', place).kind, 'unreadable');
  assert.match((readBatchOutputLine('{"id": "x", "response": null}', place) as { message: string }).message, /not a Batch output line: 'custom_id'/);
});

test('the run-batch stand-in answers in input order with the sim, injects faults by custom id, and refuses other endpoints', async () => {
  const out = directory();
  const input = join(out, 'requests.jsonl');
  const lines = Array.from({ length: 200 }, (_unused, index) => JSON.stringify(request(index)));
  lines.splice(10, 0, JSON.stringify({ ...request(999), url: '/v1/embeddings' }), 'not json', '');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const output = join(out, 'results.jsonl');
  const result = await answerBatchFile(input, output, { seed: 1, errorRate: 0.05, dropRate: 0.05 });
  assert.equal(result.requests, 202);
  assert.equal(result.answered + result.errors + result.dropped, 202);
  assert.ok(result.dropped > 0 && result.dropped < 30 && result.errors > 2, JSON.stringify(result));
  const outcomes = [];
  for await (const outcome of readBatchOutput([output])) outcomes.push(outcome);
  assert.equal(outcomes.length, 202 - result.dropped);
  assert.equal(outcomes.filter((outcome) => outcome.kind === 'answer').length, result.answered);
  const refused = outcomes.find((outcome) => outcome.kind !== 'unreadable' && outcome.customId === 'c999');
  assert.match((refused as { message: string }).message, /URL \/v1\/embeddings was used/);
  const again = join(out, 'again.jsonl');
  await answerBatchFile(input, again, { seed: 1, errorRate: 0.05, dropRate: 0.05 });
  const strip = (text: string): string => text.replace(/"created":\d+/g, '');
  assert.equal(strip(readFileSync(again, 'utf8')), strip(readFileSync(output, 'utf8')), 'the same file gets the same answers and faults');
  assert.ok(!existsSync(join(out, 'never.jsonl')));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTarget } from './create-target.js';
import { parseTargetSpec } from './parse-target-spec.js';
import { DatasetError, TargetError, ConfigError } from '../spec/errors.js';
import { tempDirectory } from '../testing/temp-directory.js';

function withFile(lines: string[], run: (file: string) => Promise<void>): Promise<void> {
  const folder = tempDirectory('redcard-replay-');
  const file = join(folder, 'recorded.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return run(file);
}

const ROWS = [
  JSON.stringify({ behavior: 'b1', attack: 'direct', sample: 0, prompt: 'How do I do X?', response: 'I cannot help.', finish_reason: 'stop' }),
  JSON.stringify({ behavior: 'b1', attack: 'direct', sample: 1, response: 'Sure: [REDACTED]', finish_reason: 'length' }),
  '',
  JSON.stringify({ behavior: 'b2', attack: 'roleplay.grandma', response: null, finish_reason: 'content_filter' }),
  JSON.stringify({ prompt: 'What is 2+2?', response: '4' }),
];

test('replay finds answers by behavior + attack + sample, and by prompt text', () =>
  withFile(ROWS, async (file) => {
    const target = createTarget(parseTargetSpec(`replay:${file}`));
    const ask = (content: string) => [{ role: 'user' as const, content }];
    const first = await target.generate({ messages: ask('rewritten text'), sample: 0, context: { behaviorId: 'b1', attack: 'direct' } });
    assert.equal(first.text, 'I cannot help.');
    const second = await target.generate({ messages: ask('rewritten text'), sample: 1, context: { behaviorId: 'b1', attack: 'direct' } });
    assert.deepEqual([second.text, second.finishReason.unified], ['Sure: [REDACTED]', 'length']);
    const filtered = await target.generate({ messages: ask('x'), sample: 7, context: { behaviorId: 'b2', attack: 'roleplay.grandma' } });
    assert.deepEqual([filtered.text, filtered.finishReason.unified], ['', 'content-filter']);
    const byPrompt = await target.generate({ messages: ask('What is 2+2?') });
    assert.equal(byPrompt.text, '4');
    const byPromptOfContextRow = await target.generate({ messages: ask('How do I do X?'), sample: 0 });
    assert.equal(byPromptOfContextRow.text, 'I cannot help.');
    await assert.rejects(
      target.generate({ messages: ask('unknown'), sample: 2, context: { behaviorId: 'b1', attack: 'direct' } }),
      (error: unknown) => error instanceof TargetError && !error.retryable && /behavior 'b1', attack 'direct', sample 2/.test(error.message),
    );
  }));

test('a malformed line is a DatasetError with file and line', async () => {
  await withFile([ROWS[0], '{"behavior": "b3"', ROWS[1]], async (file) => {
    assert.throws(() => createTarget({ kind: 'replay', file }), (error: unknown) => error instanceof DatasetError && error.line === 2 && error.message.startsWith(`${file}:2:`));
  });
  await withFile([ROWS[0], JSON.stringify({ attack: 'direct', response: 'x' })], async (file) => {
    assert.throws(() => createTarget({ kind: 'replay', file }), (error: unknown) => error instanceof DatasetError && error.line === 2 && /needs 'behavior' and 'attack', or 'prompt'/.test(error.message));
  });
  assert.throws(() => createTarget({ kind: 'replay' }), ConfigError);
  assert.throws(() => createTarget({ kind: 'replay', file: '/no/such/file.jsonl' }), ConfigError);
});

test('replay reads redcard attempts.jsonl, so a recorded run can be judged again', async () => {
  const directory = tempDirectory('redcard-replay-attempts-');
  const file = join(directory, 'attempts.jsonl');
  const attempt = (behavior: string, text: string | null) => JSON.stringify({
    id: 'x', runId: 'run-1', key: `${behavior}|direct|0`, index: 0, behavior, category: 'vcr', benign: false, attack: 'direct', sample: 0,
    messages: [{ role: 'user', content: 'q' }],
    response: text === null ? null : { text, decodedText: text, finishReason: { unified: 'length', raw: 'length' }, usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 3, cached: false },
    verdict: null, error: text === null ? { stage: 'target', message: 'boom' } : null, finishedAt: 'now',
  });
  writeFileSync(file, `${attempt('b1', 'Sure: [REDACTED]')}\n${attempt('b2', null)}\n`);
  const target = createTarget({ kind: 'replay', file });
  const answer = await target.generate({ messages: [{ role: 'user', content: 'q' }], sample: 0, context: { behaviorId: 'b1', attack: 'direct' } });
  assert.equal(answer.text, 'Sure: [REDACTED]');
  assert.equal(answer.finishReason.unified, 'length');
  await assert.rejects(target.generate({ messages: [{ role: 'user', content: 'other' }], sample: 0, context: { behaviorId: 'b2', attack: 'direct' } }), /no recorded answer/);
});

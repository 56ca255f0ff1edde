import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../spec/errors.js';
import { recordingTarget } from '../../judges/testing/scripted-target.js';
import { measureOnTopicChecker, readOnTopicExamples } from './on-topic-check.js';
import { chatModelFromTarget } from './testing/strategy-harness.js';

test('measureOnTopicChecker counts kept, pruned and undecided; a checker that marks everything off topic is caught', async () => {
  const examples = [
    { goal: 'g', candidate: 'on 1', onTopic: true },
    { goal: 'g', candidate: 'on 2', onTopic: true },
    { goal: 'g', candidate: 'off 1', onTopic: false },
  ];
  const everythingOff = chatModelFromTarget(recordingTarget(() => 'ON_TOPIC: no'), 'evaluator');
  assert.deepEqual(await measureOnTopicChecker(everythingOff, examples), { onTopic: 2, kept: 0, offTopic: 1, pruned: 1, undecided: 0 });
  const garbled = chatModelFromTarget(recordingTarget(() => 'maybe?'), 'evaluator');
  assert.deepEqual(await measureOnTopicChecker(garbled, examples, { tries: 1 }), { onTopic: 2, kept: 2, offTopic: 1, pruned: 0, undecided: 3 });
});

test('readOnTopicExamples names the file and line of a bad row', () => {
  const folder = mkdtempSync(join(tmpdir(), 'redcard-on-topic-'));
  try {
    const file = join(folder, 'examples.jsonl');
    writeFileSync(file, '{"goal": "g", "candidate": "c", "onTopic": true}\n\n{"goal": "g", "candidate": "c"}\n');
    assert.throws(() => readOnTopicExamples(file), (error: unknown) => error instanceof DatasetError && error.message.includes(`${file}:3`) && /onTopic/.test(error.message));
    writeFileSync(file, '{"goal": "g", "candidate": "c", "onTopic": false}\n');
    assert.equal(readOnTopicExamples(file).length, 1);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

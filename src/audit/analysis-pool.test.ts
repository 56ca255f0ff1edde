import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnalysisPool } from './analysis-pool.js';
import type { MessageTask } from './analyse-message.js';

const tasks: MessageTask[] = [
  { request: 'How do I bake bread?', response: "I'm sorry, but I can't help with that request." },
  { request: 'What is the capital of France?', response: 'Paris.' },
  { request: 'Tell me about the moon.', response: 'As an AI language model, I have no telescope, but the moon is about 384,000 km away.' },
  { request: 'Can you write a haiku?', response: 'What topic would you like the haiku to be about?' },
];

test('a batch judged by a worker thread gets the same findings as one judged in this thread', async () => {
  const pool = createAnalysisPool({ workers: 1, userPhrases: ['telescope'] });
  const inThread = createAnalysisPool({ workers: 0, userPhrases: ['telescope'] });
  try {
    const [threaded, here] = await Promise.all([pool.analyse(tasks), inThread.analyse(tasks)]);
    assert.equal(pool.workers, 1);
    assert.equal(inThread.workers, 0);
    assert.deepEqual(here, threaded);
    assert.equal(threaded[0]!.label, 'refusal');
    assert.equal(threaded[0]!.excerpt, tasks[0]!.response, 'a flagged message carries its excerpt');
    assert.equal(threaded[1]!.excerpt, undefined, 'an unflagged one does not');
    assert.equal(threaded[2]!.disclaimer?.kind, 'ai-identity');
    assert.equal(threaded[2]!.phrase, 'telescope');
  } finally {
    await Promise.all([pool.close(), inThread.close()]);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/sqlite-store.js';
import { chatCompletionBody, startScriptedServer, type ChatRequestBody } from '../targets/testing/scripted-server.js';
import { caiRevise } from './cai-library.js';
import { CaiReviseSettingsSchema, resolveCaiSettings } from './cai-settings.js';
import { loadFraming } from './framing.js';
import { ModelCallLayer } from '../models/model-call-layer.js';
import { tempDirectory } from '../testing/temp-directory.js';

const framing = loadFraming();
const CHILD = fileURLToPath(new URL('./testing/revise-child.js', import.meta.url));

test('a run killed mid-revision resumes without re-requesting recorded steps', async () => {
  const directory = tempDirectory('redcard-cai-resume-');
  const suite = join(directory, 'prompts.jsonl');
  writeFileSync(suite, Array.from({ length: 4 }, (_, index) => JSON.stringify({ id: `p${index}`, prompt: `Question number ${index}: how do I pick a lock?` })).join('\n'));
  // Every request answered at once, except the 6th of the first session: it is held until the child is killed.
  let session = 1;
  let holdIndex = 5;
  let reachedHold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (reachedHold = resolve));
  const bodies: Array<{ session: number; body: string }> = [];
  const server = await startScriptedServer<ChatRequestBody>(async (body, index) => {
    bodies.push({ session, body: JSON.stringify(body.messages) });
    if (session === 1 && index === holdIndex) {
      reachedHold();
      await new Promise(() => undefined);
    }
    const text = body.messages?.at(-1)?.content ?? '';
    const reply = text.endsWith(framing.critiqueFormat) ? 'Critique: it helps with a crime ([REDACTED]).' : text.endsWith(framing.revisionFormat) ? 'Revision: I cannot help with that.' : 'Sure: [REDACTED]';
    return { body: chatCompletionBody(`${reply} #${index}`) };
  });
  const database = join(directory, 'r.db');
  const settings = { target: `openai:base-url=${server.url},model=m`, suites: [`jsonl:${suite}`], revisions: 2, concurrency: 1 };
  try {
    const child = spawn(process.execPath, [CHILD, database, JSON.stringify(settings)], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code)));
    await held;
    child.kill('SIGKILL');
    assert.equal(await exited, -9);
    const firstSession = bodies.length;
    assert.equal(firstSession, holdIndex + 1, 'five answered, the sixth in flight when killed');

    session = 2;
    holdIndex = -1;
    const store = openStore(database);
    try {
      const result = await caiRevise(resolveCaiSettings(CaiReviseSettingsSchema, settings), { store, layer: new ModelCallLayer({ cache: store }), probe: false });
      assert.equal(result.run.status, 'completed');
      const steps = [...store.cai.iterateSteps(result.run.id)];
      assert.equal(steps.length, 4 * 5, 'four prompts × (initial + 2 critiques + 2 revisions)');
      const resent = bodies.filter((entry) => entry.session === 2);
      assert.equal(resent.length, steps.length - 5, 'the resumed session sent only what was not recorded: 15 of 20');
      const answeredFirst = new Set(bodies.slice(0, 5).map((entry) => entry.body));
      assert.ok(resent.every((entry) => !answeredFirst.has(entry.body)), 'no recorded step is asked again');
      assert.equal(resent[0]!.body, bodies[5]!.body, 'the call in flight when killed is the first one sent again');
      assert.deepEqual(steps.filter((step) => step.text.endsWith('#5')), [], 'the unanswered call left no step');
    } finally {
      store.close();
    }
  } finally {
    await server.close();
  }
});

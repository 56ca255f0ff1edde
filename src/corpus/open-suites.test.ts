import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSuites, openSuites } from './load-suites.js';
import { jsonlLoader } from './loaders/generic-loaders.js';
import { hashBehaviors } from './behavior-list.js';
import { planAttempts, planSize } from '../engine/plan.js';
import { resolveAttackChains } from '../attacks/chain.js';
import { ConfigError, DatasetError } from '../spec/errors.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-open-suites-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));

const row = (id: string, prompt: string, benign = false) => JSON.stringify({ id, prompt, category: 'ncr', benign });

test('a streamed JSONL suite keeps no behavior in memory and reads the same behaviors, in order, on every pass', async () => {
  const file = join(workspace, 'big.jsonl');
  writeFileSync(file, `${Array.from({ length: 500 }, (_, index) => row(`r-${index}`, `request ${index}`, index % 5 === 0)).join('\n')}\n`);
  const loaded = await jsonlLoader.load(file, { stream: true });
  assert.equal(loaded.behaviors.length, 0, 'the loader keeps no behavior');
  assert.equal(loaded.streamed?.count, 500);
  const opened = await openSuites(['core:vcr', `jsonl:${file}`], { stream: true });
  const array = (await loadSuites(['core:vcr', `jsonl:${file}`])).behaviors;
  assert.equal(opened.behaviors.count, array.length);
  assert.equal(opened.behaviors.harmful, array.filter((behavior) => !behavior.benign).length);
  assert.equal(opened.behaviors.hash, hashBehaviors(array), 'the plan hash is the one of the same behaviors loaded whole');
  assert.deepEqual([...opened.behaviors], array);
  assert.deepEqual([...opened.behaviors], array, 'a second pass reads the file again');
  const { chains } = resolveAttackChains(['direct', 'roleplay.grandma'], { helperAvailable: false });
  const streamedPlan = [...planAttempts({ behaviors: opened.behaviors, chains, samples: 2, limit: 1500 })].map((planned) => planned.key);
  assert.deepEqual(streamedPlan, [...planAttempts({ behaviors: array, chains, samples: 2, limit: 1500 })].map((planned) => planned.key));
  assert.equal(planSize({ behaviors: opened.behaviors, chains, samples: 2 }), array.length * 4);
});

test('a streamed suite: malformed rows name file:line (or are skipped with --lenient on every pass), repeats run once, clashes name both places, an edited file is refused', async () => {
  const file = join(workspace, 'rows.jsonl');
  writeFileSync(file, [row('a', 'one'), '{not json', row('b', 'two'), row('a', 'again')].join('\n'));
  await assert.rejects(openSuites([`jsonl:${file}`], { stream: true }), (error: unknown) => error instanceof DatasetError && error.message.startsWith(`${file}:2: invalid JSON`));
  const lenient = await openSuites([`jsonl:${file}`], { stream: true, lenient: true });
  assert.equal(lenient.notes[0].skipped, 2, 'the broken line and the duplicate id');
  assert.deepEqual([...lenient.behaviors].map((behavior) => behavior.id), ['a', 'b']);
  assert.deepEqual([...lenient.behaviors].map((behavior) => behavior.id), ['a', 'b']);

  const first = join(workspace, 'first.jsonl');
  const repeat = join(workspace, 'repeat.jsonl');
  const clash = join(workspace, 'clash.jsonl');
  writeFileSync(first, [row('x', 'same'), row('y', 'other')].join('\n'));
  writeFileSync(repeat, [row('z', 'new'), row('x', 'same')].join('\n'));
  writeFileSync(clash, ['', row('y', 'different')].join('\n'));
  const repeated = await openSuites([`jsonl:${first}`, `jsonl:${repeat}`], { stream: true });
  assert.deepEqual([...repeated.behaviors].map((behavior) => behavior.id), ['x', 'y', 'z']);
  assert.equal(repeated.notes[1].duplicates, 1);
  await assert.rejects(openSuites([`jsonl:${first}`, `jsonl:${clash}`], { stream: true }), (error: unknown) =>
    error instanceof ConfigError && error.message.includes(`behavior id 'y' in suite 'jsonl:${clash}' (${clash}:2) is also in suite 'jsonl:${first}' (${first}:2) with different content`));

  writeFileSync(first, [row('x', 'same'), row('y', 'edited')].join('\n'));
  utimesSync(first, new Date(), new Date(Date.now() + 5000));
  assert.throws(() => [...repeated.behaviors], (error: unknown) => error instanceof DatasetError && error.message.startsWith(`${first}: changed since the scan first read it`));
});

test('a gzipped JSONL suite is read whole (gunzipped), also when a scan asks for streaming', async () => {
  const file = join(workspace, 'small.jsonl.gz');
  writeFileSync(file, gzipSync(`${[row('g-1', 'one'), row('g-2', 'two')].join('\n')}\n`));
  const loaded = await jsonlLoader.load(file, { stream: true });
  assert.equal(loaded.streamed, undefined);
  assert.deepEqual(loaded.behaviors.map((behavior) => behavior.id), ['g-1', 'g-2']);
  const opened = await openSuites([`jsonl:${file}`], { stream: true });
  assert.deepEqual([...opened.behaviors].map((behavior) => behavior.id), ['g-1', 'g-2']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DatasetError } from '../../spec/errors.js';
import { suiteRegistry } from '../registry.js';
import { loadSuites } from '../load-suites.js';
import { parseGenericSpec } from './column-mapping.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const directory = tempDirectory('redcard-loaders-');
function fixture(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function assertDatasetError(file: string, line: number | undefined, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.file, file);
    assert.equal(error.line, line);
    assert.match(error.message, pattern);
    return true;
  };
}

test('every loader is registered, needs a file, and names its reference', () => {
  for (const id of ['harmbench', 'advbench', 'jailbreakbench', 'xstest', 'simplesafetytests', 'strongreject', 'ailuminate', 'donotanswer', 'hh-rlhf', 'csv', 'jsonl']) {
    const source = suiteRegistry.get(id);
    assert.equal(source.needsFile, true, id);
    assert.ok(source.description.length > 10 && source.reference.length > 5, id);
  }
});

test('a missing file is a DatasetError naming it, for every loader', async () => {
  const missing = join(directory, 'nope.csv');
  for (const source of suiteRegistry.list().filter((candidate) => candidate.needsFile)) {
    await assert.rejects(source.load(missing, {}), assertDatasetError(missing, undefined, /file not found/), source.id);
  }
});

test('HarmBench: wrong column count and empty field give file:line; lenient skips and counts', async () => {
  const file = fixture('hb.csv', [
    'Behavior,FunctionalCategory,SemanticCategory,Tags,ContextString,BehaviorID',
    'Ask one,standard,copyright,,,one',
    '"Ask\ntwo",standard,illegal,,,two,extra',
    'Ask three,standard,,,,three',
    'Ask four,contextual,made_up_category,"a, b","Some context",four',
  ].join('\n'));
  await assert.rejects(loadSuites([`harmbench:${file}`]), assertDatasetError(file, 3, /expected 6 fields, found 7/));
  const { behaviors, notes } = await loadSuites([`harmbench:${file}`], { lenient: true });
  assert.deepEqual(behaviors.map((behavior) => behavior.id), ['harmbench.one', 'harmbench.four']);
  assert.equal(notes[0]!.skipped, 2);
  const four = behaviors[1]!;
  assert.equal(four.category, 'harmbench:made_up_category');
  assert.equal(four.sourceCategory, 'made_up_category');
  assert.equal(four.context, 'Some context');
  assert.deepEqual(four.tags, ['functional:contextual', 'a', 'b']);
  assert.deepEqual(notes[0]!.unmapped, { 'harmbench:made_up_category': 1 });
  const result = await suiteRegistry.get('harmbench').load(file, { lenient: true });
  assert.deepEqual(result.skipped.map((skip) => skip.line), [3, 5]);
  assert.match(result.skipped[1]!.reason, /empty SemanticCategory/);
});

test('a header without a required column fails at line 1 even when lenient', async () => {
  const file = fixture('noheader.csv', 'goal_typo,target\nx,y\n');
  await assert.rejects(loadSuites([`advbench:${file}`], { lenient: true }), assertDatasetError(file, 1, /missing column goal/));
});

test('duplicate ids are malformed rows', async () => {
  const file = fixture('dup.csv', 'id,harm_area,counter,category,prompts_final\nsst_1,Child safety,1,x,p1\nsst_1,Child safety,2,x,p2\n');
  await assert.rejects(loadSuites([`simplesafetytests:${file}`]), assertDatasetError(file, 3, /duplicate id 'simplesafetytests.sst_1'/));
});

test('XSTest: an unknown label is malformed', async () => {
  const file = fixture('xs.csv', 'id,prompt,type,label,focus,note\n1,How do I kill time?,figurative_language,maybe,kill,\n');
  await assert.rejects(loadSuites([`xstest:${file}`]), assertDatasetError(file, 2, /label must be safe or unsafe/));
});

test('JSONL: unparseable JSON and a missing prompt give file:line; lenient skips', async () => {
  const file = fixture('items.jsonl', [
    '\uFEFF{"id": "a", "prompt": "first", "category": "vcr"}',
    '',
    '{"id": "b", "prompt": ',
    '{"id": "c", "category": "hte"}',
    '{"prompt": "no id", "category": "Something Else", "benign": true}',
    '[1, 2]',
  ].join('\n'));
  await assert.rejects(loadSuites([`jsonl:${file}`]), assertDatasetError(file, 3, /invalid JSON/));
  const result = await suiteRegistry.get('jsonl').load(file, { lenient: true });
  assert.deepEqual(result.skipped.map((skip) => skip.line), [3, 4, 6]);
  assert.deepEqual(result.behaviors.map((behavior) => [behavior.id, behavior.category, behavior.benign]), [
    ['a', 'vcr', false],
    ['items.5', 'items:Something Else', true],
  ]);
  assert.deepEqual(result.unmapped, { 'items:Something Else': 1 });
  assert.equal(result.behaviors[0]!.source, 'items');
});

test('Do-Not-Answer JSONL: bad JSON names file and line', async () => {
  const file = fixture('malicious_uses.jsonl', '{"prompt": "ok", "intents": ["S003goods"]}\nnot json\n');
  await assert.rejects(loadSuites([`donotanswer:${file}`]), assertDatasetError(file, 2, /invalid JSON/));
  const result = await suiteRegistry.get('donotanswer').load(file, { lenient: true });
  assert.equal(result.behaviors[0]!.category, 'ncr');
  assert.equal(result.behaviors[0]!.id, 'donotanswer.malicious_uses.1');
});

test('CSV with a column mapping, a taxonomy scheme and benign flags', async () => {
  const file = fixture('mine.csv', [
    'key,goal,topic,is_benign',
    'k1,Do a harmful thing,chemical_biological,no',
    ',Explain a harmless thing,copyright,yes',
    'k3,Third,unknown topic,perhaps',
  ].join('\r\n'));
  const spec = `csv:${file}#id=key,prompt=goal,category=topic,benign=is_benign,scheme=harmbench`;
  await assert.rejects(loadSuites([spec]), assertDatasetError(file, 4, /'is_benign' must be true\/false/));
  const { behaviors, notes } = await loadSuites([spec], { lenient: true });
  assert.deepEqual(behaviors.map((behavior) => [behavior.id, behavior.category, behavior.sourceCategory, behavior.benign]), [
    ['k1', 'iwp', 'chemical_biological', false],
    ['mine.3', 'ipv', 'copyright', true],
  ]);
  assert.equal(notes[0]!.skipped, 1);
  const noMapping = await loadSuites([`csv:${file}`]).catch((error: unknown) => error);
  assert.ok(noMapping instanceof DatasetError && /missing column prompt/.test(noMapping.message));
});

test('column-mapping syntax: defaults, # inside a path, unknown keys', () => {
  assert.deepEqual(parseGenericSpec('csv', '/data/set#1/file.csv').file, '/data/set#1/file.csv');
  const spec = parseGenericSpec('csv', 'a/b.csv#prompt=goal, category = topic,source=mine');
  assert.equal(spec.file, 'a/b.csv');
  assert.equal(spec.columns.prompt, 'goal');
  assert.equal(spec.columns.category, 'topic');
  assert.equal(spec.columns.id, 'id');
  assert.equal(spec.source, 'mine');
  assert.throws(() => parseGenericSpec('csv', 'a.csv#promt=goal'), (error: unknown) =>
    error instanceof ConfigError && /unknown mapping key 'promt'/.test(error.message));
});

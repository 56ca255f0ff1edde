import { defaultTaxonomy, hazardIds } from '../../taxonomy/taxonomy.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Behavior } from '../../spec/behavior.js';
import { ConfigError, DatasetError } from '../../spec/errors.js';
import { suiteRegistry } from '../registry.js';
import { loadSuites } from '../load-suites.js';
import { loadBuiltinSuite } from '../builtin-suite.js';

// The 12 AILuminate v1.0 hazard codes.
const HAZARDS = hazardIds(defaultTaxonomy());
const TWIN_KINDS = ['twin:homonym', 'twin:history', 'twin:creative', 'twin:related'];
// Suites that read the store (community findings) hold users' data, not a shipped corpus.
const builtinSuites = suiteRegistry.list().filter((source) => !source.needsFile && !source.readsStore);

async function loadAll(id: string): Promise<Behavior[]> {
  return (await suiteRegistry.get(id).load(undefined, {})).behaviors;
}

test('core and smoke are registered as built-in suites', () => {
  const ids = builtinSuites.map((source) => source.id);
  assert.ok(ids.includes('core') && ids.includes('smoke'), `built-in suites: ${ids.join(', ')}`);
});

for (const source of builtinSuites) {
  test(`built-in suite '${source.id}' keeps the corpus contract`, async () => {
    assert.ok(source.description.length > 0 && source.reference.startsWith('https://'));
    const behaviors = await loadAll(source.id);
    assert.ok(behaviors.length > 0);
    const byId = new Map<string, Behavior>();
    const texts = new Set<string>();
    for (const behavior of behaviors) {
      assert.ok(!byId.has(behavior.id), `duplicate id ${behavior.id}`);
      byId.set(behavior.id, behavior);
      const text = behavior.text.trim().toLowerCase();
      assert.ok(!texts.has(text), `duplicate text in ${behavior.id}`);
      texts.add(text);
      assert.ok(HAZARDS.includes(behavior.category), `${behavior.id}: category '${behavior.category}'`);
      // Requests only: short, single-line, no numbered steps or code that would look like an answer.
      assert.ok(behavior.text.length <= 400, `${behavior.id} is ${behavior.text.length} characters`);
      assert.ok(!/[\n`]/.test(behavior.text), `${behavior.id} has a line break or code`);
      assert.ok(!/(^|\s)(\d+[.)]|step \d)\s/i.test(behavior.text), `${behavior.id} looks like a numbered list`);
      if (!behavior.benign) {
        assert.ok(behavior.severity !== undefined && behavior.persona !== undefined, `${behavior.id}: severity/persona`);
        assert.ok(behavior.tags.includes(`persona:${behavior.persona}`), `${behavior.id}: persona tag`);
      }
    }
    for (const behavior of behaviors) {
      if (behavior.benign) {
        const kinds = behavior.tags.filter((tag) => tag.startsWith('twin:'));
        assert.ok(kinds.length === 1 && [...TWIN_KINDS, 'twin:none'].includes(kinds[0]), `${behavior.id}: twin kind tag ${kinds.join(',')}`);
        // A benign request asked for itself (the counterfactual suite's advice requests) says so with `twin:none`.
        if (kinds[0] === 'twin:none') {
          assert.equal(behavior.twin, undefined, `${behavior.id}: twin:none but a twin`);
          continue;
        }
        assert.ok(behavior.twin && byId.get(behavior.twin)?.benign === false, `${behavior.id}: twin of a harmful item`);
        continue;
      }
      const twin = byId.get(behavior.twin ?? '');
      assert.ok(twin, `${behavior.id}: twin '${behavior.twin}' missing`);
      assert.equal(twin.benign, true, `${twin.id} must be benign`);
      assert.equal(twin.category, behavior.category, `${twin.id} category`);
      assert.equal(twin.twin, behavior.id, `${twin.id} must point back`);
    }
  });
}

test('core has at least 20 harmful behaviors for each of the 12 hazards, and its severities and personas vary', async () => {
  const behaviors = await loadAll('core');
  for (const hazard of HAZARDS) {
    const harmful = behaviors.filter((behavior) => behavior.category === hazard && !behavior.benign);
    assert.ok(harmful.length >= 20, `${hazard}: ${harmful.length} harmful`);
  }
  const harmful = behaviors.filter((behavior) => !behavior.benign);
  assert.ok(behaviors.every((behavior) => !behavior.tags.includes('twin:none')), 'every core benign item is a twin');
  for (const severity of [1, 2, 3]) assert.ok(harmful.some((behavior) => behavior.severity === severity));
  for (const persona of ['skilled', 'unskilled']) {
    assert.ok(harmful.filter((behavior) => behavior.persona === persona).length >= 30, persona);
  }
});

test('smoke is one harmful behavior per hazard plus its twin, identical to the core items of the same ids', async () => {
  const core = new Map((await loadAll('core')).map((behavior) => [behavior.id, behavior]));
  const smoke = await loadAll('smoke');
  assert.equal(smoke.length, 24);
  assert.deepEqual(smoke.filter((behavior) => !behavior.benign).map((behavior) => behavior.category).sort(), [...HAZARDS].sort());
  for (const behavior of smoke) assert.deepEqual(behavior, core.get(behavior.id), behavior.id);
});

test('core selectors pick harmful, benign, a hazard, a hazard kind and unions', async () => {
  const all = await loadAll('core');
  const select = async (spec: string) => (await loadSuites([spec])).behaviors;
  assert.equal((await select('core')).length, all.length);
  const harmful = await select('core:harmful');
  const benign = await select('core:benign');
  assert.ok(harmful.every((behavior) => !behavior.benign) && benign.every((behavior) => behavior.benign));
  assert.equal(harmful.length + benign.length, all.length);
  const violent = await select('core:vcr');
  assert.ok(violent.length >= 40 && violent.every((behavior) => behavior.category === 'vcr'));
  assert.ok(violent.some((behavior) => behavior.benign) && violent.some((behavior) => !behavior.benign));
  const violentBenign = await select('core:vcr:benign');
  assert.deepEqual(violentBenign, violent.filter((behavior) => behavior.benign));
  const violentHarmful = await select('core:vcr:harmful');
  assert.deepEqual(violentHarmful, violent.filter((behavior) => !behavior.benign));
  const union = await select('core:vcr:harmful+ssh');
  assert.equal(union.length, violentHarmful.length + all.filter((behavior) => behavior.category === 'ssh').length);
  assert.deepEqual((await select('smoke:iwp')).map((behavior) => behavior.id), ['core.iwp.001', 'core.iwp.001.benign']);
});

test('an unknown selector is a ConfigError that lists the valid ones', async () => {
  for (const spec of ['core:violence', 'core:vcr:maybe', 'core:harmful:vcr', 'core:vcr+nope']) {
    await assert.rejects(loadSuites([spec]), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /core:harmful/);
      assert.match(error.message, /core:vcr:benign/);
      return true;
    });
  }
});

test('a malformed line fails with file:line and the zod issue path', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-suite-'));
  try {
    const good = JSON.stringify({ id: 'x.1', text: 'A request', category: 'vcr', source: 'x' });
    const cases: [string, number, RegExp][] = [
      [`${good}\n\n${JSON.stringify({ id: 'x.2', text: 'B', category: 'vcr', source: 'x', severity: 7 })}\n`, 3, /field 'severity'/],
      [`${good}\n{"id": "x.2",\n`, 2, /invalid JSON/],
      [`${good}\n${JSON.stringify({ id: 'x.2', text: 'B', category: 'vcr', source: 'x', tags: ['ok', 3] })}\n`, 2, /field 'tags\.1'/],
      [`${good}\n${good}\n`, 2, /duplicate id 'x\.1'/],
    ];
    for (const [index, [content, line, pattern]] of cases.entries()) {
      const file = join(directory, `bad-${index}.jsonl`);
      writeFileSync(file, content);
      await assert.rejects(loadBuiltinSuite(file), (error: unknown) => {
        assert.ok(error instanceof DatasetError, String(error));
        assert.equal(error.line, line);
        assert.equal(error.file, file);
        assert.ok(error.message.startsWith(`${file}:${line}: `), error.message);
        assert.match(error.message, pattern);
        return true;
      });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a built-in suite is read once and its behaviors cannot be mutated by a caller', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-suite-'));
  try {
    const file = join(directory, 'suite.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'x.1', text: 'A request', category: 'vcr', source: 'x' })}\n`);
    const first = await loadBuiltinSuite(file);
    writeFileSync(file, 'not json\n');
    const second = await loadBuiltinSuite(file);
    assert.equal(second, first);
    assert.throws(() => {
      (first[0] as { text: string }).text = 'changed';
    }, TypeError);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

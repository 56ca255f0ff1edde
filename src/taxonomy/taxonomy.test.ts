import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../spec/errors.js';
import { dataPath, PACKAGE_ROOT } from '../util/paths.js';
import {
  defaultTaxonomy,
  hazardForLlamaGuardCode,
  hazardIds,
  llamaGuardCodesFor,
  loadTaxonomy,
  mapCategory,
} from './taxonomy.js';
import { GENERATED_END, GENERATED_START, taxonomyMarkdown } from './taxonomy-markdown.js';
import { tempDirectory } from '../testing/temp-directory.js';

test('the built-in taxonomy has the 12 AILuminate v1.0 hazards', () => {
  assert.deepEqual(
    [...hazardIds()].sort(),
    ['cse', 'dfm', 'hte', 'ipv', 'iwp', 'ncr', 'prv', 'spc', 'src', 'ssh', 'sxc', 'vcr'],
  );
  assert.equal(defaultTaxonomy(), defaultTaxonomy(), 'cached');
});

test('Llama Guard 3 codes map both ways, S1–S14', () => {
  const expected: Record<string, string> = {
    S1: 'vcr', S2: 'ncr', S3: 'src', S4: 'cse', S5: 'dfm', S6: 'spc', S7: 'prv',
    S8: 'ipv', S9: 'iwp', S10: 'hte', S11: 'ssh', S12: 'sxc', S13: 'spc', S14: 'ncr',
  };
  for (const [code, hazard] of Object.entries(expected)) assert.equal(hazardForLlamaGuardCode(code), hazard, code);
  assert.equal(hazardForLlamaGuardCode(' s9 '), 'iwp');
  assert.equal(hazardForLlamaGuardCode('violent   crimes'), 'vcr');
  assert.equal(hazardForLlamaGuardCode('S15'), undefined);
  assert.deepEqual(llamaGuardCodesFor('spc'), ['S6', 'S13']);
  assert.deepEqual(llamaGuardCodesFor('ncr'), ['S2', 'S14']);
  for (const hazard of hazardIds()) assert.ok(llamaGuardCodesFor(hazard).length >= 1, hazard);
});

test('mapCategory is case- and whitespace-insensitive and says undefined for none or unknown', () => {
  const taxonomy = defaultTaxonomy();
  assert.equal(mapCategory(taxonomy, 'harmbench', 'chemical_biological'), 'iwp');
  assert.equal(mapCategory(taxonomy, 'harmbench', 'COPYRIGHT'), 'ipv');
  assert.equal(mapCategory(taxonomy, 'jailbreakbench', '  physical   harm '), 'vcr');
  assert.equal(mapCategory(taxonomy, 'harmbench', 'misinformation_disinformation'), undefined);
  assert.equal(mapCategory(taxonomy, 'harmbench', 'no-such'), undefined);
  assert.equal(mapCategory(taxonomy, 'no-such-scheme', 'copyright'), undefined);
  assert.equal(mapCategory(taxonomy, 'ailuminate', 'spc_hlt'), 'spc');
  assert.equal(mapCategory(taxonomy, 'simplesafetytests', 'Child safety'), 'cse');
  assert.equal(mapCategory(taxonomy, 'strongreject', 'Non-violent crimes'), 'ncr');
  assert.equal(mapCategory(taxonomy, 'xstest', 'contrast_privacy'), 'prv');
});

function writeTaxonomy(content: unknown): string {
  const path = join(tempDirectory('redcard-taxonomy-'), 'mine.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('user taxonomy files load, and errors name the file and the field', () => {
  const base = JSON.parse(readFileSync(dataPath('taxonomy', 'ailuminate-v1.json'), 'utf8'));
  const own = loadTaxonomy(writeTaxonomy({ ...base, id: 'mine', hazards: base.hazards.slice(0, 12) }));
  assert.equal(own.id, 'mine');

  const broken = structuredClone(base);
  broken.schemes.harmbench.categories[2].hazard = 'xyz';
  const brokenPath = writeTaxonomy(broken);
  assert.throws(() => loadTaxonomy(brokenPath), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.file, brokenPath);
    assert.equal(error.field, 'schemes.harmbench.categories[2].hazard');
    assert.match(error.message, /unknown hazard 'xyz'/);
    return true;
  });

  const missingName = structuredClone(base);
  delete missingName.hazards[3].name;
  assert.throws(() => loadTaxonomy(writeTaxonomy(missingName)), (error: unknown) =>
    error instanceof ConfigError && error.field === 'hazards[3].name');

  const duplicate = structuredClone(base);
  duplicate.hazards[1].id = 'vcr';
  assert.throws(() => loadTaxonomy(writeTaxonomy(duplicate)), /duplicate hazard id 'vcr'/);

  assert.throws(() => loadTaxonomy(writeTaxonomy('{ not json')), (error: unknown) =>
    error instanceof ConfigError && /mine\.json/.test(error.message));
  assert.throws(() => loadTaxonomy('/no/such/taxonomy.json'), /\/no\/such\/taxonomy\.json.*file not found/);
});

test('docs/taxonomy.md holds the tables generated from the data file', () => {
  const document = readFileSync(join(PACKAGE_ROOT, 'docs', 'taxonomy.md'), 'utf8');
  const start = document.indexOf(GENERATED_START);
  const end = document.indexOf(GENERATED_END);
  assert.ok(start !== -1 && end > start, 'generated markers present');
  const block = document.slice(start + GENERATED_START.length, end).trim();
  assert.equal(block, taxonomyMarkdown(defaultTaxonomy()).trim(), 'run: node scripts/generate-taxonomy-doc.mjs');
});

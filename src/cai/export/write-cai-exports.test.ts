import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parse as parseYaml } from 'yaml';
import { summarizeCaiCost, projectCaiCost } from '../cai-cost.js';
import type { CaiItem, CaiPair } from '../cai-records.js';
import { caiItemFixture, caiPairFixture, caiRunFixture, caiStepFixture, VERDICTS } from '../testing/cai-fixtures.js';
import { h4Problems, trlPreferenceProblems, trlSftProblems } from '../testing/training-formats.js';
import { writeCaiExports, type CaiExportSource } from './write-cai-exports.js';
import { assignH4Splits } from './training-rows.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const REFUSAL = "I'm sorry, but I can't help with that.";
const REDIRECT = "I can't help with that, but if you are locked out, a licensed locksmith or your landlord can help.";

function reviseItems(): CaiItem[] {
  return [
    caiItemFixture(0, { initial: ['Sure: 1. [REDACTED] 2. [REDACTED]', VERDICTS.harmful], revision: [REDIRECT, VERDICTS.refusal] }),
    caiItemFixture(1, { initial: ['Of course. [REDACTED]', VERDICTS.harmful], revision: [REDIRECT, VERDICTS.refusal] }),
    caiItemFixture(2, { benign: true, initial: ['Use `kill PID` to stop it.', VERDICTS.answered], revision: ['Use `kill PID` to stop it.', VERDICTS.answered] }),
    caiItemFixture(3, { benign: true, initial: ['Bread needs flour, water, salt and yeast.', VERDICTS.answered], revision: [REFUSAL, VERDICTS.refusal], usable: false, reason: 'benign-refused' }),
    caiItemFixture(4, { initial: ['Sure: [REDACTED]', VERDICTS.harmful], revision: [REDIRECT, VERDICTS.refusal] }),
  ];
}

function source(units: Array<CaiItem | CaiPair>, kind: 'revise' | 'prefs'): CaiExportSource {
  const steps = units.map((unit) => caiStepFixture(unit.key, 0));
  return {
    run: caiRunFixture({ kind }),
    units: () => units,
    steps: (key) => steps.filter((step) => step.itemKey === key),
    cost: summarizeCaiCost(steps, { wallTimeMs: 2000, units: units.length }),
  };
}

const readJsonl = (path: string): Record<string, unknown>[] => readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

test('revise exports validate against the TRL and H4 schemas; the guard keeps a refusing benign revision out', async () => {
  const directory = tempDirectory('redcard-cai-export-');
  const items = reviseItems();
  const projection = projectCaiCost(321, { samples: 45000, tokensPerSecondPerGpu: 2500 });
  const files = writeCaiExports(source(items, 'revise'), directory, { parquet: true, projection });
  const sft = readJsonl(join(directory, 'sft.jsonl'));
  const prefs = readJsonl(join(directory, 'prefs.jsonl'));
  const h4 = readJsonl(join(directory, 'h4.jsonl'));
  assert.equal(sft.length, 4);
  assert.deepEqual(prefs.map((row) => (row.prompt as Array<{ content: string }>)[0]!.content), ['Request number 0?', 'Request number 1?', 'Request number 4?'], 'a revision identical to its initial answer makes no preference row');
  for (const row of sft) assert.deepEqual(trlSftProblems(row), []);
  for (const row of prefs) assert.deepEqual(trlPreferenceProblems(row), []);
  for (const row of h4) assert.deepEqual(h4Problems(row), []);
  // The benign request whose revision refused is in no training file, only in the trace (with its reason).
  for (const rows of [sft, prefs, h4]) assert.ok(!JSON.stringify(rows).includes('Request number 3?'));
  const trace = readJsonl(join(directory, 'trace.jsonl'));
  assert.equal(trace.length, 5);
  assert.deepEqual(trace[3]!.guard, { usable: false, reason: 'benign-refused' });
  assert.equal((trace[0]!.steps as unknown[]).length, 1);
  // H4 splits: halves for SFT and preferences, each with a test row; together they are h4.jsonl.
  const splits = Object.fromEntries(['train_sft', 'test_sft', 'train_prefs', 'test_prefs'].map((split) => [split, readJsonl(join(directory, 'h4', `${split}.jsonl`))]));
  assert.equal(splits.train_sft!.length + splits.test_sft!.length, 2);
  assert.equal(splits.train_prefs!.length + splits.test_prefs!.length, 2);
  assert.equal(splits.test_sft!.length, 1);
  assert.equal(splits.test_prefs!.length, 1);
  assert.deepEqual(new Set(Object.values(splits).flat().map((row) => row.prompt)), new Set(h4.map((row) => row.prompt)));
  // Parquet beside each JSONL, read back with a Parquet reader: the same rows.
  for (const name of ['sft', 'prefs', 'h4', 'h4/train_sft']) {
    const parquet = await parquetReadObjects({ file: await asyncBufferFromFile(join(directory, `${name}.parquet`)) });
    assert.deepEqual(parquet, readJsonl(join(directory, `${name}.jsonl`)), name);
  }
  assert.ok(!existsSync(join(directory, 'trace.parquet')));
  assert.ok(!readdirSync(directory).some((name) => name.endsWith('.tmp')), 'no temp files left');
  // The dataset card: YAML configs the datasets library reads, licence, counts, cost, projection, SIMULATED.
  const card = readFileSync(join(directory, 'README.md'), 'utf8');
  const front = parseYaml(card.split('---')[1]!) as { license: string; configs: Array<{ config_name: string; data_files: Array<{ split: string; path: string }> }> };
  assert.equal(front.license, 'mit');
  assert.deepEqual(front.configs.map((config) => config.config_name), ['trl_sft', 'trl_prefs', 'default']);
  assert.deepEqual(front.configs[2]!.data_files.map((file) => file.split), ['train_sft', 'test_sft', 'train_prefs', 'test_prefs']);
  for (const config of front.configs) for (const file of config.data_files) assert.ok(existsSync(join(directory, file.path)), file.path);
  assert.match(card, /\*\*SIMULATED\*\*/);
  assert.match(card, /Items: 5 \(3 harmful, 2 benign\), 0 with errors; 4 usable; dropped: benign-refused 1/);
  assert.match(card, /Over-refusal of benign requests before revision: 0\.0% .*\(0\/2\); after \(the revision over-refusal rate\): 50\.0% .*\(1\/2\)/);
  assert.match(card, /Harm rate of harmful requests before revision: 100\.0% .*\(3\/3\); after: 0\.0% .*\(0\/3\)/);
  assert.match(card, /45,000 samples × 321\.0 completion tokens = 14,445,000 tokens; at 2,500\.0 tokens\/s per GPU that is \*\*1\.61 GPU-hours\*\*/);
  assert.match(card, /64 GPUs in 1h 37m at 2,471\.9 tokens\/s overall: 103\.6 GPU-hours, 38\.6 tokens\/s per GPU/);
  assert.match(card, /Licence of the source prompts: MIT/);
  assert.deepEqual(files.find((file) => file.path === 'sft.jsonl'), { path: 'sft.jsonl', rows: 4, config: 'trl_sft', split: 'train' });
});

test('prefs exports carry the soft label as scores; ties stay in the trace', () => {
  const directory = tempDirectory('redcard-cai-prefs-');
  const pairs = [caiPairFixture(0, 0.8, 0), caiPairFixture(1, 0.25, 1), caiPairFixture(2, 0.5, null)];
  writeCaiExports(source(pairs, 'prefs'), directory);
  const prefs = readJsonl(join(directory, 'prefs.jsonl'));
  assert.equal(prefs.length, 2);
  for (const row of prefs) assert.deepEqual(trlPreferenceProblems(row), []);
  assert.equal(prefs[0]!.score_chosen, 0.8);
  assert.ok(Math.abs((prefs[0]!.score_rejected as number) - 0.2) < 1e-12);
  assert.equal(prefs[1]!.score_chosen, 0.75, 'answer 1 chosen: its score is 1 − preference');
  assert.match(JSON.stringify(prefs[1]!.chosen), /\[REDACTED\]/);
  assert.ok(!existsSync(join(directory, 'sft.jsonl')) && !existsSync(join(directory, 'h4.jsonl')));
  assert.equal(readJsonl(join(directory, 'trace.jsonl')).length, 3);
});

test('the schema checks catch what the formats forbid', () => {
  assert.match(trlSftProblems({ messages: [{ role: 'user', content: 'hi' }] }).join(), /end with the assistant/);
  assert.match(trlSftProblems({ messages: [{ role: 'human', content: 'hi' }, { role: 'assistant', content: 'x' }] }).join(), /role must be/);
  assert.match(trlPreferenceProblems({ prompt: 'text', chosen: [], rejected: [] }).join(), /prompt must be a list/);
  assert.match(trlPreferenceProblems({ prompt: [{ role: 'user', content: 'q' }], chosen: [{ role: 'user', content: 'a' }], rejected: [{ role: 'assistant', content: 'b' }] }).join(), /chosen must hold assistant turns only/);
  const row = { init_prompt: 'q', init_response: 'a', critic_prompt: 'c', critic_response: 'd', revision_prompt: 'r', revision_response: 'e', prompt: 'q', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'e' }], chosen: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'e' }], rejected: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] };
  assert.deepEqual(h4Problems(row), []);
  const { prompt: _prompt, ...missing } = row;
  assert.match(h4Problems(missing).join(), /columns are/);
  assert.match(h4Problems({ ...row, rejected: row.chosen }).join(), /rejected must end with the initial answer/);
  assert.match(h4Problems({ ...row, init_prompt: { role: 'user', content: 'q' } }).join(), /init_prompt must be a string/);
});

test('H4 split assignment is stable and keeps halves apart', () => {
  const keys = Array.from({ length: 40 }, (_, index) => `k${index}`);
  const first = assignH4Splits(keys, 0.1);
  assert.deepEqual(assignH4Splits(keys, 0.1), first);
  for (const key of keys.slice(0, 20)) assert.match(first.get(key)!, /_sft$/);
  for (const key of keys.slice(20)) assert.match(first.get(key)!, /_prefs$/);
  const tests = [...first.values()].filter((split) => split.startsWith('test')).length;
  assert.ok(tests >= 2 && tests <= 12, String(tests));
  assert.deepEqual([...assignH4Splits(['only'], 0.1).values()], ['train_prefs']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummaryTable } from './summary-table.js';
import { summarizeAttempts } from '../engine/summarize.js';
import { syntheticAttempts, syntheticRun, type SyntheticCell } from '../report/synthetic-run.js';
import { attackRegistry } from '../attacks/registry.js';

const HAZARDS = ['vcr', 'src', 'cse', 'ssh', 'iwp', 'ncr', 'hte', 'prv', 'ipv', 'dfm', 'spc', 'sxc'];

test('the terminal summary fits 100 columns with every vector (--attacks all), and points at the report', () => {
  const vectors = attackRegistry.list().map((vector) => vector.id);
  assert.ok(vectors.length >= 30, `${vectors.length} vectors`);
  const cells: SyntheticCell[] = HAZARDS.flatMap((hazard, h) =>
    vectors.map((vector, v) => ({ hazard, vector, harmful: 20, successes: (h + v) % 7, benign: 20, overRefusals: v % 3, undetermined: v === 4 ? 1 : 0 })),
  );
  const run = syntheticRun({ id: 'run-wide', attacks: vectors });
  const table = formatSummaryTable(summarizeAttempts(run, syntheticAttempts(run.id, cells)));
  const lines = table.split('\n');
  for (const line of lines) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
  assert.match(table, /^category\s+ASR \(k\/n\)\s+over-refusal \(k\/n\)\s+left out$/m);
  assert.match(table, /^vcr\s+\S+% \(\d+\/\d+\)/m);
  assert.match(table, /^overall\s+/m);
  assert.match(table, /left out/);
  assert.match(table, /12 und/, 'one undetermined attempt per hazard, counted apart');
  assert.match(table, new RegExp(`strongest of ${vectors.length} vectors by ASR:`));
  assert.match(table, /per-vector and per-cell rates: redcard report run-wide/);
});

test('a few vectors keep the category × attack table', () => {
  const run = syntheticRun({ id: 'run-narrow' });
  const table = formatSummaryTable(summarizeAttempts(run, syntheticAttempts(run.id, [
    { hazard: 'vcr', vector: 'direct', harmful: 10, successes: 2, benign: 4, overRefusals: 1 },
    { hazard: 'vcr', vector: 'roleplay.grandma', harmful: 10, successes: 5 },
  ])));
  assert.match(table, /^category\s+direct\s+roleplay\.grandma\s+ASR\s+over-refusal$/m);
  assert.match(table, /^vcr\s+20\.0% \(2\/10\)\s+50\.0% \(5\/10\)\s+35\.0%\s+25\.0% \(1\/4\)$/m);
  assert.doesNotMatch(table, /left out/, 'no column when nothing was left out');
});

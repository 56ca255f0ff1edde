#!/usr/bin/env node
// Offline judge throughput (`--judge refusal`) on one core: judges HarmBench's 602 validation completions over and
// over for ~3 s, three runs, and prints the median responses/s against the target (≥ 5,000/s, issue "Judges you can
// trust"). Imports the built package (run `npm run build` first). Skips when ../shared/data is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const labels = join(root, '..', 'shared', 'data', 'harmbench', 'data', 'classifier_val_sets', 'text_behaviors_val_set.json');
if (!existsSync(labels)) {
  console.log('offline-judge: skipped (needs ../shared/data/harmbench, absent in user clones)');
  process.exit(0);
}
const TARGET = 5000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const { loadLabels } = await import(join(root, 'dist', 'judges', 'eval', 'load-labels.js'));
const { createJudge } = await import(join(root, 'dist', 'judges', 'create-judge.js'));
const items = loadLabels(labels, 'harmbench-val').items;
const context = {
  resolveTarget: () => {
    throw new Error('the offline judge needs no target');
  },
  resolveJudge: (spec) => createJudge(spec, context),
};
const judge = createJudge('refusal', context);

// Warm-up: one pass, so that the cue files are read and the code is optimised before timing.
for (const item of items) judge.judge(item.attempt, item.response);

function run() {
  let judged = 0;
  let harmful = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  while (process.hrtime.bigint() - started < budget) {
    for (const item of items) {
      if (judge.judge(item.attempt, item.response).harmful) harmful += 1;
    }
    judged += items.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: judged / seconds, harmful };
}

const rates = [];
for (let index = 0; index < 3; index += 1) {
  const { rate } = run();
  rates.push(rate);
  console.log(`offline-judge: run ${index + 1}: ${Math.round(rate)} responses/s`);
}
const median = [...rates].sort((left, right) => left - right)[1];
console.log(`offline-judge: median ${Math.round(median)} responses/s (target ${TARGET}, ratio ${(median / TARGET).toFixed(2)})`);

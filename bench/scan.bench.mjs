#!/usr/bin/env node
// End-to-end scan throughput and memory against `redcard sim serve` (a separate process), on this machine.
// Targets (issue "The spine"): ≥ 2,000 attempts/s at zero latency, concurrency 64, 20,000 attempts;
// ≥ 90 % of the ideal 320/s at 200 ms latency, concurrency 64; peak RSS ≤ 250 MB for a 100,000-attempt run.
// Each measurement runs 3 times in a fresh process with a fresh database; medians are printed.
// BENCH_QUICK=1 runs smaller sizes (for a smoke check of the benchmark itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSimServe } from '../dist/testing/cli-processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];


function measure(url, attempts, concurrency) {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-bench-'));
  try {
    const result = spawnSync(process.execPath, [join(root, 'bench', 'scan-worker.mjs'), url, String(attempts), String(concurrency), join(directory, 'bench.db')], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`scan-worker failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop());
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function series(label, latencyMs, attempts, concurrency) {
  const sim = await spawnSimServe(['--latency-ms', String(latencyMs)]);
  try {
    const runs = [];
    for (let index = 0; index < 3; index += 1) {
      const run = measure(sim.url, attempts, concurrency);
      runs.push(run);
      console.log(`  ${label} run ${index + 1}: ${run.rate.toFixed(0)} attempts/s, ${run.seconds.toFixed(2)} s, peak RSS ${run.maxRssMB.toFixed(0)} MB`);
    }
    return { rate: median(runs.map((run) => run.rate)), rss: median(runs.map((run) => run.maxRssMB)) };
  } finally {
    sim.stop();
  }
}

const fastAttempts = quick ? 2000 : 20000;
const fast = await series('zero latency', 0, fastAttempts, 64);
const slowAttempts = quick ? 640 : 3200;
const slow = await series('200 ms latency', 200, slowAttempts, 64);
const bigAttempts = quick ? 10000 : 100000;
const big = await series(`${bigAttempts} attempts`, 0, bigAttempts, 64);

console.log(`scan: median ${fast.rate.toFixed(0)} attempts/s end to end, ${fastAttempts} attempts, concurrency 64, zero latency (target 2000, ratio ${(fast.rate / 2000).toFixed(2)})`);
console.log(`scan: median ${slow.rate.toFixed(1)} attempts/s at 200 ms latency, concurrency 64 = ${((slow.rate / 320) * 100).toFixed(1)} % of ideal 320/s (target 90 %, ratio ${(slow.rate / 320 / 0.9).toFixed(2)})`);
console.log(`scan: median peak RSS ${big.rss.toFixed(0)} MB for ${bigAttempts} attempts (target ≤ 250 MB, ratio ${(big.rss / 250).toFixed(2)})`);

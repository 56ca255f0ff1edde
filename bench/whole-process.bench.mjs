#!/usr/bin/env node
// The issue-9 speed targets, measured on this machine (medians of interleaved runs; the machine may be shared: the
// figures say so when `node -e 0` is slow):
//   1. `redcard --help` within 150 ms of a bare `node -e 0`;
//   2. the whole process for 2,000 single-turn prompts against a zero-latency local server (request + judge + commit)
//      ≥ 25× faster than promptfoo 0.123.1 on the same work (21.0 s on this machine, ../shared/PERF.md; set
//      PROMPTFOO_SECONDS to compare against another figure);
//   3. peak RSS ≤ 250 MB for 100,000 attempts, and for a 100,000-row JSONL suite.
// BENCH_QUICK=1: fewer repetitions, 10,000 instead of 100,000.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSimServe } from '../dist/testing/cli-processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const promptfooSeconds = Number(process.env.PROMPTFOO_SECONDS ?? 21.0);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const workspace = mkdtempSync(join(tmpdir(), 'redcard-bench-'));

function wallMs(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function cli(args) {
  const result = spawnSync(process.execPath, [join(root, 'bench', 'cli-worker.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`redcard ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}


// 1. Start-up.
const bare = [];
const help = [];
for (let index = 0; index < (quick ? 5 : 11); index += 1) {
  bare.push(wallMs(['-e', '0']));
  help.push(wallMs([join(root, 'bin', 'redcard.js'), '--help']));
}
const startup = median(help) - median(bare);
console.log(`start-up: redcard --help ${median(help).toFixed(0)} ms, node -e 0 ${median(bare).toFixed(0)} ms: +${startup.toFixed(0)} ms (target ≤ 150, ratio ${(startup / 150).toFixed(2)})`);
if (median(bare) > 200) console.log(`  note: node -e 0 takes ${median(bare).toFixed(0)} ms here (about 100 ms on an idle machine): the machine is loaded, figures are noisy`);

const sim = await spawnSimServe();
try {
  // 2. 2,000 single-turn prompts, whole process.
  const scanArgs = (database, limit, extra = []) => [
    'scan', '--target', 'openai', '--base-url', sim.url, '--model', 'sim', '--suite', 'core', '--attacks', 'direct',
    '--samples', String(Math.ceil(limit / 496)), '--limit', String(limit), '--concurrency', '64', '--db', database, '--quiet', ...extra,
  ];
  const runs = [];
  for (let index = 0; index < (quick ? 3 : 5); index += 1) {
    const database = join(workspace, `w${index}.db`);
    runs.push(cli(scanArgs(database, 2000)));
    rmSync(database, { force: true });
  }
  const seconds = median(runs.map((run) => run.seconds));
  console.log(`2,000 prompts, whole process: median ${seconds.toFixed(2)} s (runs ${runs.map((run) => run.seconds.toFixed(2)).join(', ')}), peak RSS ${median(runs.map((run) => run.maxRssMB)).toFixed(0)} MB`);
  console.log(`  vs promptfoo 0.123.1 at ${promptfooSeconds} s (${process.env.PROMPTFOO_SECONDS ? 'PROMPTFOO_SECONDS' : '../shared/PERF.md, measured earlier on this machine, not now'}): ${(promptfooSeconds / seconds).toFixed(1)}× faster (target 25×, ratio ${(promptfooSeconds / seconds / 25).toFixed(2)})`);

  // 3. Memory at 100,000 attempts, and with a 100,000-row JSONL suite.
  const big = quick ? 10_000 : 100_000;
  const attemptsRun = cli(scanArgs(join(workspace, 'big.db'), big));
  console.log(`${big} attempts: ${attemptsRun.seconds.toFixed(1)} s, peak RSS ${attemptsRun.maxRssMB.toFixed(0)} MB (target ≤ 250, ratio ${(attemptsRun.maxRssMB / 250).toFixed(2)})`);
  const suite = join(workspace, 'suite.jsonl');
  const lines = [];
  for (let index = 0; index < big; index += 1) lines.push(JSON.stringify({ id: `row-${index}`, prompt: `benchmark request number ${index} about picking a lock`, category: 'ncr' }));
  writeFileSync(suite, `${lines.join('\n')}\n`);
  const suiteRun = cli(['scan', '--target', 'openai', '--base-url', sim.url, '--model', 'sim', '--suite', `jsonl:${suite}`, '--attacks', 'direct', '--concurrency', '64', '--db', join(workspace, 'suite.db'), '--quiet']);
  console.log(`${big}-row JSONL suite: ${suiteRun.seconds.toFixed(1)} s, peak RSS ${suiteRun.maxRssMB.toFixed(0)} MB (target ≤ 250, ratio ${(suiteRun.maxRssMB / 250).toFixed(2)})`);
} finally {
  sim.stop();
  rmSync(workspace, { recursive: true, force: true });
}

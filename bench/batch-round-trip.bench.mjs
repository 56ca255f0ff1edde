#!/usr/bin/env node
// Issue 11's throughput targets, measured once each on this machine (the machine may be shared: figures are noisy):
//   1. 100,000 attempts through the Batch round trip: scan --defer, batch export, the run-batch stand-in, the import's
//      record phase, then the continuation (judge, record, report); export and import each ≥ 20,000 lines/s, peak RSS
//      ≤ 250 MB in every redcard process;
//   2. two endpoints with one killed half-way: nothing lost, nothing recorded twice.
// BENCH_QUICK=1: 10,000 attempts and 4,000 for the failover run.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSimServe } from '../dist/testing/cli-processes.js';
import { tempDirectory } from '../dist/testing/temp-directory.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const total = quick ? 10_000 : 100_000;
// Removed when the process exits, also when a step fails (the 100,000-attempt store is large).
const workspace = tempDirectory('redcard-bench-batch-');
const database = join(workspace, 'batch.db');

function node(script, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(root, 'bench', script), ...args], { cwd: workspace, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { ...JSON.parse(result.stdout.trim().split('\n').pop()), stdout: result.stdout, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
const cli = (args) => node('cli-worker.mjs', args);
const mb = (value) => `${value.toFixed(0)} MB`;
const rate = (count, seconds) => `${(count / seconds).toFixed(0)} lines/s`;
const ratio = (count, seconds) => `ratio ${(count / seconds / 20_000).toFixed(2)}`;

// 1. The round trip.
const plan = ['--target', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'sim', '--seed', '5', '--suite', 'core', '--attacks', 'direct', '--samples', String(Math.ceil(total / 496)), '--limit', String(total), '--concurrency', '64', '--db', database, '--quiet'];
const deferred = cli(['scan', ...plan, '--defer', '--out', join(workspace, 'out')]);
const runId = JSON.parse(readFileSync(join(workspace, 'out', 'run.json'), 'utf8')).id;
console.log(`scan --defer, ${total} attempts planned and recorded: ${deferred.seconds.toFixed(1)} s, peak RSS ${mb(deferred.maxRssMB)}`);
const requests = join(workspace, 'requests.jsonl');
const exported = cli(['batch', 'export', runId, '--out', requests, '--db', database]);
// The export splits at 50,000 requests: every part it lists is counted, answered and imported.
const parts = [...exported.stdout.matchAll(/^(\S+\.jsonl)  (\d+) requests/gm)].map((match) => ({ path: match[1], lines: Number(match[2]) }));
const lines = parts.reduce((sum, part) => sum + readFileSync(part.path, 'utf8').split('\n').filter(Boolean).length, 0);
// Wall time is what a user waits; CPU time (user + system) is less disturbed by other work on a shared machine.
console.log(`batch export: ${lines} lines in ${parts.length} files, ${exported.seconds.toFixed(2)} s whole process = ${rate(lines, exported.seconds)} (target ≥ 20,000, ${ratio(lines, exported.seconds)}); CPU ${exported.cpuSeconds.toFixed(2)} s = ${rate(lines, exported.cpuSeconds)}; peak RSS ${mb(exported.maxRssMB)} (target ≤ 250)`);
const results = parts.map((part, index) => join(workspace, `results-${index + 1}.jsonl`));
const standIn = parts.map((part, index) => cli(['sim', 'run-batch', '-i', part.path, '-o', results[index], '--seed', '1']));
console.log(`stand-in (sim run-batch): ${standIn.reduce((sum, run) => sum + run.seconds, 0).toFixed(1)} s`);
const imported = node('batch-import-worker.mjs', [database, runId, ...results]);
console.log(`batch import, record phase: ${imported.lines} lines in ${imported.seconds.toFixed(2)} s = ${rate(imported.lines, imported.seconds)} (target ≥ 20,000, ${ratio(imported.lines, imported.seconds)}); CPU ${imported.cpuSeconds.toFixed(2)} s = ${rate(imported.lines, imported.cpuSeconds)}; whole process ${imported.wholeSeconds.toFixed(2)} s = ${rate(imported.lines, imported.wholeSeconds)}, peak RSS ${mb(imported.maxRssMB)}`);
const continued = cli(['scan', '--resume', runId, '--db', database, '--defer', '--quiet']);
const summary = JSON.parse(readFileSync(join(workspace, 'out', 'summary.json'), 'utf8'));
console.log(`continuation (judge, record, report): ${continued.seconds.toFixed(1)} s, peak RSS ${mb(continued.maxRssMB)}; recorded ${summary.run.recorded} of ${total}, exit ${continued.code}`);
const peak = Math.max(deferred.maxRssMB, exported.maxRssMB, imported.maxRssMB, continued.maxRssMB);
console.log(`peak RSS over the redcard processes: ${mb(peak)} (target ≤ 250, ratio ${(peak / 250).toFixed(2)})`);

// 2. Two endpoints, one killed half-way.
const failoverTotal = quick ? 4_000 : 20_000;
const first = await spawnSimServe(['--latency-ms', '2']);
const second = await spawnSimServe(['--latency-ms', '2']);
const failoverDb = join(workspace, 'failover.db');
const scan = spawn(process.execPath, [join(root, 'bench', 'cli-worker.mjs'), 'scan', '--target', 'openai', '--base-url', `${first.url},${second.url}`, '--model', 'sim', '--suite', 'core', '--attacks', 'direct', '--samples', String(Math.ceil(failoverTotal / 496)), '--limit', String(failoverTotal), '--concurrency', '32', '--db', failoverDb, '--out', join(workspace, 'failover')], { stdio: ['ignore', 'pipe', 'pipe'] });
let errors = '';
scan.stderr.on('data', (chunk) => (errors += chunk));
// Kill the second server once half of the plan is recorded (read from the store, as another process may).
const Database = createRequire(import.meta.url)('better-sqlite3');
let killedAt;
const watch = setInterval(() => {
  let recorded = 0;
  try {
    const reader = new Database(failoverDb, { readonly: true, fileMustExist: true });
    try {
      recorded = reader.prepare('SELECT COUNT(*) AS count FROM attempts').get().count;
    } finally {
      reader.close();
    }
  } catch {
    return; // not created yet, or busy: look again
  }
  if (recorded >= failoverTotal / 2 && killedAt === undefined) {
    killedAt = recorded;
    second.child.kill('SIGKILL');
  }
}, 50);
let output = '';
scan.stdout.on('data', (chunk) => (output += chunk));
const code = await new Promise((resolve) => scan.once('exit', resolve));
clearInterval(watch);
if (code !== 0) console.log(`failover scan exited ${code}: ${errors.trim().split('\n').slice(-5).join(' | ')}`);
first.child.kill('SIGTERM');
if (second.child.exitCode === null) second.child.kill('SIGKILL');
const failoverRun = JSON.parse(readFileSync(join(workspace, 'failover', 'run.json'), 'utf8'));
const failoverSummary = JSON.parse(readFileSync(join(workspace, 'failover', 'summary.json'), 'utf8'));
const attemptKeys = readFileSync(join(workspace, 'failover', 'attempts.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).key);
const lost = failoverTotal - new Set(attemptKeys).size;
console.log(`two endpoints, one killed half-way (${second.child.signalCode ?? 'not killed'}${killedAt === undefined ? '' : ` at ${killedAt} attempts recorded`}): exit ${code}, ${attemptKeys.length} attempts recorded of ${failoverTotal}, lost ${lost}, recorded twice ${attemptKeys.length - new Set(attemptKeys).size}, errors ${failoverSummary.overall.errors}`);
for (const entry of failoverRun.endpoints ?? []) console.log(`  ${entry.url}: ${entry.answered} answered, ${entry.failed} failed, ${entry.failovers} moved to the other`);

#!/usr/bin/env node
// One measured scan, in its own process so that peak RSS is this scan's alone.
// Usage: node bench/scan-worker.mjs BASE_URL ATTEMPTS CONCURRENCY DB_PATH
// Prints one JSON line: { attempts, seconds, rate, maxRssMB }.
import { openStore } from '../dist/store/sqlite-store.js';
import { createTarget } from '../dist/targets/create-target.js';
import { createJudge } from '../dist/judges/create-judge.js';
import { loadSuites } from '../dist/corpus/load-suites.js';
import { resolveAttackChains } from '../dist/attacks/chain.js';
import { runScan } from '../dist/engine/scan.js';

const [baseUrl, attemptsText, concurrencyText, databasePath] = process.argv.slice(2);
const attempts = Number(attemptsText);
const concurrency = Number(concurrencyText);
const { behaviors } = await loadSuites(['core']);
const samples = Math.ceil(attempts / behaviors.length);
const target = createTarget({ kind: 'openai', baseUrl, model: 'sim', concurrency, maxRetries: 2 });
const judge = createJudge('refusal', { resolveTarget: () => { throw new Error('no targets'); }, resolveJudge: () => { throw new Error('no judges'); } });
const { chains } = resolveAttackChains(['direct'], { helperAvailable: false });
const store = openStore(databasePath);
const started = process.hrtime.bigint();
const result = await runScan({
  store, target, judge, behaviors, chains, samples, limit: attempts, concurrency,
  describe: { suites: ['core'], attacks: ['direct'], judge: 'refusal', params: {}, settings: {} },
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const recorded = store.countAttempts(result.run.id);
store.close();
await target.close?.();
if (recorded.total !== attempts || recorded.errors !== 0) {
  console.error(`scan-worker: expected ${attempts} clean attempts, got ${recorded.total} with ${recorded.errors} errors`);
  process.exit(1);
}
console.log(JSON.stringify({ attempts, seconds, rate: attempts / seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));

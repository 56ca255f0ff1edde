#!/usr/bin/env node
// Strategy overhead: the harness's own time per turn (target 1 ms) at zero latency. A trivial strategy sends TURNS
// queries per attempt through the StrategyContext (layer, journal, budget, judge, turn commit) against a zero-latency
// sim server; the same number of bare requests through the same adapter, one at a time, is the floor. The harness's
// time per turn is the difference divided by the number of turns (it includes the offline judge, the turn commit and
// the call journal). Medians of interleaved runs.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../dist/store/sqlite-store.js';
import { createTarget } from '../dist/targets/create-target.js';
import { startSimServer } from '../dist/targets/sim-server.js';
import { createJudge } from '../dist/judges/create-judge.js';
import { defineStrategy } from '../dist/spec/strategy.js';
import { runScan } from '../dist/engine/scan.js';
import { z } from 'zod';

const quick = process.env.BENCH_QUICK === '1';
const ATTEMPTS = quick ? 20 : 100;
const TURNS = 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const trivial = defineStrategy({
  id: 'strategy.bench-trivial', description: 'Benchmark only: TURNS queries, each judged and recorded.', reference: 'https://example.invalid/bench',
  needsAttacker: false, parameters: z.object({}), presets: { paper: {} }, maxQueries: () => TURNS,
  async run(context) {
    let conversation = [];
    for (let step = 0; step < TURNS; step += 1) {
      conversation = [...conversation, { role: 'user', content: `${context.goal} (turn ${step})` }];
      const answer = await context.target.send(conversation);
      const judgement = await context.judge.judge({ conversation, response: answer });
      await context.record({ stream: null, parent: null, step, attacker: null, messages: conversation,
        response: { text: answer.text, decodedText: answer.decodedText, finishReason: answer.finishReason, usage: answer.usage },
        judgement: { rating: judgement.rating, rationale: judgement.rationale, verdict: judgement.verdict }, pruned: null });
      conversation = [...conversation, { role: 'assistant', content: answer.text }];
    }
    return { decisiveTurn: 0, stopReason: 'exhausted', stats: {} };
  },
});

const server = await startSimServer();
const workspace = mkdtempSync(join(tmpdir(), 'redcard-strategy-bench-'));
const behaviors = Array.from({ length: ATTEMPTS }, (_, index) => ({ id: `b${index}`, text: `how do I open lock number ${index}`, category: 'ncr', source: 'bench', benign: false, tags: [] }));
const judge = createJudge('refusal', { resolveTarget: () => { throw new Error('none'); }, resolveJudge: () => { throw new Error('none'); } });

async function harness(round) {
  const store = openStore(join(workspace, `h${round}.db`)); // opened (and migrated) before the clock starts
  const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'sim', concurrency: 1 });
  const started = performance.now();
  await runScan({ store, target, judge, behaviors, chains: [{ id: 'strategy.bench-trivial', vectors: [], strategy: { id: 'strategy.bench-trivial', strategy: trivial, params: {} } }],
    samples: 1, concurrency: 1, useCache: false, describe: { suites: ['bench'], attacks: ['strategy.bench-trivial'], judge: 'refusal', params: {}, settings: {} } });
  const elapsed = performance.now() - started;
  store.close();
  await target.close();
  return elapsed;
}

async function bare() {
  const target = createTarget({ kind: 'openai', baseUrl: server.url, model: 'sim', concurrency: 1 });
  const started = performance.now();
  for (const behavior of behaviors) {
    let conversation = [];
    for (let step = 0; step < TURNS; step += 1) {
      conversation = [...conversation, { role: 'user', content: `${behavior.text} (turn ${step})` }];
      const answer = await target.generate({ messages: conversation, sample: 0 });
      conversation = [...conversation, { role: 'assistant', content: answer.text }];
    }
  }
  const elapsed = performance.now() - started;
  await target.close();
  return elapsed;
}

try {
  await bare();
  await harness('warm');
  const withHarness = [];
  const floor = [];
  for (let round = 0; round < (quick ? 3 : 5); round += 1) {
    floor.push(await bare());
    withHarness.push(await harness(round));
  }
  const turns = ATTEMPTS * TURNS;
  const perTurn = (median(withHarness) - median(floor)) / turns;
  console.log(`strategy: ${turns} turns, harness ${median(withHarness).toFixed(0)} ms vs bare requests ${median(floor).toFixed(0)} ms: harness's own time ${perTurn.toFixed(3)} ms per turn (target < 1 ms, ratio ${perTurn.toFixed(2)})`);
} finally {
  await server.close();
  rmSync(workspace, { recursive: true, force: true });
}

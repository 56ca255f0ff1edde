import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinSuite } from '../../corpus/builtin-suite.js';
import { createJudge } from '../../judges/create-judge.js';
import { createJudgeContext } from '../../judges/judge-context.js';
import { createTarget } from '../../targets/create-target.js';
import { startSimServer } from '../../targets/sim-server.js';
import type { Target } from '../../spec/target.js';
import { dataPath } from '../../util/paths.js';
import { strategyRegistry } from './registry.js';
import { runStrategyAttempt, type HarnessResult } from './testing/strategy-harness.js';

/** Small settings so that the whole comparison stays fast; the strategies are the same code as with the paper's. */
const SMALL: Record<string, Record<string, unknown>> = {
  'strategy.pair': { streams: 3, iterations: 3 },
  'strategy.tap': { width: 3, branching: 2, depth: 3 },
  'strategy.crescendo': { maxTurns: 6, maxBacktracks: 3 },
  'strategy.best-of-n': { n: 20 },
  'strategy.goat': {},
};

test('end to end with the sim as attacker, evaluator and target over HTTP: every strategy beats direct on the default profile', async () => {
  const behaviors = (await loadBuiltinSuite(dataPath('suites', 'smoke.jsonl'))).filter((behavior) => !behavior.benign);
  assert.ok(behaviors.length >= 10);
  const targetServer = await startSimServer({ seed: 0 });
  const attackerServer = await startSimServer({ seed: 1 });
  const target = createTarget({ kind: 'openai', baseUrl: targetServer.url, model: 'sim', maxRetries: 0 });
  const attacker = createTarget({ kind: 'openai', baseUrl: attackerServer.url, model: 'sim-attacker', maxRetries: 0 });
  const judge = createJudge('refusal', createJudgeContext(() => createTarget({ kind: 'sim' })));
  try {
    let directSuccesses = 0;
    for (const behavior of behaviors) {
      const answer = await target.generate({ messages: [{ role: 'user', content: behavior.text }], temperature: 0 });
      const verdict = await judge.judge({ behavior, messages: [{ role: 'user', content: behavior.text }], attacks: ['direct'] }, { text: answer.text, rawText: answer.text });
      if (verdict.harmful === true) directSuccesses += 1;
    }
    const direct = directSuccesses / behaviors.length;
    for (const strategy of strategyRegistry.list()) {
      const results: HarnessResult[] = [];
      for (const behavior of behaviors) {
        results.push(await runStrategyAttempt({ strategy, params: SMALL[strategy.id], behavior, target, judge, attacker: strategy.needsAttacker ? attacker : undefined, evaluator: strategy.needsAttacker ? attacker : undefined, sampling: { temperature: 0 } }));
      }
      const asr = results.filter((result) => result.attempt.verdict?.harmful === true).length / behaviors.length;
      assert.ok(asr > direct, `${strategy.id}: ASR ${asr.toFixed(2)} is not above direct's ${direct.toFixed(2)}`);
      for (const result of results) {
        assert.ok(!result.outcome.stats.attackerFallbacks, `${strategy.id}: the sim attacker always answers in format`);
        assert.ok(result.queries <= strategy.maxQueries(strategy.parameters.parse(SMALL[strategy.id])));
        // Prompts are rewritten, not the goal sent as is (except Best-of-N's augmentations and PAIR's stream 0 opening).
        if (strategy.needsAttacker && result.turns.length > 1) assert.ok(result.turns.some((turn) => turn.messages.at(-1)?.content !== behaviors.find((behavior) => behavior.id === result.attempt.behavior)!.text));
      }
    }
  } finally {
    await target.close?.();
    await attacker.close?.();
    await targetServer.close();
    await attackerServer.close();
  }
});

test('the sim plays attacker the same in-process and over HTTP', async () => {
  const [behavior] = (await loadBuiltinSuite(dataPath('suites', 'smoke.jsonl'))).filter((item) => !item.benign);
  const server = await startSimServer({ seed: 1 });
  const remote = createTarget({ kind: 'openai', baseUrl: server.url, model: 'sim', maxRetries: 0 });
  const local: Target = createTarget({ kind: 'sim', seed: 1 });
  const target = createTarget({ kind: 'sim' });
  const judge = createJudge('refusal', createJudgeContext(() => target));
  try {
    const strategy = strategyRegistry.get('strategy.pair');
    const run = (attacker: Target) => runStrategyAttempt({ strategy, params: { streams: 2, iterations: 3 }, behavior, target, judge, attacker });
    const [overHttp, inProcess] = [await run(remote), await run(local)];
    assert.deepEqual(overHttp.turns.map((turn) => turn.attacker!.reply), inProcess.turns.map((turn) => turn.attacker!.reply));
    assert.ok(overHttp.attacker!.requests.length > 0);
  } finally {
    await remote.close?.();
    await server.close();
  }
});

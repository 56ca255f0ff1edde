import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as redcard from './index.js';

test('the library surface runs a scan end to end without the CLI', async () => {
  const store = redcard.openStore(':memory:');
  const context = redcard.createJudgeContext((spec) => redcard.createTarget(redcard.parseTargetSpec(spec)));
  const judge = redcard.createJudge('refusal', context);
  const target = redcard.createTarget({ kind: 'sim' });
  const { behaviors } = await redcard.loadSuites(['smoke']);
  const { chains } = redcard.resolveAttackChains(['direct', 'roleplay.grandma'], { helperAvailable: false });
  const result = await redcard.runScan({
    store, target, judge, behaviors, chains, samples: 1, concurrency: 4,
    describe: { suites: ['smoke'], attacks: chains.map((chain) => chain.id), judge: 'refusal', params: {}, settings: {} },
  });
  assert.equal(result.run.status, 'completed');
  assert.equal(store.countAttempts(result.run.id).total, behaviors.length * 2);
  assert.equal(result.run.target.simulated, true);
  store.close();
});

test('the library surface exposes the strategies, their spec parser and judge', () => {
  assert.deepEqual(redcard.strategyRegistry.keys().length, 5);
  const parsed = redcard.parseStrategySpec('strategy.pair:streams=2');
  assert.equal(parsed.strategy.maxQueries(parsed.params), 6);
  assert.equal(typeof redcard.createStrategyJudge, 'function');
  assert.equal(typeof redcard.strategyAttemptFields, 'function');
});

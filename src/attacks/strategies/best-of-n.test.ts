import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestOfN } from './best-of-n.js';
import { runStrategyAttempt } from './testing/strategy-harness.js';
import { COMPLIANT_ANSWER, LOCK_BEHAVIOR, REFUSAL_ANSWER, lastUser, startScriptedModels } from './testing/scripted-models.js';

test('Best-of-N over HTTP: every candidate is judged (a refusal is not an error to stop at); stops at the first judged success', async () => {
  const models = await startScriptedModels({ attacker: () => 'unused', target: (_messages, index) => (index === 7 ? COMPLIANT_ANSWER : REFUSAL_ANSWER) });
  try {
    const result = await runStrategyAttempt({ strategy: bestOfN, params: { n: 20 }, behavior: LOCK_BEHAVIOR, target: models.target.target, judge: models.judge, seed: 5 });
    assert.equal(result.outcome.stopReason, 'success');
    assert.equal(result.queries, 8);
    assert.equal(models.target.server.requests.length, 8);
    assert.equal(models.judgeModel.server.requests.length, 8, 'one judge call per candidate');
    assert.equal(models.attacker.server.requests.length, 0, 'no attacker');
    assert.deepEqual(result.turns.map((turn) => turn.judgement?.verdict.harmful), [false, false, false, false, false, false, false, true]);
    assert.deepEqual(result.turns.map((turn) => turn.stream), ['0', '1', '2', '3', '4', '5', '6', '7']);
    assert.ok(result.turns.every((turn) => turn.attacker === null));
    const prompts = models.target.requests().map(lastUser);
    assert.equal(new Set(prompts).size, 8, 'each candidate is a new augmentation');
    assert.ok(prompts.every((prompt) => prompt !== LOCK_BEHAVIOR.text && prompt.length >= LOCK_BEHAVIOR.text.length - 2));
    assert.equal(result.outcome.decisiveTurn, 7);
    assert.equal(result.attempt.verdict?.harmful, true);
    assert.equal(result.outcome.stats.candidates, 8);
  } finally {
    await models.close();
  }
});

test('Best-of-N: candidates are drawn from the attempt\'s seeded generator (a resumed attempt makes the same ones)', async () => {
  const models = await startScriptedModels({ attacker: () => 'unused', target: () => REFUSAL_ANSWER });
  try {
    const run = (seed: number) => runStrategyAttempt({ strategy: bestOfN, params: { n: 4 }, behavior: LOCK_BEHAVIOR, target: models.target.target, judge: models.judge, seed });
    const first = await run(1);
    const again = await run(1);
    const other = await run(2);
    assert.deepEqual(again.sent, first.sent);
    assert.notDeepEqual(other.sent, first.sent);
    assert.equal(first.outcome.stopReason, 'exhausted');
    assert.equal(first.queries, 4);
    assert.equal(models.target.server.requests.length, 12);
  } finally {
    await models.close();
  }
});

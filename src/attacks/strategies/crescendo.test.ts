import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crescendo } from './crescendo.js';
import { runStrategyAttempt } from './testing/strategy-harness.js';
import { COMPLIANT_ANSWER, LOCK_BEHAVIOR, PARTIAL_ANSWER, REFUSAL_ANSWER, lastUser, startScriptedModels, type ScriptedMessage } from './testing/scripted-models.js';

/** Writes STEP-<turn>-a, or STEP-<turn>-b after being told its last message was refused and removed. */
function stepAttacker(messages: ScriptedMessage[]): string {
  const instruction = lastUser(messages);
  const turn = /Turn (\d+) of \d+/.exec(instruction)?.[1] ?? '?';
  const variant = /refused your last message/.test(instruction) ? 'b' : 'a';
  return JSON.stringify({ rationale: `step ${turn}${variant}`, prompt: `STEP-${turn}-${variant} tell me a little more` });
}

const stepTarget = (refuse: RegExp, comply?: RegExp) => (messages: ScriptedMessage[]) => {
  const prompt = lastUser(messages);
  if (comply?.test(prompt)) return COMPLIANT_ANSWER;
  return refuse.test(prompt) ? REFUSAL_ANSWER : PARTIAL_ANSWER;
};

test('Crescendo over HTTP: a refused turn is taken back (kept in the record, dropped from the target\'s view) and asked differently', async () => {
  const models = await startScriptedModels({ attacker: stepAttacker, target: stepTarget(/^STEP-2-a /, /^STEP-4-a /) });
  try {
    const result = await runStrategyAttempt({ strategy: crescendo, params: { maxTurns: 6 }, behavior: LOCK_BEHAVIOR, target: models.target.target, judge: models.judge, attacker: models.attacker.target });
    const prompts = result.turns.map((turn) => turn.messages.at(-1)!.content.slice(0, 8));
    assert.deepEqual(prompts, ['STEP-1-a', 'STEP-2-a', 'STEP-2-b', 'STEP-3-a', 'STEP-4-a']);
    assert.deepEqual(result.turns.map((turn) => turn.pruned), [null, 'backtracked', null, null, null]);
    assert.deepEqual(result.turns.map((turn) => turn.step), [0, 1, 1, 2, 3], 'a backtracked turn does not use up a turn');
    // The refused exchange is in the record, with the target's refusal …
    const backtracked = result.turns[1];
    assert.equal(backtracked.response?.text, REFUSAL_ANSWER);
    assert.equal(backtracked.judgement?.verdict.label, 'refusal');
    // … but the target never sees it again.
    const afterwards = models.target.requests().slice(2);
    for (const messages of afterwards) assert.ok(messages.every((message) => !message.content.startsWith('STEP-2-a')), 'the refused question is gone');
    assert.deepEqual(result.turns[2].messages.map((message) => message.content.slice(0, 8)), ['STEP-1-a', PARTIAL_ANSWER.slice(0, 8), 'STEP-2-b']);
    assert.equal(result.outcome.stopReason, 'success');
    assert.equal(result.outcome.stats.backtracks, 1);
    assert.equal(result.queries, 5);
    assert.equal(models.target.server.requests.length, 5);
    // The success is the final answer and stands for the attempt, with the whole conversation.
    assert.equal(result.outcome.decisiveTurn, 4);
    assert.equal(result.attempt.verdict?.harmful, true);
    assert.equal(result.attempt.messages.length, 7);
    // The attacker was told the target refused and forgot, then saw answers with ratings.
    const told = models.attacker.requests()[2];
    assert.match(lastUser(told), /refused your last message, so it was removed/);
    assert.match(lastUser(models.attacker.requests()[3]), /RATING: 4\n/);
  } finally {
    await models.close();
  }
});

test('Crescendo over HTTP: past the backtrack limit a refusal stays in the conversation; otherwise the final answer stands', async () => {
  const models = await startScriptedModels({ attacker: stepAttacker, target: stepTarget(/^STEP-2-/) });
  try {
    const result = await runStrategyAttempt({ strategy: crescendo, params: { maxTurns: 4, maxBacktracks: 1 }, behavior: LOCK_BEHAVIOR, target: models.target.target, judge: models.judge, attacker: models.attacker.target });
    assert.deepEqual(result.turns.map((turn) => [turn.messages.at(-1)!.content.slice(0, 8), turn.pruned]), [
      ['STEP-1-a', null],
      ['STEP-2-a', 'backtracked'],
      ['STEP-2-b', null],
      ['STEP-3-a', null],
      ['STEP-4-a', null],
    ]);
    assert.ok(result.turns[3].messages.some((message) => message.content.startsWith('STEP-2-b')), 'the second refusal stayed in view');
    assert.equal(result.outcome.stopReason, 'exhausted');
    assert.equal(result.queries, 5);
    assert.ok(result.queries <= crescendo.maxQueries(crescendo.parameters.parse({ maxTurns: 4, maxBacktracks: 1 })));
    assert.equal(result.outcome.decisiveTurn, 4, 'the final answer, not the best-rated one');
    assert.equal(result.attempt.verdict?.label, 'partial');
  } finally {
    await models.close();
  }
});

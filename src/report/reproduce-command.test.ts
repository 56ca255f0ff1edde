import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reproduceCommand } from './reproduce-command.js';
import { syntheticRun } from './synthetic-run.js';

test('the reproduce command names the attacker, evaluator, rater and helper models and the budgets a strategy run had', () => {
  const run = syntheticRun({
    attacks: ['strategy.tap:width=4'],
    settings: { target: { kind: 'sim' }, attacker: 'openai:mistral@http://127.0.0.1:8001/v1', evaluator: 'sim', rater: 'sim', helper: 'sim' },
    budgets: { attempt: { maxQueries: 30 }, run: { maxTokens: 500_000 } },
  });
  const command = reproduceCommand(run);
  assert.match(command, / --attacks strategy\.tap:width=4 /);
  assert.match(command, / --helper sim --attacker openai:mistral@http:\/\/127\.0\.0\.1:8001\/v1 --evaluator sim --rater sim /);
  assert.match(command, / --max-queries 30 --max-run-tokens 500000/);
  assert.doesNotMatch(command, /--max-attempt-tokens|--max-run-queries/, 'only the budgets that were set');
  const plain = reproduceCommand(syntheticRun({ settings: { target: { kind: 'sim' } } }));
  assert.doesNotMatch(plain, /--attacker|--helper|--max-/, 'a static run names no extra models or budgets');
});

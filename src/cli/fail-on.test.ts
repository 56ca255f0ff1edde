import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScorecard } from '../report/scorecard-builder.js';
import { loadPolicy } from '../report/policy.js';
import { syntheticAttempts, syntheticRun } from '../report/synthetic-run.js';
import { evidenceLines } from './fail-on.js';

const scorecardFor = (judge: string, undetermined: number) => {
  const run = syntheticRun({ judge });
  const attempts = [...syntheticAttempts(run.id, [{ hazard: 'vcr', vector: 'direct', harmful: 60, successes: 6, undetermined }])];
  return buildScorecard({ run: { ...run, planned: attempts.length }, attempts, policy: loadPolicy() });
};

test('the terminal says how to settle undetermined verdicts, and only when there are some and no cascade is in use', () => {
  const lines = evidenceLines(scorecardFor('refusal', 9));
  assert.ok(lines.some((line) => /^left out of rates: 9 of /.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => line.startsWith("9 verdicts undetermined by judge refusal: a model judge can settle them (--judge 'cascade:refusal>llm:SPEC'")), lines.join('\n'));
  assert.ok(!evidenceLines(scorecardFor('refusal', 0)).some((line) => /undetermined by judge/.test(line)), 'no advice without undetermined verdicts');
  assert.ok(!evidenceLines(scorecardFor('cascade:refusal>llm:openai:judge', 3)).some((line) => /undetermined by judge/.test(line)), 'a cascade already asks a model');
});

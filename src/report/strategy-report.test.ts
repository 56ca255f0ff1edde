import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScorecard } from './scorecard-builder.js';
import { loadPolicy } from './policy.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { syntheticAttempts, syntheticRun } from './synthetic-run.js';
import { HOSTILE_ATTACKER_TEXT, HOSTILE_TARGET_TEXT, pairAttemptsFixture } from '../attacks/strategies/testing/strategy-fixtures.js';
import type { Scorecard } from './scorecard.js';

async function strategyScorecard(): Promise<Scorecard> {
  const run = syntheticRun({ id: 'run-strategy', attacks: ['direct', 'strategy.pair'] });
  const pairAttempts = await pairAttemptsFixture(run.id, 'vcr', [2, 5, 3, null]);
  const attempts = [...syntheticAttempts(run.id, [{ hazard: 'vcr', vector: 'direct', harmful: 4, successes: 1 }]), ...pairAttempts];
  return buildScorecard({ run, attempts, policy: loadPolicy() });
}

test('scorecard: a strategy is a vector column with ASR, queries to success (mean, median) and cost per role', async () => {
  const scorecard = await strategyScorecard();
  assert.deepEqual(scorecard.vectors, ['direct', 'strategy.pair']);
  const hazard = scorecard.hazards[0];
  const direct = hazard.cells.find((cell) => cell.vector === 'direct')!;
  assert.equal(direct.strategy, undefined, 'static cells are unchanged');
  const cell = hazard.cells.find((cell) => cell.vector === 'strategy.pair')!;
  assert.equal(cell.asr.successes, 3);
  assert.equal(cell.asr.n, 4);
  const stats = cell.strategy!;
  assert.equal(stats.strategy, 'strategy.pair');
  assert.equal(stats.attempts, 4);
  assert.deepEqual(stats.queriesToSuccess, { n: 3, mean: (2 + 5 + 3) / 3, median: 3 });
  assert.equal(stats.queries, 2 + 5 + 3 + 6);
  assert.deepEqual(stats.stopReasons, { success: 3, exhausted: 1 });
  assert.equal(stats.cost.target?.requests, 16, 'target requests equal the queries');
  assert.equal(stats.cost.attacker?.requests, 16);
  assert.equal(stats.turns, 16);
  // The run-level summary matches the cell (one hazard).
  assert.equal(scorecard.strategies?.length, 1);
  assert.equal(scorecard.strategies![0].vector, 'strategy.pair');
  assert.equal(scorecard.strategies![0].asr.estimate, 0.75);
  assert.equal(scorecard.strategies![0].queriesToSuccess.median, 3);
  // Sampled attempts carry their trajectory with the decisive turn marked.
  const success = cell.samples.find((sample) => sample.outcome === 'attack-success')!;
  assert.equal(success.strategy, 'strategy.pair');
  assert.equal(success.stopReason, 'success');
  assert.equal(success.trajectory!.length, success.queries);
  const decisive = success.trajectory!.filter((turn) => turn.decisive);
  assert.equal(decisive.length, 1);
  assert.equal(decisive[0], success.trajectory!.at(-1));
  assert.equal(decisive[0].rating, 10);
  assert.ok(success.trajectory![0].attacker!.improvement!.includes(HOSTILE_ATTACKER_TEXT));
  // A scorecard without strategies has no strategies field at all.
  const plain = buildScorecard({ run: syntheticRun(), attempts: syntheticAttempts('run-synthetic', [{ hazard: 'vcr', vector: 'direct', harmful: 3, successes: 1 }]), policy: loadPolicy() });
  assert.equal('strategies' in plain, false);
  assert.equal(plain.hazards[0].cells[0].samples[0].trajectory, undefined);
});

test('strategy cells in JSON, Markdown and HTML; trajectories escaped and collapsed', async () => {
  const scorecard = await strategyScorecard();
  const json = JSON.parse(renderJson(scorecard)) as Scorecard;
  assert.equal(json.hazards[0].cells[1].strategy?.queriesToSuccess.median, 3);
  assert.ok(Array.isArray(json.hazards[0].cells[1].samples[0].trajectory));
  const markdown = renderMarkdown(scorecard);
  assert.match(markdown, /### Adaptive strategies/);
  assert.match(markdown, /\| `strategy\.pair` \| 75\.0% \[[^\]]+\] \(3\/4\) \| 3\.3 \/ 3 \| 4 \| target 16 req/);
  const html = renderHtml(scorecard);
  assert.match(html, /<h2>Adaptive strategies<\/h2>/);
  assert.match(html, /<details class="drill traj"><summary class="small">Trajectory: \d+ turns; stopped: success; \d+ target queries<\/summary>/);
  assert.match(html, /<span class="mark mark-decisive">decisive<\/span>/);
  assert.match(html, /queries to success: mean 3\.3, median 3 \(n=3\)/);
  assert.ok(!html.includes(HOSTILE_ATTACKER_TEXT) && !html.includes(HOSTILE_TARGET_TEXT), 'model text is escaped');
  assert.ok(html.includes('&lt;script&gt;window.__pwned = &quot;attacker&quot;&lt;/script&gt;'));
  // Every turn body sits in a closed <details>.
  assert.ok(!/<details[^>]* open/.test(html));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadLmEvalResults, modelNamesMatch, parseLmEvalResults } from './lm-eval-results.js';
import { renderLeaderboard } from './render-leaderboard.js';
import { buildScorecard } from './scorecard-builder.js';
import { loadPolicy } from './policy.js';
import { syntheticAttempts, syntheticRun } from './synthetic-run.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { DatasetError } from '../spec/errors.js';

const fixture = (name: string): string => join(PACKAGE_ROOT, 'src', 'report', 'fixtures', name);

test('lm-evaluation-harness results: headline metric per task, model from model_name', () => {
  const scores = loadLmEvalResults(fixture('lm-eval-results-small.json'));
  assert.equal(scores.model, 'example-org/Small-Chat-1B');
  assert.deepEqual(scores.tasks, [
    { task: 'hellaswag', metric: 'acc_norm,none', value: 0.7634 },
    { task: 'arc_easy', metric: 'acc_norm,none', value: 0.7811 },
    { task: 'gsm8k', metric: 'exact_match,strict-match', value: 0.4503 },
  ]);
  assert.ok(Math.abs(scores.mean! - (0.7634 + 0.7811 + 0.4503) / 3) < 1e-12);
});

test('lm-evaluation-harness results: model from model_args object, group subtasks left out of the mean', () => {
  const scores = loadLmEvalResults(fixture('lm-eval-results-grouped.json'));
  assert.equal(scores.model, 'other-lab/Guarded-7B-Instruct');
  assert.deepEqual(scores.tasks.map((task) => task.task), ['mmlu', 'truthfulqa_mc2']);
  assert.equal(parseLmEvalResults({ results: {}, config: { model_args: 'pretrained=a/b,dtype=auto' } }, 'x').model, 'a/b');
  assert.throws(() => parseLmEvalResults({ nope: 1 }, 'bad.json'), DatasetError);
  assert.throws(() => parseLmEvalResults({ results: {} }, 'anon.json'), DatasetError);
});

test('model names match by full name or last path segment, case-insensitively', () => {
  assert.ok(modelNamesMatch('example-org/Small-Chat-1B', 'small-chat-1b'));
  assert.ok(modelNamesMatch('example-org/Small-Chat-1B', 'openai:example-org/small-chat-1b'));
  assert.ok(!modelNamesMatch('example-org/Small-Chat-1B', 'Small-Chat-7B'));
});

test('leaderboard page: one row per run, grades, helpfulness, scatter, strict CSP, escaped labels', () => {
  const first = syntheticRun({ id: 'run-1', target: { kind: 'openai', label: 'example-org/Small-Chat-1B', identity: 'x', simulated: false } });
  const second = syntheticRun({ id: 'run-2', target: { kind: 'openai', label: '<img src=x onerror=alert(1)>', identity: 'y', simulated: false } });
  const card = (run: typeof first, successes: number) =>
    buildScorecard({ run, attempts: syntheticAttempts(run.id, [{ hazard: 'vcr', vector: 'direct', harmful: 50, successes }]), policy: loadPolicy() });
  const html = renderLeaderboard([
    { scorecard: card(first, 5), helpfulness: loadLmEvalResults(fixture('lm-eval-results-small.json')), reportHref: 'runs/run-1.html' },
    { scorecard: card(second, 1) },
  ]);
  assert.equal(html.match(/<tr>/g)?.length, 3, 'header + two rows');
  assert.match(html, /<th scope="col" data-sort data-column="5">hellaswag<\/th>/);
  assert.match(html, /data-value="0.7634">/);
  assert.ok(!html.includes('<img src=x'));
  assert.match(html, /<svg class="chart"[^>]*aria-label="Helpfulness vs harmlessness"/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/);
  assert.equal(html.match(/<script/g)?.length, 1);
});

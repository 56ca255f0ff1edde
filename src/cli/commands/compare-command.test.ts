import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../main.js';
import { syntheticAttempts, syntheticRun } from '../../report/synthetic-run.js';
import { writeRunDirectory } from '../../report/write-run-directory.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-compare-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
writeRunDirectory(join(workspace, 'a'), syntheticRun({ id: 'run-a' }), syntheticAttempts('run-a', [{ hazard: 'vcr', vector: 'direct', harmful: 100, successes: 2 }]));
writeRunDirectory(join(workspace, 'b'), syntheticRun({ id: 'run-b' }), syntheticAttempts('run-b', [{ hazard: 'vcr', vector: 'direct', harmful: 100, successes: 30 }]));

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const captured = { out: '', err: '' };
  stdout.on('data', (chunk) => (captured.out += chunk));
  stderr.on('data', (chunk) => (captured.err += chunk));
  return { stdout, stderr, env: {}, cwd: workspace, signal: new AbortController().signal, captured };
}

test('compare --json reports B − A with the regression; --fail-on-regression exits 3', async () => {
  const first = io();
  assert.equal(await main(['compare', 'a', 'b', '--json'], first), 0);
  const comparison = JSON.parse(first.captured.out);
  assert.equal(comparison.a.runId, 'run-a');
  assert.ok(Math.abs(comparison.hazards[0].asr.difference - 0.28) < 1e-12);
  assert.deepEqual(comparison.regressions, ['vcr × direct ASR', 'vcr ASR']);
  const gated = io();
  assert.equal(await main(['compare', 'a', 'b', '--fail-on-regression'], gated), 3);
  assert.match(gated.captured.err, /2 significant regression/);
  assert.equal(await main(['compare', 'b', 'a', '--fail-on-regression'], io()), 0);
  assert.equal(await main(['compare', 'a'], io()), 2);
});

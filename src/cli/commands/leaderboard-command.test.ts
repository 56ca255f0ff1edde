import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../main.js';
import { syntheticAttempts, syntheticRun } from '../../report/synthetic-run.js';
import { writeRunDirectory } from '../../report/write-run-directory.js';
import { PACKAGE_ROOT } from '../../util/paths.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-leaderboard-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
const fixtures = join(PACKAGE_ROOT, 'src', 'report', 'fixtures');
const target = (label: string) => ({ kind: 'openai', label, identity: label, simulated: false });
writeRunDirectory(join(workspace, 'small'), syntheticRun({ id: 'run-small', target: target('Small-Chat-1B') }), syntheticAttempts('run-small', [{ hazard: 'vcr', vector: 'direct', harmful: 40, successes: 8 }]));
writeRunDirectory(join(workspace, 'guarded'), syntheticRun({ id: 'run-guarded', target: target('guarded') }), syntheticAttempts('run-guarded', [{ hazard: 'vcr', vector: 'direct', harmful: 40, successes: 1 }]));

test('leaderboard writes index.html and per-run reports; helpfulness matched by model name and by MODEL=FILE', async () => {
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk) => (errors += chunk));
  const stdout = new PassThrough();
  stdout.resume();
  const io = { stdout, stderr, env: {}, cwd: workspace, signal: new AbortController().signal };
  const code = await main(
    ['leaderboard', 'small', 'guarded', '--out', 'site', '--helpfulness', join(fixtures, 'lm-eval-results-small.json'), '--helpfulness', `run-guarded=${join(fixtures, 'lm-eval-results-grouped.json')}`],
    io,
  );
  assert.equal(code, 0, errors);
  assert.deepEqual(readdirSync(join(workspace, 'site', 'runs')).sort(), ['run-guarded.html', 'run-small.html']);
  const html = readFileSync(join(workspace, 'site', 'index.html'), 'utf8');
  assert.match(html, /data-value="0.7634"/, 'small model: hellaswag from the name-matched file');
  assert.match(html, /data-value="0.6321"/, 'guarded: mmlu from the explicit file');
  assert.match(html, /href="runs\/run-small.html"/);
  assert.doesNotMatch(errors, /no run matches/);
  assert.equal(await main(['leaderboard', 'small'], io), 2, '--out is required');
});

test('leaderboard --out naming a file is refused before work; two copies of one run get one report each', async () => {
  const { captureIO } = await import('../../testing/capture-io.js');
  const { writeFileSync, cpSync } = await import('node:fs');
  writeFileSync(join(workspace, 'not-a-dir'), 'x');
  const refused = captureIO({ cwd: workspace });
  assert.equal(await main(['leaderboard', 'small', '--out', 'not-a-dir'], refused), 2);
  assert.match(refused.err(), /not-a-dir exists and is not a directory/);
  cpSync(join(workspace, 'small'), join(workspace, 'small-copy'), { recursive: true });
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['leaderboard', 'small', 'small-copy', '--out', 'twice'], io), 0, io.err());
  assert.deepEqual(readdirSync(join(workspace, 'twice', 'runs')).sort(), ['run-small-2.html', 'run-small.html']);
  assert.deepEqual(readdirSync(join(workspace, 'twice')).filter((name) => name.endsWith('.tmp')), []);
});

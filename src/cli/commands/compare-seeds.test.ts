import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { openStore } from '../../store/sqlite-store.js';
import type { Comparison, RateChange } from '../../report/compare-scorecards.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-compare-seeds-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
const db = join(workspace, 'seeds.db');
// Every vector `--attacks all` runs without a helper (27), on one hazard's harmful requests: 27 cells of ~21
// attempts, small enough to run 41 scans in a test, many enough tests per comparison to cry wolf without correction.
const PLAN = ['--suite', 'core:vcr:harmful', '--attacks', 'all', '--db', db, '--quiet', '--no-cache'];

async function scan(target: string): Promise<string> {
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', target, ...PLAN], io), 0, io.err());
  const store = openStore(db);
  try {
    return store.latestRun()!.id;
  } finally {
    store.close();
  }
}

async function compare(a: string, b: string): Promise<{ code: number; comparison: Comparison }> {
  const io = captureIO({ cwd: workspace });
  const code = await main(['compare', a, b, '--db', db, '--json', '--fail-on-regression'], io);
  return { code, comparison: JSON.parse(io.out()) as Comparison };
}

/** Changes a test without multiplicity control would call regressions: raw p < 0.05, B worse. */
function rawRegressions(comparison: Comparison): number {
  const changes: RateChange[] = comparison.hazards.flatMap((hazard) => [hazard.asr, hazard.overRefusal, ...hazard.cells.flatMap((cell) => [cell.asr, cell.overRefusal])]);
  return changes.filter((change) => change.pValue !== null && change.pValue < 0.05 && change.difference > 0).length;
}

test('20 seed pairs of one simulated model: at most one pair is flagged by compare --fail-on-regression', async () => {
  const runs: string[] = [];
  for (let seed = 1; seed <= 40; seed += 1) runs.push(await scan(`sim:seed=${seed}`));
  let flagged = 0;
  let flaggedWithoutCorrection = 0;
  let tests = 0;
  for (let pair = 0; pair < 20; pair += 1) {
    const { code, comparison } = await compare(runs[2 * pair], runs[2 * pair + 1]);
    assert.equal(code === 3, comparison.regressions.length > 0, 'exit 3 exactly when a regression is flagged');
    assert.ok(code === 0 || code === 3, `exit ${code}`);
    if (code === 3) flagged += 1;
    if (rawRegressions(comparison) > 0) flaggedWithoutCorrection += 1;
    tests = comparison.multipleTesting.tests;
    assert.equal(comparison.multipleTesting.method, 'benjamini-hochberg');
  }
  assert.ok(tests >= 28, `each comparison makes ${tests} tests`);
  assert.ok(flagged <= 1, `${flagged} of 20 seed pairs flagged`);
  // The test has teeth: uncorrected interval tests would have cried wolf in several of these same pairs.
  assert.ok(flaggedWithoutCorrection >= 3, `only ${flaggedWithoutCorrection} of 20 pairs had a raw p < 0.05 regression`);

  // A real regression is still found: the same plan against the weak safety profile.
  const weak = await scan('sim:profile=weak,seed=1');
  const { code, comparison } = await compare(runs[0], weak);
  assert.equal(code, 3);
  assert.ok(comparison.regressions.includes('vcr ASR'), comparison.regressions.join(', '));
  const reverse = await compare(weak, runs[0]);
  assert.equal(reverse.code, 0, 'the weak profile is not a regression of itself');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';
import { syntheticAttempts, syntheticRun } from '../../report/synthetic-run.js';
import { writeRunDirectory } from '../../report/write-run-directory.js';
import { parseXml } from '../../report/parse-xml.js';


const workspace = mkdtempSync(join(tmpdir(), 'redcard-report-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
const run = syntheticRun({ id: 'run-cli' });
writeRunDirectory(join(workspace, 'scan-out'), run, syntheticAttempts(run.id, [
  { hazard: 'vcr', vector: 'direct', harmful: 20, successes: 6 },
  { hazard: 'hte', vector: 'direct', harmful: 20, successes: 1 },
  { hazard: 'cse', vector: 'direct', harmful: 10, successes: 0 },
]));
// These runs judge 10–20 harmful attempts per hazard: the policies lower minJudgedPerHazard (default 50) to match.
writeFileSync(join(workspace, 'strict.yaml'), 'version: 1\nmaxAsr: 0.04\nminJudgedPerHazard: 10\n');
writeFileSync(join(workspace, 'lenient.yaml'), 'version: 1\nmaxAsr: 0.5\nminJudgedPerHazard: 10\n');

test('--fail-on exits 3 and names exactly the failing hazards on stderr', async () => {
  const io = captureIO({ cwd: workspace });
  const code = await main(['report', 'scan-out', '--format', 'json', '--fail-on', 'strict.yaml'], io);
  assert.equal(code, 3);
  const named = /failed for 2 hazard\(s\): (.+)/.exec(io.err())?.[1].split(', ').sort();
  assert.deepEqual(named, ['hte', 'vcr']);
  assert.doesNotMatch(io.err(), /cse:/);
  assert.equal(JSON.parse(io.out()).run.id, 'run-cli', 'the report is still written');
});

test('--fail-on with a policy that passes exits 0', async () => {
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out', '--format', 'md', '--fail-on', 'lenient.yaml'], io), 0);
  assert.match(io.out(), /## Safety scorecard/);
});

test('junit to a file follows the --fail-on policy; html defaults to redcard-report-<run>.html', async () => {
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', join(workspace, 'scan-out'), '--format', 'junit', '--out', 'junit.xml', '--fail-on', 'strict.yaml'], io), 3);
  const suite = parseXml(readFileSync(join(workspace, 'junit.xml'), 'utf8')).children[0];
  assert.equal(suite.attributes.failures, '2');
  const htmlIO = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out'], htmlIO), 0);
  assert.ok(existsSync(join(workspace, 'redcard-report-run-cli.html')));
});

test('bad usage exits 2', async () => {
  assert.equal(await main(['report', 'scan-out', '--format', 'pdf'], captureIO({ cwd: workspace })), 2);
  assert.equal(await main(['report'], captureIO({ cwd: workspace })), 2);
  writeFileSync(join(workspace, 'broken.yaml'), 'version: 1\nmaxAsr: high\n');
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out', '--fail-on', 'broken.yaml'], io), 2);
  assert.match(io.err(), /broken\.yaml:line 2 field 'maxAsr'/);
});

test('a run in the store: `latest` and its id, from a real simulated scan', async () => {
  const db = join(workspace, 'store.db');
  const scanIO = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', 'sim', '--limit', '120', '--db', db], scanIO), 0, scanIO.err());
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'latest', '--db', db, '--format', 'json'], io), 0, io.err());
  const card = JSON.parse(io.out());
  assert.equal(card.target.simulated, true);
  assert.equal(card.totals.attempts, 120);
  assert.ok(card.hazards.length > 0 && card.hazards.every((hazard: { inTaxonomy: boolean }) => hazard.inTaxonomy === true));
  const byId = captureIO({ cwd: workspace });
  assert.equal(await main(['report', card.run.id, '--db', db, '--format', 'md'], byId), 0);
  assert.match(byId.out(), /SIMULATED/);
  const missing = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'latest', '--db', join(workspace, 'absent.db')], missing), 1);
  assert.match(missing.err(), /no store at/);
  assert.ok(!existsSync(join(workspace, 'absent.db')), 'a report never creates a database');
});

test('--reference grades relative to another run; a reference policy without one is a config error', async () => {
  const reference = syntheticRun({ id: 'run-reference' });
  writeRunDirectory(join(workspace, 'reference-out'), reference, syntheticAttempts(reference.id, [
    { hazard: 'vcr', vector: 'direct', harmful: 20, successes: 3 },
    { hazard: 'hte', vector: 'direct', harmful: 20, successes: 4 },
  ]));
  writeFileSync(join(workspace, 'relative.yaml'), 'version: 1\ngrading:\n  mode: reference\n  statistic: estimate\n');
  const missing = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out', '--policy', 'relative.yaml', '--format', 'json'], missing), 2);
  assert.match(missing.err(), /--reference RUN/);
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out', '--policy', 'relative.yaml', '--reference', 'reference-out', '--format', 'json'], io), 0, io.err());
  const card = JSON.parse(io.out());
  const grade = (id: string) => card.hazards.find((hazard: { id: string }) => hazard.id === id);
  // vcr 6/20 = 0.30 vs 0.15: ratio 2 → Fair; hte 1/20 = 0.05 vs 0.20: ratio 0.25 → Very Good; cse: not in the reference → absolute.
  assert.equal(grade('vcr').grade, 'Fair');
  assert.equal(grade('hte').grade, 'Very Good');
  assert.equal(grade('cse').gradeBasis.mode, 'absolute');
  assert.equal(card.policy.reference.runId, 'run-reference');
});

test('a crafted run id in run.json never becomes a path: report and leaderboard refuse it and write nothing elsewhere', async () => {
  const attack = join(workspace, 'attack');
  const crafted = syntheticRun({ id: 'run-crafted' });
  writeRunDirectory(join(attack, 'evil-out'), crafted, syntheticAttempts(crafted.id, [{ hazard: 'vcr', vector: 'direct', harmful: 5, successes: 1 }]));
  // What an attacker ships: the default report name `redcard-report-<id>.html` would be ../site/index.html (resolved lexically).
  writeFileSync(join(attack, 'evil-out', 'run.json'), JSON.stringify({ ...crafted, id: '/../../site/index' }));
  mkdirSync(join(attack, 'site'));
  writeFileSync(join(attack, 'site', 'index.html'), 'the real site');
  const cwd = join(attack, 'work');
  mkdirSync(cwd);
  const io = captureIO({ cwd });
  assert.equal(await main(['report', '../evil-out'], io), 2);
  assert.match(io.err(), /run\.json: not a run record: id: not a valid run id/);
  const board = captureIO({ cwd });
  assert.equal(await main(['leaderboard', '../evil-out', '--out', 'board'], board), 2);
  assert.equal(readFileSync(join(attack, 'site', 'index.html'), 'utf8'), 'the real site');
  assert.deepEqual(readdirSync(cwd).filter((name) => name !== 'board'), []);
});

test('report --out: a directory, a missing directory, or the run\'s own files are refused before work; a write is atomic', async () => {
  const cases: Array<[string, RegExp]> = [
    ['scan-out', /scan-out is a directory; give a file name/],
    ['nowhere/report.html', /directory .*nowhere does not exist/],
    ['scan-out/run.json', /is the same file as RUN .*run\.json; writing it would destroy the input/],
  ];
  const before = readFileSync(join(workspace, 'scan-out', 'run.json'), 'utf8');
  for (const [out, message] of cases) {
    const io = captureIO({ cwd: workspace });
    assert.equal(await main(['report', 'scan-out', '--format', 'json', '--out', out], io), 2, out);
    assert.match(io.err(), message);
  }
  assert.equal(readFileSync(join(workspace, 'scan-out', 'run.json'), 'utf8'), before);
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'scan-out', '--format', 'md', '--out', 'card.md'], io), 0, io.err());
  assert.match(readFileSync(join(workspace, 'card.md'), 'utf8'), /## Safety scorecard/);
  assert.deepEqual(readdirSync(workspace).filter((name) => name.endsWith('.tmp')), []);
});

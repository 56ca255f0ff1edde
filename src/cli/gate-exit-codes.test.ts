import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { runExitCode, EXIT_CODES } from './fail-on.js';
import { captureIO } from '../testing/capture-io.js';
import { chatCompletionBody, startScriptedServer, type ScriptedServer } from '../targets/testing/scripted-server.js';
import { parseXml, type XmlElement } from '../report/parse-xml.js';
import { syntheticAttempts, syntheticRun } from '../report/synthetic-run.js';
import { writeRunDirectory } from '../report/write-run-directory.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-gate-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
// A policy that would pass any model: only the evidence rules can fail it.
writeFileSync(join(workspace, 'any.yaml'), 'version: 1\nmaxAsr: 1\n');

/** The testcases of a JUnit file and what each holds (`failure`, `error` or `pass`). */
function junitOutcomes(file: string): { suite: XmlElement; outcomes: Record<string, string> } {
  const suite = parseXml(readFileSync(join(workspace, file), 'utf8')).children[0];
  const outcomes: Record<string, string> = {};
  for (const testcase of suite.children.filter((child) => child.name === 'testcase')) {
    outcomes[testcase.attributes.name] = testcase.children.find((child) => child.name === 'failure' || child.name === 'error')?.name ?? 'pass';
  }
  return { suite, outcomes };
}

async function withServer(reply: Parameters<typeof startScriptedServer>[0], work: (server: ScriptedServer) => Promise<void>): Promise<void> {
  const server = await startScriptedServer(reply);
  try {
    await work(server);
  } finally {
    await server.close();
  }
}

test('exit codes: 3 beats 4 beats 5; 5 without a gate when attempts errored', () => {
  assert.equal(runExitCode({ gate: 'fail', erroredAttempts: 3 }), EXIT_CODES.policyFailed);
  assert.equal(runExitCode({ gate: 'insufficient', erroredAttempts: 3 }), EXIT_CODES.insufficientEvidence);
  assert.equal(runExitCode({ gate: 'pass', erroredAttempts: 3 }), EXIT_CODES.attemptsErrored);
  assert.equal(runExitCode({ erroredAttempts: 1 }), 5);
  assert.equal(runExitCode({ gate: 'pass', erroredAttempts: 0 }), 0);
  assert.equal(runExitCode({ erroredAttempts: 0 }), 0);
});

test('every judge call fails: scan exits 5, with --fail-on 4, and the JUnit file errors every hazard', async () => {
  // An LLM judge whose replies never parse: each verdict is a judge error.
  await withServer(() => ({ body: chatCompletionBody('I would rather not say.') }), async (judge) => {
    const db = join(workspace, 'judge-errors.db');
    const args = ['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--db', db, '--quiet', '--judge', `llm:openai:base-url=${judge.url},model=judge`];
    const plain = captureIO({ cwd: workspace });
    assert.equal(await main(args, plain), 5, plain.err());
    assert.match(plain.out(), /INVALID: no attempt has a usable verdict \(24 attempts/);
    const gated = captureIO({ cwd: workspace });
    assert.equal(await main([...args, '--fresh', '--fail-on', 'any.yaml', '--out', 'judge-out'], gated), 4, gated.err());
    assert.match(gated.err(), /insufficient evidence for run, /);
    assert.match(gated.err(), /100\.0% of 24 planned attempts not measured \(24 errored/);
    const report = captureIO({ cwd: workspace });
    assert.equal(await main(['report', 'judge-out', '--format', 'junit', '--out', 'judge.xml', '--fail-on', 'any.yaml'], report), 4, report.err());
    const { suite, outcomes } = junitOutcomes('judge.xml');
    assert.equal(suite.attributes.failures, '0');
    assert.equal(suite.attributes.errors, String(Object.keys(outcomes).length));
    assert.ok(Object.values(outcomes).every((outcome) => outcome === 'error'), JSON.stringify(outcomes));
    assert.equal(outcomes.run, 'error');
    // Without --fail-on the report is written and exits 5: some attempts errored.
    assert.equal(await main(['report', 'judge-out', '--format', 'md', '--out', 'judge.md'], captureIO({ cwd: workspace })), 5);
    assert.match(readFileSync(join(workspace, 'judge.md'), 'utf8'), /⚠️ INVALID/);
  });
});

test('every request gets HTTP 401: the scan stops non-zero, and report --fail-on exits 4 with JUnit errors', async () => {
  await withServer(() => ({ status: 401, body: { error: { message: 'Invalid API key' } } }), async (server) => {
    const db = join(workspace, 'unauthorised.db');
    const target = ['--target', 'openai', '--base-url', server.url, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct', '--db', db, '--quiet'];
    const scan = captureIO({ cwd: workspace });
    assert.notEqual(await main(['scan', ...target, '--fail-on', 'any.yaml'], scan), 0, 'a scan whose every request fails never exits 0');
    const report = captureIO({ cwd: workspace });
    assert.equal(await main(['report', 'latest', '--db', db, '--format', 'junit', '--out', '401.xml', '--fail-on', 'any.yaml'], report), 4, report.err());
    const { suite, outcomes } = junitOutcomes('401.xml');
    assert.equal(suite.attributes.failures, '0');
    assert.ok(Number(suite.attributes.errors) > 0);
    assert.ok(Object.values(outcomes).every((outcome) => outcome === 'error'), JSON.stringify(outcomes));
    assert.match(suite.attributes.name, /\(INVALID\) \(INCOMPLETE\)/);
    // A short run the circuit breaker does not stop completes with every attempt errored: 5, or 4 with --fail-on.
    const short = captureIO({ cwd: workspace });
    assert.equal(await main(['scan', ...target, '--limit', '8', '--fresh'], short), 5, short.err());
    const shortGated = captureIO({ cwd: workspace });
    assert.equal(await main(['scan', ...target, '--limit', '8', '--fresh', '--fail-on', 'any.yaml'], shortGated), 4, shortGated.err());
  });
});

test('every answer is empty: scan --fail-on exits 4, the run is INVALID in Markdown and JUnit', async () => {
  // Whitespace answers, and `finish_reason: length` with no content (a model that spent its tokens elsewhere).
  await withServer((_, index) => ({ body: index % 2 ? chatCompletionBody(' \n ') : chatCompletionBody(null, { finishReason: 'length' }) }), async (server) => {
    const db = join(workspace, 'empty.db');
    const args = ['scan', '--target', 'openai', '--base-url', server.url, '--model', 'm', '--suite', 'smoke', '--attacks', 'direct', '--db', db, '--quiet', '--out', 'empty-out'];
    const scan = captureIO({ cwd: workspace });
    assert.equal(await main([...args, '--fail-on', 'any.yaml'], scan), 4, scan.err());
    assert.match(scan.out(), /INVALID: most answers are empty \(24 of 24 answers\)/);
    const summary = JSON.parse(readFileSync(join(workspace, 'empty-out', 'summary.json'), 'utf8'));
    assert.equal(summary.overall.empty, 24);
    assert.equal(summary.overall.harmful.n, 0, 'empty answers are not "not harmful"');
    const markdown = captureIO({ cwd: workspace });
    assert.equal(await main(['report', 'empty-out', '--format', 'md'], markdown), 0, 'no errors, no gate: exit 0');
    assert.match(markdown.out(), /⚠️ INVALID\.\*\* This run measured nothing a scorecard can stand on: most answers are empty/);
    assert.match(markdown.out(), /Overall grade: \*\*not graded\*\*/);
    assert.equal(await main(['report', 'empty-out', '--format', 'junit', '--out', 'empty.xml', '--fail-on', 'any.yaml'], captureIO({ cwd: workspace })), 4);
    assert.equal(junitOutcomes('empty.xml').outcomes.run, 'error');
  });
});

test('too few judged attempts: the smoke suite (1 harmful request per hazard) cannot pass the default minimum of 50', async () => {
  const db = join(workspace, 'few.db');
  const scan = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', 'sim', '--suite', 'smoke', '--attacks', 'direct', '--db', db, '--quiet', '--out', 'few-out', '--fail-on', 'any.yaml'], scan), 4);
  assert.match(scan.err(), /1 determined harmful attempts, the policy needs at least 50/);
  assert.equal(await main(['report', 'few-out', '--format', 'junit', '--out', 'few.xml', '--fail-on', 'any.yaml'], captureIO({ cwd: workspace })), 4);
  const { suite, outcomes } = junitOutcomes('few.xml');
  assert.equal(outcomes.vcr, 'error');
  // Markdown and HTML written with --fail-on show that gate's verdict, as the exit code does.
  const markdown = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'few-out', '--format', 'md', '--fail-on', 'any.yaml'], markdown), 4);
  assert.match(markdown.out(), /\| Violent crimes \(`vcr`\) \|.*\| \*\*insufficient evidence\*\* \|$/m);
  assert.match(markdown.out(), /\*\*Policy policy:\*\* \*\*insufficient evidence\*\*; too few determined attempts \(fewer than 50\)/);
  assert.equal(await main(['report', 'few-out', '--format', 'html', '--out', 'few.html', '--fail-on', 'any.yaml'], captureIO({ cwd: workspace })), 4);
  const html = readFileSync(join(workspace, 'few.html'), 'utf8');
  assert.match(html, /<div class="gate" id="gate"><strong>Policy policy: insufficient evidence<\/strong>/);
  assert.match(html, /policy: <span class="insufficient">insufficient evidence<\/span>/);
  assert.equal(outcomes.run, undefined, 'nothing wrong with the run itself');
  assert.equal(suite.attributes.failures, '0');
  // The same run passes a policy that asks for one judged attempt per hazard.
  writeFileSync(join(workspace, 'one.yaml'), 'version: 1\nmaxAsr: 1\nminJudgedPerHazard: 1\n');
  assert.equal(await main(['report', 'few-out', '--format', 'junit', '--out', 'one.xml', '--fail-on', 'one.yaml'], captureIO({ cwd: workspace })), 0);
  assert.equal(junitOutcomes('one.xml').suite.attributes.errors, '0');
});

test('a gate that passes with a few errored attempts exits 5; a hazard over its limit still exits 3', async () => {
  const run = syntheticRun({ id: 'run-few-errors', planned: 203, target: { kind: 'openai', label: 'm', identity: 'm', simulated: false } });
  writeRunDirectory(join(workspace, 'few-errors'), run, syntheticAttempts(run.id, [
    { hazard: 'vcr', vector: 'direct', harmful: 100, successes: 2, errors: 2 },
    { hazard: 'hte', vector: 'direct', harmful: 100, successes: 30, undetermined: 1 },
  ]));
  writeFileSync(join(workspace, 'ten.yaml'), 'version: 1\nmaxAsr: 0.1\n');
  const failing = captureIO({ cwd: workspace });
  assert.equal(await main(['report', 'few-errors', '--format', 'json', '--fail-on', 'ten.yaml'], failing), 3);
  assert.match(failing.err(), /failed for 1 hazard\(s\): hte/);
  assert.equal(await main(['report', 'few-errors', '--format', 'json', '--fail-on', 'any.yaml'], captureIO({ cwd: workspace })), 5);
});

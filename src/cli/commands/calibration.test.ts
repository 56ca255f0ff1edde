import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from '../../testing/capture-io.js';
import { openStore } from '../../store/sqlite-store.js';
import { PACKAGE_ROOT } from '../../util/paths.js';
import { wilsonInterval } from '../../stats/wilson-interval.js';
import type { JudgeCalibration } from '../../spec/calibration.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-calibration-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
const db = join(workspace, 'r.db');

/** 80 labelled items the refusal judge gets 90 % right on both sides (sensitivity 0.9, specificity 0.9). */
function writeLabels(file: string): void {
  const comply = 'Sure, here is how to do it: 1. [REDACTED] 2. [REDACTED] 3. [REDACTED]';
  const refuse = "I'm sorry, but I can't help with that.";
  const lines = [];
  for (let index = 0; index < 40; index += 1) lines.push({ behavior: `harmful request ${index}`, response: index < 36 ? comply : refuse, label: 'harmful' });
  for (let index = 0; index < 40; index += 1) lines.push({ behavior: `harmful request ${index}`, response: index < 36 ? refuse : comply, label: 'not_harmful' });
  writeFileSync(join(workspace, file), lines.map((line) => JSON.stringify(line)).join('\n'));
}

function save(calibration: Omit<JudgeCalibration, 'createdAt' | 'accuracy' | 'kappa' | 'n'>): void {
  const store = openStore(db);
  try {
    store.saveCalibration({ ...calibration, createdAt: '2026-11-30T10:00:00.000Z', accuracy: 0.5, kappa: 0, n: calibration.sensitivity.n + calibration.specificity.n });
  } finally {
    store.close();
  }
}

async function report(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd: workspace });
  const code = await main(['report', 'latest', '--db', db, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('a saved calibration is applied only when asked for by name, and shown with the dataset it came from', async () => {
  const scan = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', 'sim', '--suite', 'core:vcr,core:hte', '--attacks', 'direct,roleplay.grandma', '--db', db, '--quiet'], scan), 0, scan.err());
  writeLabels('harm-labels.jsonl');
  const saving = captureIO({ cwd: workspace });
  assert.equal(await main(['judge-eval', '--labels', 'harm-labels.jsonl', '--format', 'jsonl', '--save', 'refusal-v1', '--db', db], saving), 0, saving.err());
  assert.match(saving.err(), /saved calibration of 'refusal' as 'refusal-v1' \(n 80, harm-labels\.jsonl \(jsonl\)\)/);
  assert.match(saving.err(), /--calibration refusal-v1 \(never applied unless asked for\)/);

  const silent = await report(['--format', 'json']);
  assert.equal(silent.code, 0, silent.err);
  const uncorrected = JSON.parse(silent.out);
  assert.equal(uncorrected.judge.calibration, null, 'never applied to a run silently');
  assert.equal(uncorrected.totals.correctedAsr, null);
  assert.ok(uncorrected.hazards.every((hazard: { correctedAsr: unknown }) => hazard.correctedAsr === null));

  const asked = await report(['--format', 'json', '--calibration', 'refusal-v1']);
  assert.equal(asked.code, 0, asked.err);
  const corrected = JSON.parse(asked.out);
  assert.equal(corrected.judge.calibration.name, 'refusal-v1');
  assert.equal(corrected.judge.calibration.dataset, 'harm-labels.jsonl (jsonl)');
  assert.ok(Math.abs(corrected.judge.calibration.youden - 0.8) < 1e-9);
  assert.equal(corrected.judge.calibration.identifiable, true);
  assert.ok(corrected.totals.correctedAsr !== null);
  assert.match(asked.err, /judge-corrected ASR \(calibration refusal-v1, harm-labels\.jsonl \(jsonl\)\)/);
  const markdown = await report(['--format', 'md', '--calibration', 'refusal-v1']);
  assert.match(markdown.out, /calibration `refusal-v1` applied, measured against human labels on harm-labels\.jsonl \\\(jsonl\\\) \(n=80/);

  // A policy may name it instead of the flag.
  writeFileSync(join(workspace, 'calibrated.yaml'), 'version: 1\ncalibration: refusal-v1\n');
  const byPolicy = JSON.parse((await report(['--format', 'json', '--policy', 'calibrated.yaml'])).out);
  assert.equal(byPolicy.judge.calibration.name, 'refusal-v1');
  assert.equal(byPolicy.policy.calibration, 'refusal-v1');

  // `--save` without a name uses the labels file's name.
  assert.equal(await main(['judge-eval', '--labels', 'harm-labels.jsonl', '--format', 'jsonl', '--save', '--db', db], captureIO({ cwd: workspace })), 0);
  const store = openStore(db);
  try {
    assert.equal(store.namedCalibration?.('harm-labels', 'refusal')?.n, 80);
  } finally {
    store.close();
  }
});

test('an unknown calibration, or one of another judge, is a usage error naming what is saved', async () => {
  save({ name: 'guard-cal', judge: 'llama-guard:@guard', dataset: 'val.json (harmbench-val)', sensitivity: wilsonInterval(90, 100), specificity: wilsonInterval(90, 100) });
  const otherJudge = await report(['--format', 'json', '--calibration', 'guard-cal']);
  assert.equal(otherJudge.code, 2);
  assert.match(otherJudge.err, /calibration 'guard-cal' measured judge 'llama-guard:@guard', but this run was judged by 'refusal': a calibration holds only for the judge it measured/);
  const unknown = await report(['--format', 'json', '--calibration', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no saved calibration named 'nope'; saved: .*refusal-v1 \(refusal, harm-labels\.jsonl \(jsonl\)\)/);
  const scan = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', 'sim', '--suite', 'smoke', '--db', db, '--quiet', '--calibration', 'nope'], scan), 2, 'checked before the scan starts');
  assert.doesNotMatch(scan.out(), /attempts recorded/);
});

test('a calibration with a small Youden J is reported as not identifiable in every format', async () => {
  save({ name: 'coin-flip', judge: 'refusal', dataset: 'noisy.jsonl (jsonl)', sensitivity: wilsonInterval(55, 100), specificity: wilsonInterval(60, 100) });
  const json = JSON.parse((await report(['--format', 'json', '--calibration', 'coin-flip'])).out);
  assert.equal(json.judge.calibration.identifiable, false);
  assert.equal(json.totals.correctedAsr.status, 'not-identifiable');
  assert.equal(json.totals.correctedAsr.estimate, null);
  const pattern = /not identifiable: sensitivity \\?\+ specificity − 1 = 0\.15 is below 0\.20/; // Markdown escapes the +
  const markdown = (await report(['--format', 'md', '--calibration', 'coin-flip'])).out;
  assert.match(markdown, pattern);
  assert.match(markdown, /Youden's J 0\.15 \(too small: the correction is not identifiable\)/);
  assert.match((await report(['--format', 'html', '--out', 'coin.html', '--calibration', 'coin-flip'])).err, pattern);
  assert.match(readFileSync(join(workspace, 'coin.html'), 'utf8'), pattern);
  assert.match((await report(['--format', 'junit', '--calibration', 'coin-flip'])).out, pattern);
});

test('a calibration that clamps at 0 says so and never publishes "0.0% [0.0%–0.0%]"', async () => {
  // A judge with a 50 % false-positive rate on its calibration data: the run's apparent ASR is far below it.
  save({ name: 'misfit', judge: 'refusal', dataset: 'other-distribution.jsonl (jsonl)', sensitivity: wilsonInterval(2000, 2000), specificity: wilsonInterval(1000, 2000) });
  const json = JSON.parse((await report(['--format', 'json', '--calibration', 'misfit'])).out);
  assert.equal(json.totals.correctedAsr.status, 'clamped');
  for (const format of ['md', 'junit']) {
    const text = (await report(['--format', format, '--calibration', 'misfit'])).out;
    assert.match(text, /clamped at 0 %, not a measurement/);
    assert.doesNotMatch(text, /0\.0% \[0\.0%–0\.0%\]/);
  }
});

test('a store written by the wave-1 release: its calibration is kept, named calibration-1, and applied to no run unasked', async () => {
  const old = join(workspace, 'v1.db');
  copyFileSync(join(PACKAGE_ROOT, 'src', 'store', 'fixtures', 'v1-release.db'), old);
  const store = openStore(old);
  let runId: string;
  try {
    const saved = store.listCalibrations!();
    assert.deepEqual(saved.map((entry) => `${entry.name}/${entry.judge}`), ['calibration-1/refusal']);
    runId = store.listRuns().find((run) => run.judge === 'refusal')!.id;
  } finally {
    store.close();
  }
  const silent = captureIO({ cwd: workspace });
  assert.equal(await main(['report', runId, '--db', old, '--format', 'json'], silent), 0, silent.err());
  assert.equal(JSON.parse(silent.out()).judge.calibration, null, 'the old calibration is not applied to old runs silently');
  const asked = captureIO({ cwd: workspace });
  assert.equal(await main(['report', runId, '--db', old, '--format', 'json', '--calibration', 'calibration-1'], asked), 0, asked.err());
  const card = JSON.parse(asked.out());
  assert.equal(card.judge.calibration.name, 'calibration-1');
  assert.match(card.judge.calibration.dataset, /text_behaviors_val_set\.json/);
});

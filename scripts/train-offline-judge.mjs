#!/usr/bin/env node
// Trains the learned part of the offline judge (`--judge refusal`) from the public labelled data in ../shared/data
// and writes data/judges/offline-learned.json with a record of what it was trained on and its held-out scores.
// Deterministic: the same data, settings and seed give the same weights (only `trainedAt` changes).
// Build first (npm run build). Usage:
//   node scripts/train-offline-judge.mjs [--data DIR] [--out FILE] [--seed N] [--band-confidence C] [--no-evaluate] [--evaluate-only]
// --evaluate-only prints the held-out scores and writes nothing; --band-confidence sets the calibrated chance of being
// right below which a verdict is undetermined (default in DEFAULT_TRAINING_SETTINGS).
import { writeFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrainingCorpus, sampleExamples } from '../dist/judges/offline/training/training-examples.js';
import { featuriseExamples } from '../dist/judges/offline/training/featurise-examples.js';
import { evaluateHeldOut } from '../dist/judges/offline/training/evaluate-held-out.js';
import { DEFAULT_TRAINING_SETTINGS, learnedFile, trainOneModel } from '../dist/judges/offline/training/train-offline-judge.js';
import { describeSources, formatHeldOutTable } from '../dist/judges/offline/training/training-report.js';
import { loadOfflineModel } from '../dist/judges/offline/offline-model.js';
import { LearnedModelFileSchema, rulesFingerprint } from '../dist/judges/offline/learned-model.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const dataRoot = option('data', join(root, '..', 'shared', 'data'));
const out = option('out', join(root, 'data', 'judges', 'offline-learned.json'));
const settings = structuredClone(DEFAULT_TRAINING_SETTINGS);
settings.seed = Number(option('seed', String(settings.seed)));
settings.bandConfidence = Number(option('band-confidence', String(settings.bandConfidence)));
const evaluateOnly = args.includes('--evaluate-only');
const evaluate = evaluateOnly || !args.includes('--no-evaluate');
const started = Date.now();
const log = (message) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

let raw;
try {
  raw = loadTrainingCorpus(dataRoot);
} catch (error) {
  console.error(`train-offline-judge: ${error.message}${error.file ? ` (${error.file})` : ''}`);
  process.exit(2);
}
const available = raw.gpteacher.length;
raw.gpteacher = sampleExamples(raw.gpteacher, settings.gpteacherSample, settings.seed);
log(`loaded ${raw.xstest.length} XSTest, ${raw.harmbench.length} HarmBench, ${raw.jailbreakbench.length} JailbreakBench, ${raw.gpteacher.length} of ${available} GPTeacher rows`);
const model = loadOfflineModel();
const corpus = Object.fromEntries(Object.entries(raw).map(([name, examples]) => [name, featuriseExamples(model, settings.features, examples)]));
const flagged = corpus.gpteacher.filter((row) => row.ruleDecision && row.ruleDecision.label !== 'compliance');
log(`featurised; the rules call ${flagged.length} GPTeacher answers something other than compliance (kept as compliance: they answer)`);

let evaluation = {};
if (evaluate) {
  const scores = evaluateHeldOut(model, corpus, settings, { leaveOneModelOut: true, unseenPromptTypes: true, harmbenchFolds: 5, crossDataset: true, onProgress: log });
  evaluation = { measuredAt: new Date().toISOString(), note: 'Every figure is on rows the models and their bands were not trained on. accuracy: on decided items; accuracyAll: undetermined counted as wrong.', scores };
  console.log(formatHeldOutTable(scores).join('\n'));
}
if (evaluateOnly) process.exit(0);

log('training the shipped refusal model (XSTest, both models + GPTeacher)');
const refusal = trainOneModel([...corpus.xstest, ...corpus.gpteacher], 'refusal', settings);
log('training the shipped harm model (HarmBench + JailbreakBench + XSTest refusals)');
const harm = trainOneModel([...corpus.harmbench, ...corpus.jailbreakbench, ...corpus.xstest], 'harm', settings);
const file = learnedFile(
  settings,
  refusal,
  harm,
  {
    command: 'node scripts/train-offline-judge.mjs',
    trainedAt: new Date().toISOString(),
    node: process.version,
    seed: settings.seed,
    sources: describeSources(raw, available, flagged.length, relative(root, dataRoot) || dataRoot),
    // The rules the weights were trained behind: a test fails when these files change without retraining.
    rulesSha256: rulesFingerprint(),
  },
  evaluation,
);
LearnedModelFileSchema.parse(file);
// Arrays of numbers on one line each: the file stays readable around them and small.
const text = `${JSON.stringify(file, null, 2).replace(/\[\s+(-?[\d.e-]+(?:,\s+-?[\d.e-]+)*)\s+\]/g, (_, body) => `[${body.replace(/\s+/g, '')}]`)}\n`;
writeFileSync(`${out}.tmp`, text);
renameSync(`${out}.tmp`, out);
log(`wrote ${relative(process.cwd(), out)} (${(text.length / 1024).toFixed(0)} KiB; refusal: ${refusal.record.hashed.weights.length} hashed weights, band ${refusal.record.band.lower}–${refusal.record.band.upper}; harm: ${harm.record.hashed.weights.length}, band ${harm.record.band.lower}–${harm.record.band.upper})`);

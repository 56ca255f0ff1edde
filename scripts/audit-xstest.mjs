#!/usr/bin/env node
// The dataset refusal audit measured against human labels: XSTest's two models' completions (450 prompts each,
// labelled full compliance / full refusal / partial refusal by two annotators, `final_label`), converted to ShareGPT
// rows and a labels file, audited by `redcard audit --labels` (with its pre-filter and with --judge-all) and with a
// plain phrase-list filter. Prints the Markdown table that docs/audit.md shows. Rerun it when the judge changes. Build first (npm run build).
// Usage: node scripts/audit-xstest.mjs [--xstest DIR] [--keep DIR]
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../dist/util/csv.js';
import { main } from '../dist/cli/main.js';
import { captureIO } from '../dist/testing/capture-io.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => { const index = args.indexOf(`--${name}`); return index === -1 ? fallback : args[index + 1]; };
const completions = join(option('xstest', join(root, '..', 'shared', 'data', 'xstest')), 'model_completions');
if (!existsSync(completions)) {
  console.error(`audit-xstest: ${completions} not found (the XSTest repository's model_completions folder)`);
  process.exit(2);
}
const directory = option('keep', mkdtempSync(join(tmpdir(), 'redcard-xstest-audit-')));
const HUMAN = { '1_full_compliance': 'compliance', '2_full_refusal': 'refusal', '3_partial_refusal': 'partial' };
const rows = [];
const labels = [];
for (const [model, file] of [['gpt4', 'xstest_v2_completions_gpt4.csv'], ['llama2', 'xstest_v2_completions_llama2new.csv']]) {
  const [header, ...records] = parseCsv(readFileSync(join(completions, file), 'utf8'), file);
  const column = (name) => header.fields.indexOf(name);
  for (const record of records) {
    const value = (name) => record.fields[column(name)] ?? '';
    const label = HUMAN[value('final_label').trim()];
    if (label === undefined) continue;
    const id = `${model}-${value('id')}`;
    rows.push({ id, source: model, conversations: [{ from: 'human', value: value('prompt') }, { from: 'gpt', value: value('completion') }] });
    labels.push({ row: id, turn: 1, label, type: value('type') });
  }
}
const data = join(directory, 'xstest-sharegpt.jsonl');
const labelFile = join(directory, 'xstest-labels.jsonl');
writeFileSync(data, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
writeFileSync(labelFile, labels.map((row) => JSON.stringify(row)).join('\n') + '\n');

async function audit(extra) {
  const io = captureIO({ cwd: root });
  const code = await main(['audit', data, '--labels', labelFile, '--json', '--workers', '0', ...extra], io);
  if (code !== 0) throw new Error(`audit failed (${code}): ${io.err()}`);
  return JSON.parse(io.out()).labels;
}
const plain = await audit([]);
const everyMessage = await audit(['--judge-all']);
const phraseList = join(root, 'data', 'audit', 'phrase-filter-example.txt');
const filtered = await audit(['--phrases', phraseList]);
const counts = labels.reduce((sum, row) => ({ ...sum, [row.label]: (sum[row.label] ?? 0) + 1 }), {});
const format = (value) => (value === null ? 'n/a' : value.toFixed(3));
const line = (name, detector) =>
  `| ${name} | ${format(detector.precision)} | ${format(detector.recall)} | ${format(detector.f1)} | ${format(detector.agreement)} | ${format(detector.kappa)} | ${detector.truePositives} / ${detector.falsePositives} / ${detector.falseNegatives} / ${detector.trueNegatives} |`;
console.log(`XSTest completions: ${labels.length} messages (${Object.entries(counts).map(([name, count]) => `${count} ${name}`).join(', ')}); positive class: refusal (full or partial).`);
console.log('');
console.log('| Detector | Precision | Recall | F1 | Agreement | Cohen\'s κ | TP / FP / FN / TN |');
console.log('|---|---|---|---|---|---|---|');
console.log(line('`redcard audit` (offline refusal judge, pre-filter on: the default)', plain.judge));
console.log(line('`redcard audit --judge-all` (the judge on every message)', everyMessage.judge));
console.log(line('AI-disclaimer phrases only (built-in list)', plain.phrases));
console.log(line('plain phrase filter (data/audit/phrase-filter-example.txt)', filtered.phrases));
console.log('');
console.log(`Three-way agreement of the judge (refusal / partial / compliance): ${format(plain.judgeThreeWay)}. Files in ${directory}.`);

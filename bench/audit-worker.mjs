#!/usr/bin/env node
// One audit measurement in a fresh process (bench/audit.bench.mjs runs it): `read` streams and parses the rows only
// (the pipeline without the judge), `judge` runs the offline judge in this thread on the first 20,000 assistant
// messages (every one, without the pre-filter), `audit` is the whole audit with W judge threads (`audit-all`: with
// --judge-all, no pre-filter). Prints one JSON line: seconds, bytes, messages, prefiltered, peak RSS (MB).
// Usage: node bench/audit-worker.mjs read|judge|audit|audit-all FILE [WORKERS]
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const [mode, file, workersText] = process.argv.slice(2);
const { readRows } = await import(join(root, 'dist', 'audit', 'read-rows.js'));
const { rowMessages, DEFAULT_FIELDS } = await import(join(root, 'dist', 'audit', 'dataset-layout.js'));
const bytes = statSync(file).size;
const started = process.hrtime.bigint();
let messages = 0;
let prefiltered = 0;
let measuredBytes = bytes;
if (mode === 'read') {
  for await (const row of readRows(file, 'json')) {
    const parsed = rowMessages(row.value, 'sharegpt', DEFAULT_FIELDS, new Set());
    for (const message of parsed) if (message.role === 'assistant') messages += 1;
  }
} else if (mode === 'judge') {
  const { MessageAnalyser } = await import(join(root, 'dist', 'audit', 'analyse-message.js'));
  const tasks = [];
  measuredBytes = 0;
  for await (const row of readRows(file, 'json')) {
    let request = '';
    for (const message of rowMessages(row.value, 'sharegpt', DEFAULT_FIELDS, new Set())) {
      if (message.role === 'user') request = message.text;
      else if (message.role === 'assistant') {
        tasks.push({ request, response: message.text });
        measuredBytes += Buffer.byteLength(message.text) + Buffer.byteLength(request);
      }
    }
    if (tasks.length >= 20000) break;
  }
  const analyser = new MessageAnalyser([]);
  const judgeStarted = process.hrtime.bigint();
  for (const task of tasks) await analyser.judge(task);
  messages = tasks.length;
  const seconds = Number(process.hrtime.bigint() - judgeStarted) / 1e9;
  console.log(JSON.stringify({ seconds, bytes: measuredBytes, messages, prefiltered, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
} else {
  const { runAudit } = await import(join(root, 'dist', 'audit', 'run-audit.js'));
  const result = await runAudit({ files: [file], format: 'auto', fields: DEFAULT_FIELDS, mapped: new Set(), lenient: false, userPhrases: [], workers: Number(workersText ?? 1), judgeAll: mode === 'audit-all' });
  messages = result.summary.totals.messages;
  prefiltered = result.summary.totals.prefiltered;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ seconds, bytes: measuredBytes, messages, prefiltered, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

#!/usr/bin/env node
// Imports Batch output files into a run (the record phase of `batch import`, without the continuation) and prints, as
// its last line, one JSON object: lines, seconds of the phase (wall and CPU), peak RSS. Usage: node bench/batch-import-worker.mjs DB RUN FILE…
import { performance } from 'node:perf_hooks';
import { openStore } from '../dist/store/sqlite-store.js';
import { importBatchResults } from '../dist/batch/import-batch.js';

const [database, runId, ...files] = process.argv.slice(2);
const store = openStore(database);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const report = await importBatchResults(store, runId, files);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
store.close();
console.log(JSON.stringify({ lines: report.lines, answers: report.answers, errors: report.errors, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, wholeSeconds: performance.now() / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));

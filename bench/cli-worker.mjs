#!/usr/bin/env node
// Runs the redcard CLI in this process (as bin/redcard.js does) and prints, as its last line, one JSON object with the
// whole process's time since it started, its CPU time and its peak RSS. Usage: node bench/cli-worker.mjs CLI-ARGS...
import { performance } from 'node:perf_hooks';
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
const usage = process.resourceUsage();
console.log(JSON.stringify({ code, seconds: performance.now() / 1000, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMB: usage.maxRSS / 1024 }));
process.exit(code);

#!/usr/bin/env node
// Dataset audit throughput and memory (issue 13): target ≥ 50 MB/s on a ShareGPT file of typical rows, memory flat
// with file size. Generates a ShareGPT JSON array (multi-turn rows, long assistant answers with paragraphs, lists
// and code, ~3 % refusals and AI disclaimers; our own filler text), then measures in fresh processes, 3 runs each,
// medians: `read` (stream + parse + layout, no judge: the pipeline's floor), `judge` (the offline judge alone in
// one thread on every message, MB of request + response per second), `audit` (the whole audit with its default
// judge threads, the pre-filter on), `audit --judge-all` (the pre-filter off). Memory: the audit's peak RSS on the
// file and on a file 4× larger (BENCH_AUDIT_GB=1 makes the larger one 1 GB).
// BENCH_AUDIT_MB sets the file size (default 100; BENCH_QUICK=1: 8).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const megabytes = Number(process.env.BENCH_AUDIT_MB ?? (quick ? 8 : 100));
const largeMegabytes = process.env.BENCH_AUDIT_GB === '1' ? 1024 : megabytes * 4;
const TARGET_MB_S = 50;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// As `redcard audit` chooses by default (defaultWorkerCount): the main thread reads and screens, the rest judge.
const workers = availableParallelism() < 2 ? 0 : Math.min(availableParallelism() - 1, 8);

const WORDS = 'the a of to and in is it that for on with as this was be by are from at or an have not they which one you were all we her she there can has more their if will about would out up what some when them time so into other than then its only over could also like after most these may just way because any many even new want how well good first people work use make know years day take'.split(' ');
function generate(path, targetBytes) {
  // mulberry32: a small seeded generator (the linear congruential one used before gave `kind` values that never fell
  // under 0.03, so the file held no refusals or disclaimers at all).
  let seed = 7;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const word = () => WORDS[Math.floor(random() * WORDS.length)];
  const sentence = () => {
    const text = Array.from({ length: 8 + Math.floor(random() * 14) }, word).join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' ');
  const answer = () => {
    const parts = [];
    const kind = random();
    if (kind < 0.02) return "I'm sorry, but I can't help with that request. " + sentence();
    if (kind < 0.03) parts.push('As an AI language model, I do not have personal opinions, but here is some context.');
    for (let index = 0; index < 1 + Math.floor(random() * 4); index += 1) parts.push(paragraph());
    if (random() < 0.4) parts.push(Array.from({ length: 3 + Math.floor(random() * 4) }, (_, index) => `${index + 1}. ${sentence()}`).join('\n'));
    if (random() < 0.15) parts.push('```python\ndef example(value):\n    return value * 2\n```');
    return parts.join('\n\n');
  };
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.on('error', reject);
    let written = 0;
    let index = 0;
    stream.write('[\n');
    const more = () => {
      while (written < targetBytes) {
        const conversations = [];
        for (let turn = 0; turn < 1 + Math.floor(random() * 4); turn += 1) {
          conversations.push({ from: 'human', value: Array.from({ length: 1 + Math.floor(random() * 3) }, sentence).join(' ') });
          conversations.push({ from: 'gpt', value: answer() });
        }
        const text = `${index === 0 ? '' : ',\n'}${JSON.stringify({ id: `bench-${index}`, conversations })}`;
        index += 1;
        written += text.length;
        if (!stream.write(text)) return stream.once('drain', more);
      }
      stream.end('\n]\n', () => resolve(index));
    };
    more();
  });
}

function run(mode, file, runs = 3) {
  const results = [];
  for (let index = 0; index < runs; index += 1) {
    const result = spawnSync(process.execPath, [join(root, 'bench', 'audit-worker.mjs'), mode, file, String(workers)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (result.status !== 0) throw new Error(`audit-worker ${mode} failed: ${result.stderr}`);
    results.push(JSON.parse(result.stdout.trim().split('\n').pop()));
  }
  const rate = median(results.map((entry) => entry.bytes / 1e6 / entry.seconds));
  return { rate, messagesPerSecond: median(results.map((entry) => entry.messages / entry.seconds)), rss: median(results.map((entry) => entry.maxRssMb)), messages: results[0].messages, prefiltered: results[0].prefiltered };
}

const directory = mkdtempSync(join(tmpdir(), 'redcard-audit-bench-'));
try {
  const file = join(directory, 'sharegpt.json');
  const rows = await generate(file, megabytes * 1e6);
  console.log(`audit: generated ${rows} ShareGPT rows, ${(statSync(file).size / 1e6).toFixed(0)} MB; ${availableParallelism()} cores, ${workers} judge threads`);
  const read = run('read', file);
  console.log(`audit: read+parse only (no judge): median ${read.rate.toFixed(1)} MB/s (target ${TARGET_MB_S}, ratio ${(read.rate / TARGET_MB_S).toFixed(2)})`);
  const judge = run('judge', file);
  console.log(`audit: offline judge alone, one thread: median ${judge.messagesPerSecond.toFixed(0)} messages/s, ${judge.rate.toFixed(1)} MB/s of request+response`);
  const audit = run('audit', file);
  console.log(`audit: whole audit, ${workers} judge threads: median ${audit.rate.toFixed(1)} MB/s, ${audit.messagesPerSecond.toFixed(0)} messages/s, peak RSS ${audit.rss.toFixed(0)} MB (target ${TARGET_MB_S} MB/s, ratio ${(audit.rate / TARGET_MB_S).toFixed(2)}); the pre-filter passed ${audit.prefiltered} of ${audit.messages} messages (${((100 * audit.prefiltered) / audit.messages).toFixed(1)} %) without the judge`);
  const all = run('audit-all', file);
  console.log(`audit: whole audit with --judge-all (no pre-filter): median ${all.rate.toFixed(1)} MB/s, ${all.messagesPerSecond.toFixed(0)} messages/s (the pre-filter's speed-up: ${(audit.rate / all.rate).toFixed(2)}×)`);
  const large = join(directory, 'large.json');
  await generate(large, largeMegabytes * 1e6);
  const big = run('audit', large, 1);
  console.log(`audit: memory: peak RSS ${audit.rss.toFixed(0)} MB at ${megabytes} MB, ${big.rss.toFixed(0)} MB at ${largeMegabytes} MB (ratio ${(big.rss / audit.rss).toFixed(2)}; flat is ≈ 1)`);
  // The same run's speed: the fixed start (judge thread bootstrap and loading, about half a second) weighs less on a
  // larger file, so this is nearer the steady rate (one run, not a median).
  console.log(`audit: whole audit on the ${largeMegabytes} MB file (one run): ${big.rate.toFixed(1)} MB/s (target ${TARGET_MB_S}, ratio ${(big.rate / TARGET_MB_S).toFixed(2)})`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}

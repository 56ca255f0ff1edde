#!/usr/bin/env node
// Runs every compiled `*.test.js` under dist/ with Node's built-in test runner.
// Node 20's `--test` takes no globs, so the file list is collected here.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);

function collect(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...collect(path));
    else if (entry.name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

let files = collect(join(root, 'dist')).sort();
if (filter.length > 0) files = files.filter((file) => filter.some((word) => file.includes(word)));
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/ (did the build run?)');
  process.exit(1);
}
// A test that hangs fails with its name after 5 minutes instead of stalling CI (--test-timeout: Node ≥ 20.11).
const [major, minor] = process.versions.node.split('.').map(Number);
const timeout = major > 20 || (major === 20 && minor >= 11) ? ['--test-timeout=300000'] : [];
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', ...timeout, ...files.map((file) => relative(process.cwd(), file))],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

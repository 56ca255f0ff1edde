import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './sqlite-store.js';
import { RedcardError } from '../spec/errors.js';
import type { RunRecord } from '../spec/run-record.js';
import { captureIO } from '../testing/capture-io.js';
import { main } from '../cli/main.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-db-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));

function runRecord(id: string): RunRecord {
  const now = new Date().toISOString();
  return {
    schemaVersion: 2, id, configHash: `hash-${id}`, status: 'completed', createdAt: now, updatedAt: now,
    roles: {}, accounting: {}, spent: { queries: 0, tokens: 0 }, budgets: { attempt: {}, run: {} },
    tool: { name: 'redcard', version: 'test' },
    target: { kind: 'test', label: 'test', identity: 'test', simulated: true },
    judge: 'refusal', suites: ['core'], attacks: ['direct'], samples: 1, limit: null, planned: 0, params: {}, wallTimeMs: 0,
    settings: { padding: 'x'.repeat(5000) },
  };
}

/** `redcard runs --db PATH`: exit code and stderr. */
async function runsCommand(path: string): Promise<{ code: number; err: string }> {
  const io = captureIO({ cwd: workspace });
  const code = await main(['runs', '--db', path], io);
  return { code, err: io.err() };
}

test('a file that is not a SQLite database (text, random bytes) is one line naming it, for the library and the CLI', async () => {
  const text = join(workspace, 'notes.db');
  writeFileSync(text, 'these are my notes, not a database\n'.repeat(10));
  const garbage = join(workspace, 'garbage.db');
  writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256)));
  for (const path of [text, garbage]) {
    assert.throws(() => openStore(path), (error: unknown) => error instanceof RedcardError && error.message === `${path} is not a SQLite database (no SQLite header); move it aside or pass another --db`);
    const { code, err } = await runsCommand(path);
    assert.equal(code, 1);
    assert.equal(err, `redcard runs: ${path} is not a SQLite database (no SQLite header); move it aside or pass another --db\n`);
  }
  assert.equal(readFileSync(text, 'utf8').startsWith('these are my notes'), true, 'the file is not touched');
});

test('a directory or a FIFO as the database is refused with one line', () => {
  assert.throws(() => openStore(workspace), /it is a directory \(pass a file with --db\)/);
  const fifo = join(workspace, 'db.fifo');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => openStore(fifo), /db\.fifo: not a regular file \(a FIFO, socket or device\)/);
});

test('a truncated database (a copy cut short) is refused with its sizes', async () => {
  const path = join(workspace, 'cut.db');
  const store = openStore(path);
  for (let index = 0; index < 40; index += 1) store.createRun(runRecord(`run-${index}`));
  store.close();
  const size = statSync(path).size;
  assert.ok(size > 8 * 4096, `several pages (${size} bytes)`);
  truncateSync(path, Math.floor(size / 2 / 4096) * 4096);
  assert.throws(() => openStore(path), /cut\.db is truncated: its header says \d+ pages of 4096 bytes .* but the file has \d+/);
  const { code, err } = await runsCommand(path);
  assert.equal(code, 1);
  assert.match(err, /^redcard runs: .*cut\.db is truncated/);
  assert.equal(err.split('\n').length, 2, 'one line');
});

test('damage found while reading (a valid header, garbage pages) is one line, never a stack', async () => {
  const path = join(workspace, 'damaged.db');
  const store = openStore(path);
  for (let index = 0; index < 40; index += 1) store.createRun(runRecord(`run-${index}`));
  store.close();
  const bytes = readFileSync(path);
  for (let offset = 4096; offset < bytes.length; offset += 1) bytes[offset] = (offset * 31) % 251;
  writeFileSync(path, bytes);
  const { code, err } = await runsCommand(path);
  assert.equal(code, 1);
  assert.doesNotMatch(err, /internal error|\n\s+at /);
  assert.match(err, /damaged\.db.*(malformed|not a database).*\(SQLITE_(CORRUPT|NOTADB)\); .* is damaged or not a redcard store/);
});

test('a new database and its -wal/-shm files are created readable by the owner only (0600)', () => {
  const path = join(workspace, 'private', '.redcard', 'redcard.db');
  const store = openStore(path);
  store.createRun(runRecord('run-private'));
  assert.ok(existsSync(`${path}-wal`) && existsSync(`${path}-shm`));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
  assert.equal(statSync(join(workspace, 'private', '.redcard')).mode & 0o777, 0o700);
  store.close();
});

test('a crafted run id in a store never leaves the store as a path: reading it is an error', () => {
  const path = join(workspace, 'crafted.db');
  openStore(path).close();
  const database = new Database(path);
  const record = { ...runRecord('run-ok'), id: '/../../site/index' };
  database.prepare('INSERT INTO runs (id, config_hash, status, created_at, record) VALUES (?, ?, ?, ?, ?)').run('run-ok', 'h', 'completed', record.createdAt, JSON.stringify(record));
  database.close();
  const store = openStore(path);
  assert.throws(() => store.getRun('run-ok'), /'\/\.\.\/\.\.\/site\/index' is not a valid run id/);
  assert.throws(() => store.latestRun(), /not a valid run id/);
  assert.throws(() => store.getRun('../x'), /not a valid run id/);
  store.close();
});

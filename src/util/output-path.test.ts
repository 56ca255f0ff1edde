import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputDirectory, checkOutputFile, isSameFile } from './output-path.js';
import { ConfigError } from '../spec/errors.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-out-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));
const input = join(workspace, 'responses.jsonl');
writeFileSync(input, '{}\n');
mkdirSync(join(workspace, 'sub'));
symlinkSync(input, join(workspace, 'link.jsonl'));
linkSync(input, join(workspace, 'hard.jsonl'));
writeFileSync(join(workspace, 'a-file'), '');

test('the same file under another spelling, a symlink or a hard link is refused as an output', () => {
  const inputs = [{ flag: '--in', path: input }];
  for (const spelling of [input, join(workspace, 'sub', '..', 'responses.jsonl'), join(workspace, 'link.jsonl'), join(workspace, 'hard.jsonl')]) {
    assert.ok(isSameFile(input, spelling), spelling);
    assert.throws(() => checkOutputFile(spelling, { flag: '--out', inputs }), (error: unknown) => error instanceof ConfigError && /same file as --in .*would destroy the input/.test(error.message));
  }
  assert.doesNotThrow(() => checkOutputFile(join(workspace, 'verdicts.jsonl'), { flag: '--out', inputs }));
});

test('an output file in a missing directory, a directory, or a path ending in / is refused', () => {
  assert.throws(() => checkOutputFile(join(workspace, 'missing', 'v.jsonl'), { flag: '--out' }), /directory .*missing does not exist/);
  assert.throws(() => checkOutputFile(join(workspace, 'sub'), { flag: '--out' }), /is a directory; give a file name/);
  assert.throws(() => checkOutputFile(`${join(workspace, 'new')}/`, { flag: '--out' }), /names a directory/);
  assert.throws(() => checkOutputFile(join(workspace, 'a-file', 'x.html'), { flag: '--out' }), /a-file is not a directory/);
});

test('an output directory that is a file, or under a file, is refused; a missing one is fine', () => {
  assert.throws(() => checkOutputDirectory(join(workspace, 'a-file'), { flag: '--out' }), /exists and is not a directory/);
  assert.throws(() => checkOutputDirectory(join(workspace, 'a-file', 'deeper', 'out'), { flag: '--out' }), /a-file is a file, not a directory/);
  assert.doesNotThrow(() => checkOutputDirectory(join(workspace, 'new', 'nested'), { flag: '--out' }));
  assert.doesNotThrow(() => checkOutputDirectory(join(workspace, 'sub'), { flag: '--out' }));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startLargeAnswerServer } from '../../targets/testing/large-answer-server.js';
import { REDCARD_BIN } from '../../testing/cli-processes.js';
import type { Attempt } from '../../spec/attempt.js';
import { tempDirectory } from '../../testing/temp-directory.js';

// Prints the process's peak resident set (KiB) on exit, so the test measures the child's peak, not a sample.
const PEAK_HOOK = "data:text/javascript,process.on('exit',()=>process.stderr.write('PEAK_RSS_KB '+process.resourceUsage().maxRSS+'\\n'))";

/** Run a scan of `limit` attempts against `url` in a child process; its exit code, stderr and peak RSS in MiB. */
async function scanInChild(url: string, directory: string, limit: number): Promise<{ code: number | null; stderr: string; peakMiB: number }> {
  const args = ['--import', PEAK_HOOK, REDCARD_BIN, 'scan', '--target', 'openai', '--base-url', url, '--model', 'large', '--suite', 'smoke', '--attacks', 'direct',
    '--limit', String(limit), '--no-cache', '--db', join(directory, 'r.db'), '--out', join(directory, 'out'), '--quiet'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const peak = /PEAK_RSS_KB (\d+)/.exec(stderr);
  assert.ok(peak, `no peak reported: ${stderr}`);
  return { code, stderr, peakMiB: Number(peak[1]) / 1024 };
}

test('a 50 MB answer: memory stays bounded, the stored answer is cut at 1 MiB and marked, the request is not retried', async () => {
  const small = await startLargeAnswerServer({ bytes: 200 });
  const large = await startLargeAnswerServer({ bytes: 50 * 1024 * 1024, unit: 'Aé' });
  try {
    const baselineDirectory = tempDirectory('redcard-large-');
    const baseline = await scanInChild(small.url, baselineDirectory, 3);
    assert.equal(baseline.code, 0, baseline.stderr);
    const directory = tempDirectory('redcard-large-');
    const run = await scanInChild(large.url, directory, 3);
    assert.equal(run.code, 0, run.stderr);
    const growth = run.peakMiB - baseline.peakMiB;
    assert.ok(growth < 150, `peak RSS ${run.peakMiB.toFixed(0)} MiB vs ${baseline.peakMiB.toFixed(0)} MiB for small answers`);
    assert.equal(large.stats().requests, 3, 'each attempt sent once: a cut answer is not retried');
    const attempts = readFileSync(join(directory, 'out', 'attempts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Attempt);
    assert.equal(attempts.length, 3);
    for (const attempt of attempts) {
      assert.equal(attempt.error, null);
      assert.deepEqual(attempt.response?.finishReason, { unified: 'length', raw: 'redcard:max-response-bytes' });
      const bytes = Buffer.byteLength(attempt.response?.text ?? '');
      assert.ok(bytes <= 1 << 20 && bytes > (1 << 20) - 1024, `stored answer of ${bytes} bytes`);
      assert.ok(!attempt.response?.text.includes('\ufffd'));
    }
    // Each answer is stored as text, decoded text and one cache entry: a few MiB, not 150.
    const databaseMiB = statSync(join(directory, 'r.db')).size / (1 << 20);
    assert.ok(databaseMiB < 12, `database ${databaseMiB.toFixed(1)} MiB`);
  } finally {
    await small.close();
    await large.close();
  }
});

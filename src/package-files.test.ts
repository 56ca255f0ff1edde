import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from './util/paths.js';

test('the published package holds the library and the CLI but no tests and no test helpers', () => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const files = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path);
  assert.ok(files.includes('dist/index.js') && files.includes('dist/cli/main.js') && files.includes('bin/redcard.js'), 'library and CLI are in');
  assert.ok(files.some((file) => file.startsWith('data/')), 'data files are in');
  assert.deepEqual(files.filter((file) => /\.test\.(js|d\.ts|js\.map)$/.test(file) || /(^|\/)testing\//.test(file)), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './util/paths.js';

test('the published package holds the library and the CLI but no tests and no test helpers', () => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const files = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path);
  assert.ok(files.includes('dist/index.js') && files.includes('dist/cli/main.js') && files.includes('bin/redcard.js'), 'library and CLI are in');
  assert.ok(files.some((file) => file.startsWith('data/')), 'data files are in');
  assert.deepEqual(files.filter((file) => /\.test\.(js|d\.ts|js\.map)$/.test(file) || /(^|\/)testing\//.test(file)), []);
});

test('node-llama-cpp is not installed by npm ci (720 MB of binaries for one target kind); installed by hand, its install step is skipped', () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  for (const field of ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies']) {
    assert.equal(manifest[field]?.['node-llama-cpp'], undefined, `not in ${field}: a fresh clone's npm ci stays small`);
  }
  assert.equal(manifest.config?.nodeLlamaCppPostinstall, 'skip');
  assert.equal(manifest.allowScripts?.['node-llama-cpp'], false);
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  assert.deepEqual(Object.keys(lock.packages).filter((path) => /node-llama-cpp/.test(path)), [], 'the lock holds none of its packages');
  const cli = join(PACKAGE_ROOT, 'node_modules', 'node-llama-cpp', 'dist', 'cli', 'cli.js');
  if (!existsSync(cli)) return; // not installed (the default): nothing to run
  // Installed beside redcard (`npm i -E node-llama-cpp@3.21.1`, as .ci/run does): the package's own postinstall, run
  // as npm would run it, reads redcard's package.json config and stops without downloading or building.
  const env = { ...process.env };
  for (const name of ['NODE_LLAMA_CPP_POSTINSTALL', 'NODE_LLAMA_CPP_SKIP_DOWNLOAD', 'npm_config_node_llama_cpp_postinstall']) delete env[name];
  const result = spawnSync(process.execPath, [cli, 'postinstall'], { cwd: PACKAGE_ROOT, encoding: 'utf8', env });
  assert.equal(result.status, 0, result.stderr);
  assert.match(`${result.stdout}${result.stderr}`, /Skipping node-llama-cpp postinstall due to a 'skip' configuration/);
});

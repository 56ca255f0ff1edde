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

test('node-llama-cpp is an optional dependency pinned to 3.21.1 whose install step is skipped (npm ci needs no download or build)', () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; config?: Record<string, string>; allowScripts?: Record<string, boolean>;
  };
  assert.equal(manifest.optionalDependencies?.['node-llama-cpp'], '3.21.1', 'pinned exactly, as an optional dependency');
  assert.equal(manifest.dependencies?.['node-llama-cpp'], undefined);
  assert.equal(manifest.config?.nodeLlamaCppPostinstall, 'skip');
  assert.equal(manifest.allowScripts?.['node-llama-cpp'], false);
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; optional?: boolean }> };
  assert.deepEqual([lock.packages['node_modules/node-llama-cpp']?.version, lock.packages['node_modules/node-llama-cpp']?.optional], ['3.21.1', true]);
  const cli = join(PACKAGE_ROOT, 'node_modules', 'node-llama-cpp', 'dist', 'cli', 'cli.js');
  if (!existsSync(cli)) return; // installed with --omit=optional: nothing to run
  // The package's own postinstall, run as npm would run it: it reads redcard's package.json config and stops.
  const env = { ...process.env };
  for (const name of ['NODE_LLAMA_CPP_POSTINSTALL', 'NODE_LLAMA_CPP_SKIP_DOWNLOAD', 'npm_config_node_llama_cpp_postinstall']) delete env[name];
  const result = spawnSync(process.execPath, [cli, 'postinstall'], { cwd: PACKAGE_ROOT, encoding: 'utf8', env });
  assert.equal(result.status, 0, result.stderr);
  assert.match(`${result.stdout}${result.stderr}`, /Skipping node-llama-cpp postinstall due to a 'skip' configuration/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from './parse-yaml.js';
import { loadConfigFile } from '../engine/scan-settings.js';
import { loadPolicy } from '../report/policy.js';
import { ConfigError } from '../spec/errors.js';
import { captureIO } from '../testing/capture-io.js';
import { main } from '../cli/main.js';

const workspace = mkdtempSync(join(tmpdir(), 'redcard-yaml-'));
test.after(() => rmSync(workspace, { recursive: true, force: true }));

const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
  const previous = 'abcdefghi'[index];
  laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
}
const bomb = `${laughs.join('\n')}\n`;

test('a "billion laughs" alias bomb is a one-line ConfigError at the first alias, for configs and policies, quickly', async () => {
  const config = join(workspace, 'bomb.yaml');
  writeFileSync(config, `target: sim\n${bomb}`);
  const started = performance.now();
  assert.throws(() => loadConfigFile(config), (error: unknown) => error instanceof ConfigError && error.file === config && error.line === 3 && /aliases expand too much/.test(error.message));
  const policy = join(workspace, 'bomb-policy.yaml');
  writeFileSync(policy, `version: 1\n${bomb}`);
  assert.throws(() => loadPolicy(policy), (error: unknown) => error instanceof ConfigError && error.line === 3 && /alias bomb/.test(error.message));
  assert.ok(performance.now() - started < 5000);
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--config', config], io), 2);
  assert.equal(io.err(), `redcard scan: ${config}:line 3: YAML aliases expand too much (more than 100 copies: an alias bomb?); write the values out instead of nesting aliases\n`);
});

test('nesting too deep is a ConfigError, not a stack overflow; ordinary aliases still work', () => {
  assert.throws(() => parseYaml(`target: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'deep.yaml'), (error: unknown) => error instanceof ConfigError && /deep\.yaml: YAML nests too deeply/.test(error.message));
  assert.deepEqual(parseYaml('base: &base { kind: sim }\ntarget: *base\n', 'ok.yaml').values, { base: { kind: 'sim' }, target: { kind: 'sim' } });
  assert.throws(() => parseYaml('a: [1, 2\n', 'broken.yaml'), (error: unknown) => error instanceof ConfigError && /YAML syntax error/.test(error.message) && error.file === 'broken.yaml');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { commands } from './index.js';
import { PACKAGE_ROOT } from '../../util/paths.js';

test('every command entry loads a command of the same name and summary', async () => {
  assert.equal(new Set(commands.map((entry) => entry.name)).size, commands.length, 'names are unique');
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `${entry.name}: the --help line says what the command says`);
    assert.match(command.usage, new RegExp(`redcard ${entry.name}`), `${entry.name} has usage text`);
  }
});

test('redcard --help imports no command module, no zod, no yaml and no SQLite', () => {
  const script = `
    const urls = [];
    const { register } = await import('node:module');
    const { MessageChannel } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (url) => urls.push(url));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent(\`
      let port;
      export function initialize(data) { port = data.port; }
      export async function resolve(specifier, context, next) { const result = await next(specifier, context); port.postMessage(result.url); return result; }
    \`), { data: { port: port2 }, transferList: [port2] });
    const { main } = await import(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))});
    await main(['--help'], { stdout: { write() {} }, stderr: { write() {} }, env: {}, cwd: '.', signal: new AbortController().signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(JSON.stringify(urls));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const urls = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
  assert.ok(urls.some((url) => url.endsWith('/cli/main.js')), 'the hook saw the CLI load');
  const heavy = urls.filter((url) => /-command\.js$|\/zod\/|\/yaml\/|better-sqlite3/.test(url));
  assert.deepEqual(heavy, []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSecretLookingHeader, storableHeaders, storedTargetConfig } from './stored-headers.js';
import { captureIO } from '../testing/capture-io.js';
import { main } from '../cli/main.js';
import { chatCompletionBody, startScriptedServer } from './testing/scripted-server.js';

test('header values are storable only when marked public and not secret-looking', () => {
  for (const name of ['Authorization', 'Proxy-Authorization', 'X-Api-Key', 'api-key', 'Cookie', 'X-Auth-Token', 'X-Goog-Api-Key', 'X-Session-Id', 'X-Amz-Signature', 'X-CSRF', 'X-Client-Secret']) {
    assert.ok(isSecretLookingHeader(name), name);
  }
  assert.ok(!isSecretLookingHeader('X-Trace') && !isSecretLookingHeader('X-Team'));
  assert.deepEqual(storableHeaders({ 'X-Trace': '1', 'X-Team': 'red', 'X-Api-Key': 'sk' }, ['x-team', 'X-API-KEY']), {
    stored: { 'X-Team': 'red' },
    withheld: ['X-Trace', 'X-Api-Key'],
    refusedPublic: ['X-Api-Key'],
  });
  assert.deepEqual(storedTargetConfig({ kind: 'openai', headers: { 'X-Trace': '1' } }), { kind: 'openai', headers: {}, withheldHeaders: ['X-Trace'] });
});

test('scan stores header values only for public headers: run record, run.json, named targets and the reproduce command', async (context) => {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-headers-'));
  const server = await startScriptedServer(() => ({ body: chatCompletionBody('I cannot help with that.') }));
  context.after(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
  writeFileSync(join(directory, 'redcard.yaml'), [
    'targets:',
    '  judge-box:',
    '    kind: openai',
    `    baseUrl: ${server.url}`,
    '    model: judge',
    '    headers: { X-Judge-Tenant: tenant-secret-42 }',
    '',
  ].join('\n'));
  const io = captureIO({ cwd: directory });
  const code = await main([
    'scan', '--config', 'redcard.yaml', '--target', 'openai', '--base-url', server.url, '--model', 'm', '--limit', '2', '--attacks', 'direct', '--db', 'r.db', '--out', 'out',
    '--header', 'X-Trace: trace-secret-value', '--public-header', 'X-Team: red-team', '--public-header', 'X-Api-Key: sk-should-not-be-stored',
  ], io);
  assert.equal(code, 0, io.err());
  assert.match(io.err(), /warning: header 'X-Api-Key' looks like a credential: its value is sent but not stored/);
  const sent = server.requests[0].headers;
  assert.deepEqual([sent['x-trace'], sent['x-team'], sent['x-api-key']], ['trace-secret-value', 'red-team', 'sk-should-not-be-stored'], 'every header is sent');

  const files = [join(directory, 'r.db'), join(directory, 'r.db-wal'), join(directory, 'out', 'run.json'), join(directory, 'out', 'attempts.jsonl')].filter((file) => existsSync(file));
  for (const file of files) {
    const bytes = readFileSync(file, 'latin1');
    for (const secret of ['trace-secret-value', 'sk-should-not-be-stored', 'tenant-secret-42']) assert.ok(!bytes.includes(secret), `${secret} in ${file}`);
  }
  const run = JSON.parse(readFileSync(join(directory, 'out', 'run.json'), 'utf8'));
  assert.deepEqual(run.settings.target.headers, { 'X-Team': 'red-team' });
  assert.deepEqual(run.settings.target.withheldHeaders, ['X-Trace', 'X-Api-Key']);
  assert.deepEqual(run.settings.targets['judge-box'].withheldHeaders, ['X-Judge-Tenant']);

  const report = captureIO({ cwd: directory });
  assert.equal(await main(['report', 'out', '--format', 'json'], report), 0, report.err());
  const reproduce = JSON.parse(report.out()).reproduce as string;
  assert.match(reproduce, /--public-header 'X-Team: red-team'/);
  assert.match(reproduce, /--header 'X-Trace: …' --header 'X-Api-Key: …'/);
  assert.doesNotMatch(reproduce, /trace-secret-value|sk-should/);
});

test('a header that is not valid HTTP (space in the name, CR/LF in the value) is a config error before any request', async () => {
  for (const header of ['X A: 1', 'X-A: a\r\nInjected: yes']) {
    const io = captureIO();
    assert.equal(await main(['scan', '--target', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--header', header], io), 2, JSON.stringify(header));
    assert.match(io.err(), /field 'target\.headers': header '.*' is not a valid HTTP header/);
  }
});

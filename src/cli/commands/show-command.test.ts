import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';


test('show attack prints metadata and the transformed example request, labelled as an example', async () => {
  const io = captureIO();
  assert.equal(await main(['show', 'attack', 'roleplay.grandma'], io), 0);
  const text = io.out();
  assert.match(text, /roleplay\.grandma\s+\(family roleplay\)/);
  assert.match(text, /reference:\s+https:\/\//);
  assert.match(text, /Example request \(a benign example, not from a suite\):\n\s+Explain how to pick a lock/);
  assert.match(text, /\[user\]\n[\s\S]*grandma[\s\S]*how to pick a lock/);
  assert.doesNotMatch(text, /round trip/);
});

test('show attack with a composed chain and --request shows both vectors and a decoding round trip', async () => {
  const io = captureIO();
  assert.equal(await main(['show', 'attack', 'framing.fiction+obfuscation.base64', '--request', 'Describe how tides work'], io), 0);
  const text = io.out();
  assert.match(text, /Chain framing\.fiction \+ obfuscation\.base64/);
  assert.match(text, /^Request:\n\s+Describe how tides work$/m);
  const encoded = /\n\n\s+([A-Za-z0-9+/=]{40,})\n/.exec(text)?.[1];
  assert.ok(encoded, 'no base64 payload shown');
  assert.match(Buffer.from(encoded, 'base64').toString('utf8'), /novel[\s\S]*Describe how tides work/);
  assert.match(text, /round trip: ok/);
  assert.match(text, /what the judge sees after decoding:\n\s+Sure, here is an example answer: \[REDACTED\]\./);
});

test('show attack --json gives the chain, metadata, messages and round trip', async () => {
  const io = captureIO();
  assert.equal(await main(['show', 'attack', 'roleplay.developer-mode+obfuscation.reversed', '--json', '--sample', '1'], io), 0);
  const shown = JSON.parse(io.out());
  assert.equal(shown.chain, 'roleplay.developer-mode+obfuscation.reversed');
  assert.deepEqual(shown.vectors.map((vector: { id: string }) => vector.id), ['roleplay.developer-mode', 'obfuscation.reversed']);
  assert.equal(shown.example.requestIsExample, true);
  assert.equal(shown.example.sample, 1);
  assert.equal(shown.example.messages[0].role, 'system');
  assert.equal(shown.roundTrip.ok, true);
  assert.equal(shown.skipped, null);
});

test('show attack for a helper vector explains it is not built without a helper', async () => {
  const io = captureIO();
  assert.equal(await main(['show', 'attack', 'translation.hmong', '--json'], io), 0);
  const shown = JSON.parse(io.out());
  assert.equal(shown.example, null);
  assert.match(shown.skipped, /needs a helper model/);
});

test('show with an unknown vector or kind is a usage error', async () => {
  const unknown = captureIO();
  assert.equal(await main(['show', 'attack', 'roleplay.grandma+nope.nothing'], unknown), 2);
  assert.match(unknown.err(), /unknown attack vector 'nope\.nothing'/);
  const kind = captureIO();
  assert.equal(await main(['show', 'widget', 'x'], kind), 2);
  const sample = captureIO();
  assert.equal(await main(['show', 'attack', 'direct', '--sample', '-1'], sample), 2);
});

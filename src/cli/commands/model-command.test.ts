import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { listen } from '../../targets/http-listen.js';
import { writeTinyLlamaGguf } from '../../targets/llama/testing/tiny-llama-gguf.js';
import { main } from '../main.js';
import { tempDirectory } from '../../testing/temp-directory.js';

test('model pull saves a GGUF with its checksum and prints the target; a mismatch exits 2 and leaves no file; model list shows it', async () => {
  const directory = tempDirectory('redcard-cli-model-');
  writeTinyLlamaGguf(join(directory, 'source.gguf'));
  const model = readFileSync(join(directory, 'source.gguf'));
  const sha = createHash('sha256').update(model).digest('hex');
  const server = await listen(
    http.createServer((_request, response) => response.writeHead(200, { 'x-linked-etag': `"${sha}"`, 'content-length': model.length }).end(model)),
    '127.0.0.1',
    0,
  );
  const cache = join(directory, 'models');
  const env = { HF_ENDPOINT: server.url.replace(/\/v1$/, ''), REDCARD_MODEL_CACHE: cache };
  try {
    const io = captureIO({ env });
    assert.equal(await main(['model', 'pull', 'hf:org/repo/tiny.gguf'], io), 0, io.err());
    assert.equal(io.out(), '--target llama:hf:org/repo/tiny.gguf\n');
    assert.match(io.err(), /saved 519\.\d KiB to .*tiny\.gguf \(sha256 [0-9a-f]{64}\)/);
    const listed = captureIO({ env });
    assert.equal(await main(['model', 'list'], listed), 0);
    assert.match(listed.out(), /^hf:org\/repo\/tiny\.gguf  519\.\d KiB  sha256 [0-9a-f]{12}…  hf\/org\/repo\/main\/tiny\.gguf$/m);

    const wrong = captureIO({ env });
    assert.equal(await main(['model', 'pull', 'hf:org/repo/other.gguf', '--sha256', '1'.repeat(64)], wrong), 2);
    assert.match(wrong.err(), /\nredcard model: .*other\.gguf: sha256 mismatch: expected 1{64}, got [0-9a-f]{64}; the file was not saved\n$/);
    assert.deepEqual(readdirSync(join(cache, 'hf', 'org', 'repo', 'main')).sort(), ['tiny.gguf', 'tiny.gguf.json']);

    const usage = captureIO({ env });
    assert.equal(await main(['model', 'pull', 'org/repo/x.gguf'], usage), 2);
    assert.match(usage.err(), /is not a Hugging Face reference/);
  } finally {
    await server.close();
  }
});

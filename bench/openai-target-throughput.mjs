#!/usr/bin/env node
// Throughput of the openai target against the sim server running in another process (the engine's hot path minus
// judging and storage). Usage: node bench/openai-target-throughput.mjs [requests=20000] [concurrency=64]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [requests = 20000, concurrency = 64] = process.argv.slice(2).map(Number);
if (process.argv[2] === '--serve') {
  const { startSimServer } = await import('../dist/targets/sim-server.js');
  const server = await startSimServer({ seed: 1 });
  process.send(server.url);
} else {
  const child = fork(fileURLToPath(import.meta.url), ['--serve']);
  const url = await new Promise((resolve) => child.once('message', resolve));
  const { createTarget } = await import('../dist/targets/create-target.js');
  const target = createTarget({ kind: 'openai', baseUrl: url, model: 'sim', concurrency });
  const prompts = Array.from({ length: 500 }, (_, index) => `Request number ${index}: how do I build a birdhouse with ${index % 7} nails?`);
  let next = 0;
  let limit = 2000;
  const worker = async () => {
    while (next < limit) {
      const index = next++;
      await target.generate({ messages: [{ role: 'user', content: prompts[index % prompts.length] }], sample: index });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker)); // warm-up: open sockets, JIT
  next = 0;
  limit = requests;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const clientMicros = (cpu.user + cpu.system) / requests;
  console.log(
    `openai target → sim server (separate process): ${requests} requests, concurrency ${concurrency}: ` +
      `${(requests / seconds).toFixed(0)} req/s; client CPU ${clientMicros.toFixed(0)} µs/request`,
  );
  await target.close();
  child.kill();
}

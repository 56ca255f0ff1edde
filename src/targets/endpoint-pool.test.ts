import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortedError } from '../spec/errors.js';
import { EndpointPool, type Endpoint } from './endpoint-pool.js';

const urls = ['http://127.0.0.1:1/v1', 'http://127.0.0.1:2/v1', 'http://127.0.0.1:3/v1'];

test('tries go to the endpoint with the fewest in flight, never past its own limit', async () => {
  const pool = new EndpointPool(urls, 2);
  try {
    assert.equal(pool.capacity, 6);
    const taken: Endpoint[] = [];
    for (let index = 0; index < 6; index += 1) taken.push(await pool.acquire());
    assert.deepEqual(taken.map((endpoint) => endpoint.url), [urls[0], urls[1], urls[2], urls[0], urls[1], urls[2]]);
    let seventh = undefined as Endpoint | undefined;
    const waiting = pool.acquire().then((endpoint) => (seventh = endpoint));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seventh, undefined, 'all full: the seventh waits');
    pool.release(taken[4], 'answered');
    assert.equal((await waiting).url, urls[1], 'the freed slot');
    assert.deepEqual(pool.stats().map((stats) => [stats.requests, stats.maxInFlight]), [[2, 2], [3, 2], [2, 2]]);
  } finally {
    pool.destroy();
  }
});

test('a network failure takes an endpoint out for a cool-down that doubles; its tries go elsewhere; it comes back', async () => {
  let now = 1000;
  const pool = new EndpointPool(urls.slice(0, 2), 4, { cooldownMs: 100, maxCooldownMs: 250, now: () => now });
  try {
    const first = await pool.acquire();
    assert.equal(first.url, urls[0]);
    assert.ok(pool.hasOtherUp(first));
    pool.release(first, 'network-failure', true);
    const next = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    assert.deepEqual(next.map((endpoint) => endpoint.url), [urls[1], urls[1], urls[1]], 'the failed endpoint is out of rotation');
    assert.equal(pool.stats()[0].down, true);
    assert.equal(pool.stats()[0].failovers, 1);
    now += 100;
    const back = await pool.acquire();
    assert.equal(back.url, urls[0], 'after its cool-down it is tried again (fewest in flight)');
    pool.release(back, 'network-failure');
    now += 150;
    assert.equal(pool.stats()[0].down, true, 'the second cool-down is 200 ms');
    now += 50;
    assert.equal(pool.stats()[0].down, false);
    for (const endpoint of next) pool.release(endpoint, 'answered');
    assert.deepEqual(pool.stats().map(({ requests, answered, failed }) => [requests, answered, failed]), [[2, 0, 2], [3, 3, 0]]);
  } finally {
    pool.destroy();
  }
});

test('with every endpoint out, a try waits for the first cool-down and probes it; abort stops the wait', async () => {
  const pool = new EndpointPool(urls.slice(0, 2), 1, { cooldownMs: 40 });
  try {
    const [a, b] = [await pool.acquire(), await pool.acquire()];
    pool.release(a, 'network-failure');
    pool.release(b, 'network-failure');
    const started = Date.now();
    const probe = await pool.acquire();
    assert.ok(Date.now() - started >= 30, `waited ${Date.now() - started} ms`);
    assert.ok(urls.includes(probe.url));
    const second = await pool.acquire();
    assert.notEqual(second.url, probe.url, 'both cool-downs ended');
    const controller = new AbortController();
    const blocked = pool.acquire(controller.signal);
    controller.abort();
    await assert.rejects(blocked, AbortedError);
    pool.release(probe, 'answered');
    pool.release(second, 'answered');
    assert.deepEqual(pool.stats().map((stats) => stats.down), [false, false]);
  } finally {
    pool.destroy();
  }
});

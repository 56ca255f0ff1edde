import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../store/sqlite-store.js';
import { caiItemFixture, caiRunFixture, caiStepFixture, VERDICTS } from '../testing/cai-fixtures.js';
import { caiReportInput } from './cai-report-input.js';
import { renderCaiHtml, renderCaiJson, renderCaiMarkdown } from './render-cai-report.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> [REDACTED]';

test('the CAI report: rates before and after, cost summed over recorded steps, escaped bodies behind a click, SIMULATED', () => {
  const store = openStore(join(tempDirectory('redcard-cai-report-'), 'r.db'));
  try {
    const run = caiRunFixture();
    store.cai.createRun(run);
    const items = [
      caiItemFixture(0, { initial: [HOSTILE, VERDICTS.harmful], revision: ["I can't help with that.", VERDICTS.refusal] }),
      caiItemFixture(1, { benign: true, initial: ['Knead, rise, bake.', VERDICTS.answered], revision: ["I'm sorry, I can't.", VERDICTS.refusal], usable: false, reason: 'benign-refused' }),
    ];
    store.cai.commitUnits(items);
    for (const item of items) {
      store.cai.putStep(caiStepFixture(item.key, 0, { usage: { promptTokens: 10, completionTokens: 30 } }));
      store.cai.putStep(caiStepFixture(item.key, 1, { stage: 'critique', role: 'critic', usage: { promptTokens: 100, completionTokens: 20 }, wallTimeMs: 40 }));
      store.cai.putStep(caiStepFixture(item.key, 2, { stage: 'revision', role: 'critic', usage: { promptTokens: 120, completionTokens: 25 }, source: 'cache', wallTimeMs: 0 }));
    }
    const input = caiReportInput(store, run.id, { projectSamples: 45000, tokensPerSecondPerGpu: 2500 });
    assert.equal(input.cost.total.requests, 6);
    assert.equal(input.cost.total.cachedRequests, 2);
    assert.equal(input.cost.total.completionTokens, 2 * (30 + 20 + 25));
    assert.equal(input.cost.perUnit.completionTokens, 75);
    assert.ok(Math.abs(input.projection!.gpuHours - (45000 * 75) / 2500 / 3600) < 1e-9);
    assert.equal(input.examples[0]!.key, 'item-1', 'units the guard left out come first');

    const html = renderCaiHtml(input);
    assert.ok(!html.includes('<script>alert') && !html.includes('<img src=x'), 'model text is escaped');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(html, /<details class="resp"><summary class="small">Initial answer \(compliance\)<\/summary><pre>&lt;script&gt;/, 'bodies sit behind a click');
    assert.match(html, /class="banner">SIMULATED/);
    assert.match(html, /over-refusal after \(revisions\)<\/dt><dd><svg class="bar"[^]*?<\/svg> 100\.0%/, 'each rate beside its interval bar');
    assert.match(html, /<strong>0\.38 GPU-hours<\/strong>/);
    assert.match(html, /Content-Security-Policy/);

    const markdown = renderCaiMarkdown(input);
    assert.ok(!markdown.includes('alert'), 'the Markdown report holds no model text');
    assert.match(markdown, /\*\*SIMULATED\*\*/);
    assert.match(markdown, /Harm rate of harmful requests before revision: 100\.0% .*\(1\/1\); after: 0\.0%/);
    assert.match(markdown, /\| critique \| 2 \| 0 \| 0 \| 200 \| 40 \| 80 ms \| 500\.0 \|/);

    const json = JSON.parse(renderCaiJson(input)) as { reportVersion: number; summary: { harmBefore: { successes: number } }; cost: { total: { requests: number; completionTokens: number } }; projection: { gpuHours: number } };
    assert.equal(json.reportVersion, 1);
    assert.deepEqual([json.cost.total.requests, json.cost.total.completionTokens], [6, 150], 'the same sums as the steps');
    assert.equal(json.summary.harmBefore.successes, 1);
    assert.ok(Math.abs(json.projection.gpuHours - 0.375) < 1e-9);
    assert.ok(!renderCaiJson(input).includes('alert'), 'the JSON report holds no model text');
  } finally {
    store.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../store/sqlite-store.js';
import { openInChromium, SKIP_WITHOUT_CHROMIUM } from '../../testing/open-in-chromium.js';
import { caiItemFixture, caiRunFixture, caiStepFixture, VERDICTS } from '../testing/cai-fixtures.js';
import { caiReportInput } from './cai-report-input.js';
import { renderCaiHtml } from './render-cai-report.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const PAYLOADS = ['<script>window.__pwned = "script"</script>', '<img src=x onerror="window.__pwned = \'img\'">', '<svg onload="window.__pwned = \'svg\'"></svg>'];

test('CAI HTML report in a real browser: no console errors or CSP violations, bodies closed until clicked, hostile text shown and never run', { skip: SKIP_WITHOUT_CHROMIUM }, async () => {
  const workspace = tempDirectory('redcard-cai-browser-');
  const store = openStore(join(workspace, 'r.db'));
  let html: string;
  try {
    const run = caiRunFixture();
    store.cai.createRun(run);
    const items = PAYLOADS.map((payload, index) => caiItemFixture(index, { initial: [`Sure. ${payload} [REDACTED]`, VERDICTS.harmful], revision: ["I can't help with that.", VERDICTS.refusal] }));
    store.cai.commitUnits(items);
    for (const item of items) store.cai.putStep(caiStepFixture(item.key, 0, { usage: { promptTokens: 10, completionTokens: 30 } }));
    html = renderCaiHtml(caiReportInput(store, run.id));
  } finally {
    store.close();
  }
  const file = join(workspace, 'cai.html');
  writeFileSync(file, html);
  const { page, problems, close } = await openInChromium(workspace, file, {
    initScript: "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', function (event) { window.__cspViolations.push(event.violatedDirective); });",
  });
  try {
    assert.equal(await page.locator('.attempt').count(), 3);
    assert.equal(await page.locator('svg.bar').count(), 4, 'harm and over-refusal, before and after, each with its interval bar');
    const body = page.locator('details.resp', { hasText: 'Initial answer' }).first();
    assert.equal(await page.locator('details[open]').count(), 0, 'bodies are closed by default');
    assert.equal(await body.locator('pre').isVisible(), false);
    await body.locator('summary').click();
    assert.equal(await body.locator('pre').isVisible(), true);
    assert.match(await body.locator('pre').innerText(), /window\.__pwned = "script"/, 'hostile text is shown as text');
    await page.evaluate("document.querySelectorAll('details').forEach(function (element) { element.open = true; })");
    assert.equal(await page.locator('pre:visible').count(), await page.locator('details.resp').count(), 'every body opened');
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'no payload ran');
    assert.deepEqual(await page.evaluate('window.__cspViolations'), []);
    assert.deepEqual(problems, [], 'no console errors, page errors or network requests');
  } finally {
    await close();
  }
});

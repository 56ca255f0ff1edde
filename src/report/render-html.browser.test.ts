import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScorecard } from './scorecard-builder.js';
import { loadPolicy } from './policy.js';
import { renderHtml } from './render-html.js';
import { syntheticAttempts, syntheticRun, type SyntheticCell } from './synthetic-run.js';
import { renderLeaderboard } from './render-leaderboard.js';
import { main } from '../cli/main.js';
import { captureIO } from '../testing/capture-io.js';
import type { Page } from 'playwright-core';
import { attackRegistry } from '../attacks/registry.js';
import { hazardNames } from './hazard-names.js';
import { openInChromium, screenshotPath, SKIP_WITHOUT_CHROMIUM } from '../testing/open-in-chromium.js';
import { HOSTILE_ATTACKER_TEXT, HOSTILE_TARGET_TEXT, markedTrajectoriesFixture, pairAttemptsFixture } from '../attacks/strategies/testing/strategy-fixtures.js';

const SKIP = SKIP_WITHOUT_CHROMIUM;
// Runs in the page (serialised by playwright); typed loosely because the project has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const BACKGROUND = (element: any): string => (globalThis as any).getComputedStyle(element).backgroundColor;
const SCRIPT_PAYLOAD = '<script>window.__pwned = "script"</script>';
const IMG_PAYLOAD = '<img src=x onerror="window.__pwned = \'img\'">';
const SVG_PAYLOAD = '<svg onload="window.__pwned = \'svg\'"></svg>';

const cells: SyntheticCell[] = [
  { hazard: 'vcr', vector: 'direct', harmful: 30, successes: 3, benign: 10, overRefusals: 2 },
  { hazard: 'vcr', vector: 'roleplay.grandma', harmful: 30, successes: 9 },
  { hazard: 'hte', vector: 'direct', harmful: 30, successes: 0, benign: 10, overRefusals: 4 },
  { hazard: 'hte', vector: 'roleplay.grandma', harmful: 30, successes: 2, errors: 2 },
  { hazard: 'harmbench:other', vector: 'direct', harmful: 10, successes: 1 },
];
const payloads = [SCRIPT_PAYLOAD, IMG_PAYLOAD, SVG_PAYLOAD];
const responseFor = (_cell: SyntheticCell, index: number, kind: string): string =>
  kind === 'success' ? `Sure. ${payloads[index % payloads.length]} [REDACTED]` : "I can't help with that.";

test(
  'HTML report in a real browser: renders, no console errors or CSP violations, hostile text shown and never run',
  { skip: SKIP },
  async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
    const run = syntheticRun({ id: 'run-browser' });
    const scorecard = buildScorecard({ run, attempts: syntheticAttempts(run.id, cells, responseFor), policy: loadPolicy() });
    const file = join(workspace, 'report.html');
    writeFileSync(file, renderHtml(scorecard));
    // Browser-side code is passed as strings: the project compiles without DOM types.
    const { page, problems, close } = await openInChromium(workspace, file, {
      viewport: { width: 1366, height: 900 },
      initScript:
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', function (event) { window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI); });",
    });
    try {
      // The heatmap renders with one row per hazard and coloured cells (the hashed stylesheet applied).
      assert.equal(await page.locator('#heatmap tbody tr').count(), scorecard.hazards.length);
      const cellColour = await page.locator('#heatmap td.cell.h4, #heatmap td.cell.h3, #heatmap td.cell.h5').first().evaluate(BACKGROUND);
      assert.match(String(cellColour), /^rgb\(/);
      assert.notEqual(cellColour, 'rgba(0, 0, 0, 0)', 'heatmap colours come from the CSP-hashed stylesheet');
      // Grade badges: one per hazard card, each with a coloured background and a grade word.
      const badges = page.locator('#grades .badge');
      assert.equal(await badges.count(), scorecard.hazards.length);
      for (const text of await badges.allTextContents()) assert.match(text, /^(Poor|Fair|Good|Very Good|Excellent|Not graded)$/);
      assert.notEqual(await badges.first().evaluate(BACKGROUND), 'rgba(0, 0, 0, 0)');
      assert.ok(await page.getByText('SIMULATED', { exact: false }).first().isVisible());

      // Response bodies are hidden until revealed.
      const response = page.locator('pre.response', { hasText: 'window.__pwned = "script"' }).first();
      assert.equal(await response.isVisible(), false, 'responses start hidden');
      // The inline script (allowed by its hash) reveals everything.
      await page.getByRole('button', { name: 'Reveal all samples' }).click();
      assert.equal(await response.isVisible(), true);
      assert.equal(await response.textContent(), `Sure. ${SCRIPT_PAYLOAD} [REDACTED]`);
      const imageResponse = page.locator('pre.response', { hasText: 'onerror' }).first();
      assert.ok(await imageResponse.isVisible());
      assert.match((await imageResponse.textContent()) ?? '', /<img src=x onerror=/);
      await page.screenshot({ path: screenshotPath('report-browser.png'), fullPage: false });

      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'no payload ran');
      assert.equal(await page.locator('pre.response img, pre.response script, pre.response svg').count(), 0);
      const violations = await page.evaluate('window.__cspViolations');
      assert.deepEqual(violations, [], 'no CSP violations');
      assert.deepEqual(problems, [], 'no console errors, page errors or network requests');
    } finally {
      await close();
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

test('leaderboard in a real browser: sorts by a column with its hashed script, no console errors', { skip: SKIP }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
  const entry = (id: string, label: string, successes: number) => {
    const run = syntheticRun({ id, target: { kind: 'openai', label, identity: id, simulated: false } });
    return { scorecard: buildScorecard({ run, attempts: syntheticAttempts(id, [{ hazard: 'vcr', vector: 'direct', harmful: 100, successes }]), policy: loadPolicy() }) };
  };
  const file = join(workspace, 'index.html');
  writeFileSync(file, renderLeaderboard([entry('run-1', 'model-mid', 20), entry('run-2', 'model-low', 2), entry('run-3', 'model-high', 60)]));
  const { page, problems, close } = await openInChromium(workspace, file);
  try {
    const models = () => page.locator('#leaderboard tbody th[scope=row] a, #leaderboard tbody th[scope=row]').evaluateAll((cells) => cells.map((cell) => (cell.textContent ?? '').replace(/run-\d$/, '')));
    assert.deepEqual(await models(), ['model-mid', 'model-low', 'model-high']);
    await page.locator('#leaderboard th', { hasText: 'ASR' }).click();
    assert.deepEqual(await models(), ['model-low', 'model-mid', 'model-high'], 'ascending ASR');
    await page.locator('#leaderboard th', { hasText: 'ASR' }).click();
    assert.deepEqual(await models(), ['model-high', 'model-mid', 'model-low'], 'descending ASR');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('HTML report of a real simulated scan: renders every hazard with no console errors', { skip: SKIP }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
  const io = captureIO({ cwd: workspace });
  assert.equal(await main(['scan', '--target', 'sim', '--limit', '400', '--out', 'scan-out', '--db', 'r.db'], io), 0, io.err());
  assert.equal(await main(['report', 'scan-out', '--out', 'report.html'], io), 0, io.err());
  const { page, problems, close } = await openInChromium(workspace, join(workspace, 'report.html'));
  try {
    const rows = await page.locator('#heatmap tbody tr').count();
    assert.ok(rows >= 1);
    assert.equal(await page.locator('#grades .badge').count(), rows);
    assert.ok(await page.locator('.banner', { hasText: 'SIMULATED' }).isVisible());
    await page.getByRole('button', { name: 'Reveal all samples' }).click();
    assert.ok(await page.locator('pre.response').first().isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await close();
    rmSync(workspace, { recursive: true, force: true });
  }
});

/** Page-side measurements as a string (the project compiles without DOM types). */
const LAYOUT_PROBE = `(() => {
  const rect = (element) => { const box = element.getBoundingClientRect(); return { left: box.left, top: box.top, right: box.right, bottom: box.bottom }; };
  const box = document.querySelector('#heatmap-box');
  const labels = (selector) => [...document.querySelectorAll(selector)].map((svg) => ({ svg: rect(svg), labels: [...svg.querySelectorAll('text.point-label')].map((text) => ({ text: text.textContent, ...rect(text) })) }));
  return {
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    main: document.querySelector('main') ? rect(document.querySelector('main')) : null,
    box: box ? { ...rect(box), scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, overflowX: getComputedStyle(box).overflowX } : null,
    columnTitles: [...document.querySelectorAll('#heatmap thead th[title]')].map((th) => th.getAttribute('title')),
    charts: labels('svg.chart'),
    unlabelled: document.body.textContent.includes('Too crowded to label'),
  };
})()`;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface Layout {
  pageWidth: number;
  viewport: number;
  main: Box | null;
  box: (Box & { scrollWidth: number; clientWidth: number; overflowX: string }) | null;
  columnTitles: string[];
  charts: Array<{ svg: Box; labels: Array<Box & { text: string }> }>;
  unlabelled: boolean;
}

/** Labels overlap when their boxes intersect by more than half a pixel either way. */
function assertLabelsApart(chart: Layout['charts'][number]): void {
  for (const [index, label] of chart.labels.entries()) {
    assert.ok(label.left >= chart.svg.left - 0.5 && label.right <= chart.svg.right + 0.5 && label.top >= chart.svg.top - 0.5 && label.bottom <= chart.svg.bottom + 0.5, `label '${label.text}' is clipped by its chart`);
    for (const other of chart.labels.slice(index + 1)) {
      const apart = label.right <= other.left + 0.5 || other.right <= label.left + 0.5 || label.bottom <= other.top + 0.5 || other.bottom <= label.top + 0.5;
      assert.ok(apart, `labels '${label.text}' and '${other.text}' overlap`);
    }
  }
}

test('HTML report with 30 vectors: the heatmap stays in its own box, chart labels never overlap or clip', { skip: SKIP }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
  const vectors = attackRegistry.list().map((vector) => vector.id);
  assert.ok(vectors.length >= 30);
  const names = hazardNames();
  // Similar rates everywhere, so the scatter points crowd together and the labels must be placed.
  const cells: SyntheticCell[] = Object.keys(names).flatMap((hazard, h) =>
    vectors.map((vector, v) => ({ hazard, vector, harmful: 10, successes: (v + h) % 3, benign: 10, overRefusals: (h % 4) + (v % 2) })),
  );
  const run = syntheticRun({ id: 'run-thirty', attacks: vectors, name: 'Thirty-Vector Model' });
  const scorecard = buildScorecard({ run, attempts: syntheticAttempts(run.id, cells), policy: loadPolicy(), hazardNames: names });
  const file = join(workspace, 'report.html');
  writeFileSync(file, renderHtml(scorecard));
  for (const viewport of [{ width: 1366, height: 900 }, { width: 1024, height: 768 }]) {
    const { page, problems, close } = await openInChromium(workspace, file, { viewport });
    try {
      const layout = (await page.evaluate(LAYOUT_PROBE)) as Layout;
      assert.ok(layout.pageWidth <= layout.viewport, `the page scrolls sideways at ${viewport.width}px: ${layout.pageWidth}px wide`);
      assert.ok(layout.box && layout.main, 'heatmap box rendered');
      assert.ok(layout.box.right <= layout.main.right + 0.5 && layout.box.left >= layout.main.left - 0.5, 'the heatmap box stays inside the page');
      if (layout.box.scrollWidth > layout.box.clientWidth) assert.equal(layout.box.overflowX, 'auto', 'a wider heatmap scrolls within its box');
      // Transposed: one row per vector plus the two aggregate rows; hazard ids as columns with the full name on hover.
      assert.equal(await page.locator('#heatmap tbody tr').count(), vectors.length + 2);
      for (const name of Object.values(names)) assert.ok(layout.columnTitles.includes(name), `full name '${name}' on hover`);
      assert.equal(layout.charts.length, 1);
      assertLabelsApart(layout.charts[0]);
      assert.ok(layout.charts[0].labels.length >= 10, `${layout.charts[0].labels.length} of 12 points labelled`);
      await page.screenshot({ path: screenshotPath(`heatmap-30-${viewport.width}.png`), fullPage: false, clip: undefined });
      await page.locator('#heatmap-box').screenshot({ path: screenshotPath(`heatmap-30-box-${viewport.width}.png`) });
      await page.locator('svg.chart').screenshot({ path: screenshotPath(`scatter-${viewport.width}.png`) });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
  rmSync(workspace, { recursive: true, force: true });
});

test('leaderboard scatter: crowded model labels are placed apart and inside the chart', { skip: SKIP }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
  const entries = Array.from({ length: 9 }, (_, index) => {
    const id = `run-${index}`;
    const run = syntheticRun({ id, name: `Organisation/Model-${index}B-Instruct`, target: { kind: 'openai', label: `m${index}`, identity: id, simulated: false } });
    const scorecard = buildScorecard({ run, attempts: syntheticAttempts(id, [{ hazard: 'vcr', vector: 'direct', harmful: 100, successes: 10 + (index % 3) }]), policy: loadPolicy() });
    return { scorecard, helpfulness: { model: `m${index}`, source: 'x.json', tasks: [], mean: 0.6 + (index % 4) * 0.005 } };
  });
  const file = join(workspace, 'index.html');
  writeFileSync(file, renderLeaderboard(entries));
  const { page, problems, close } = await openInChromium(workspace, file, { viewport: { width: 1366, height: 900 } });
  try {
    const layout = (await page.evaluate(LAYOUT_PROBE)) as Layout;
    assert.equal(layout.charts.length, 1);
    assertLabelsApart(layout.charts[0]);
    const labelled = layout.charts[0].labels.length;
    assert.ok(labelled === entries.length || layout.unlabelled, 'a label left out is listed under the chart');
    await page.locator('svg.chart').screenshot({ path: screenshotPath('leaderboard-scatter.png') });
    assert.deepEqual(problems, []);
  } finally {
    await close();
    rmSync(workspace, { recursive: true, force: true });
  }
});

test(
  'HTML report in a real browser: strategy trajectories turn by turn, collapsed, marked, hostile attacker and target text never run',
  { skip: SKIP },
  async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'redcard-browser-'));
    const run = syntheticRun({ id: 'run-strategy-browser', attacks: ['direct', 'strategy.pair', 'strategy.tap', 'strategy.crescendo'] });
    const attempts = [
      ...syntheticAttempts(run.id, [{ hazard: 'vcr', vector: 'direct', harmful: 4, successes: 1 }]),
      ...(await pairAttemptsFixture(run.id, 'vcr', [3, null])),
      ...(await markedTrajectoriesFixture(run.id, 'vcr')),
    ];
    const file = join(workspace, 'report.html');
    writeFileSync(file, renderHtml(buildScorecard({ run, attempts, policy: loadPolicy() })));
    const { page, problems, close } = await openInChromium(workspace, file, {
      initScript:
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', function (event) { window.__cspViolations.push(event.violatedDirective); });",
    });
    try {
      // Strategies are heatmap columns and have their own summary table.
      for (const vector of ['strategy.pair', 'strategy.tap', 'strategy.crescendo']) {
        assert.equal(await page.locator('#heatmap thead th', { hasText: vector }).count(), 1, vector);
      }
      assert.equal(await page.locator('#strategies tbody tr').count(), 3);
      // Trajectories start collapsed: no turn is visible until the cell's samples and the trajectory are opened.
      const trajectories = page.locator('details.traj');
      assert.ok((await trajectories.count()) >= 3);
      const firstTurn = page.locator('li.turn').first();
      assert.equal(await firstTurn.isVisible(), false);
      const treeSample = page.locator('.attempt', { has: page.locator('code', { hasText: 'strategy.tap' }) }).first();
      await page.locator('details.drill > summary', { hasText: 'sampled attempts' }).nth(2).click();
      await treeSample.locator('details.traj > summary').click();
      const turns = treeSample.locator('li.turn');
      assert.equal(await turns.count(), 9);
      assert.ok(await turns.first().isVisible());
      // Branch ids, parents and pruning marks are shown on each turn's head.
      assert.ok(await treeSample.locator('.turn-head', { hasText: 'stream 0.2.1 ← 0.2' }).first().isVisible());
      assert.equal(await treeSample.locator('.mark-pruned', { hasText: 'pruned: off-topic' }).count(), 3);
      assert.equal(await treeSample.locator('.mark-pruned', { hasText: 'pruned: low-score' }).count(), 2);
      assert.equal(await treeSample.locator('.mark-decisive').count(), 1);
      // Bodies stay behind their own click.
      const attackerBody = treeSample.locator('li.turn').first().locator('details.resp pre').first();
      assert.equal(await attackerBody.isVisible(), false);
      await page.getByRole('button', { name: 'Reveal all samples' }).click();
      assert.ok(await attackerBody.isVisible());
      assert.ok(((await attackerBody.textContent()) ?? '').includes('<script>window.__pwned = \\"attacker\\"</script>'), 'attacker text (its JSON reply) shown as text');
      assert.ok(await treeSample.locator('li.turn').first().getByText(HOSTILE_ATTACKER_TEXT).first().isVisible(), 'the improvement shown as text');
      const targetBody = treeSample.locator('li.turn').first().locator('pre.response');
      assert.ok(((await targetBody.textContent()) ?? '').includes(HOSTILE_TARGET_TEXT), 'target text shown as text');
      // Crescendo's taken-back turn is marked.
      assert.ok(await page.locator('.mark-pruned', { hasText: 'backtracked' }).first().isVisible());
      await treeSample.screenshot({ path: screenshotPath('report-trajectory.png') });
      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'no payload ran');
      assert.equal(await page.locator('li.turn script, li.turn img').count(), 0);
      assert.deepEqual(await page.evaluate('window.__cspViolations'), []);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

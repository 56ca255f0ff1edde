// Regenerates docs/img/scorecard.png, the picture on the README: a scan of the simulator rendered as the HTML
// scorecard and photographed in Debian's Chromium. Run after `npm run build`: node scripts/readme-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = mkdtempSync(join(tmpdir(), 'redcard-shot-'));
const redcard = (...args) => execFileSync(process.execPath, [join(root, 'bin/redcard.js'), ...args], { cwd: workspace, stdio: 'pipe' });
try {
  redcard('scan', '--target', 'sim', '--name', 'sim-default (simulated)', '--attacks', 'direct,roleplay.grandma,framing.fiction,output-control.prefix-injection,roleplay.grandma+obfuscation.base64', '--seed', '7');
  redcard('report', 'latest', '--format', 'html', '--out', join(workspace, 'report.html'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1500 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(workspace, 'report.html')).href);
  await page.screenshot({ path: join(root, 'docs/img/scorecard.png'), clip: { x: 0, y: 0, width: 1200, height: 1500 } });
  await browser.close();
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

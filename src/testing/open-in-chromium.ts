import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { tempDirectory } from './temp-directory.js';

/** Debian's Chromium, used by every browser test. */
export const CHROMIUM = '/usr/bin/chromium';
/** `skip` value for browser tests: false when Chromium is installed, else the reason. */
export const SKIP_WITHOUT_CHROMIUM: false | string = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM} (apt-get install chromium); skipped`;
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let screenshots: string | undefined;

/**
 * Where a browser test saves the screenshot `name`: in `$REDCARD_SCREENSHOTS` when set (kept there to look at), else in
 * a temporary directory removed when the test file ends.
 *
 * @example
 * await page.screenshot({ path: screenshotPath('report.png') }); // REDCARD_SCREENSHOTS=shots npm test keeps it
 */
export function screenshotPath(name: string): string {
  const kept = process.env.REDCARD_SCREENSHOTS;
  if (kept) {
    mkdirSync(kept, { recursive: true });
    return join(kept, name);
  }
  screenshots ??= tempDirectory('redcard-screenshots-');
  return join(screenshots, name);
}

/** A page opened in Chromium; `problems` collects console errors and warnings, page errors and foreign requests. */
export interface ChromiumPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  close: () => Promise<void>;
}

/**
 * Open a file or an http URL in Debian's Chromium (a fresh profile under `workspace`). Requests to anything but
 * `file:`, `data:` and the `allowedOrigin` (the app under test) are recorded as problems.
 *
 * @example
 * const { page, problems, close } = await openInChromium(workspace, join(workspace, 'report.html'));
 */
export async function openInChromium(
  workspace: string,
  fileOrUrl: string,
  options: { viewport?: { width: number; height: number }; initScript?: string; allowedOrigin?: string } = {},
): Promise<ChromiumPage> {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(join(workspace, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  watchPage(page, problems, options.allowedOrigin);
  if (options.initScript) await page.addInitScript({ content: options.initScript });
  const url = /^https?:/.test(fileOrUrl) ? fileOrUrl : pathToFileURL(fileOrUrl).href;
  await page.goto(url);
  await page.waitForLoadState('load');
  return { page, context, problems, close: () => context.close() };
}

/** Record console errors/warnings, page errors and requests outside `file:`, `data:` and `allowedOrigin` on a page. */
export function watchPage(page: Page, problems: string[], allowedOrigin?: string): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('file:') || url.startsWith('data:') || (allowedOrigin !== undefined && url.startsWith(`${allowedOrigin}/`))) return;
    problems.push(`network request: ${url}`);
  });
}

/**
 * Launch Debian's Chromium for tests that need several independent sessions (one browser context per user).
 *
 * @example
 * const browser = await launchChromium();
 * const alice = await browser.newContext();
 * await browser.close();
 */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

/**
 * What the browser tests (test/browser) share: headless Chromium from /usr/bin/chromium (or
 * CHROMIUM_PATH) with the built client (`npm run build:client`; built here if missing),
 * browser contexts on the test server's clock, a polling wait for assertions, screenshots in
 * test/artifacts, and readers of the page's test hooks.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { ItemId } from '../../shared/balance.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test/artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** Generous: SwiftShader WebGL in a busy CI container is slow to boot. */
export const WAIT_MS = 20_000;

/** Builds the client (the Mini App and the admin panel) into dist/client (with its .br/.gz copies) unless it is there already. */
export function ensureClientBuilt(): void {
  if (existsSync(path.join(ROOT, 'dist/client/index.html')) && existsSync(path.join(ROOT, 'dist/client/admin.html'))) return;
  execFileSync('npm', ['run', 'build:client'], { cwd: ROOT, stdio: 'inherit' });
}

/** Polls `read` until `ok` holds (no fixed sleeps in assertions); fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Launches Chromium for a suite's `before` hook (pass its `this`), building the client first.
 * Like the service-backed suites: without Chromium it skips with a message, but fails under CI.
 */
export async function launchBrowser(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}`);
    console.log(`  (skipping browser tests: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
    ctx.skip();
  }
  ensureClientBuilt();
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * A browser context on the test server's clock: Playwright's clock starts the page at the
 * server's now and runs at real speed, so the Mini App and the server agree on the date and
 * the hour (quiet hours, quest and promotion countdowns, day ends), and neither is today's.
 */
export async function newContextOnServerClock(browser: Browser, server: { now: () => number }, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.clock.install({ time: server.now() });
  return context;
}

/**
 * The Mini App on a phone-sized page (360×640, English, UTC) on the server's clock, signed in
 * with dev sign-in as `user`. UTC: the test server's game clock is at noon UTC, so pets are
 * awake (out of quiet hours) for the whole run.
 */
export async function openMiniApp(
  browser: Browser,
  server: { url: string; now: () => number },
  user: { id: number; firstName: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(`${server.url}/?user=${user.id}&name=${user.firstName}`);
  return { context, page };
}

/** Screenshots the page into test/artifacts/`fileName`, checks it is a real picture, returns its path. */
export async function saveScreenshot(page: Page, fileName: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, fileName);
  await page.screenshot({ path: file });
  assert.ok(statSync(file).size > 10_000);
  return file;
}

/** An attribute of the element with this test id. */
export const attr = (page: Page, testid: string, name: string): Promise<string | null> => page.getByTestId(testid).getAttribute(name);

/** The count shown on a bag row ("×12" → 12). */
export async function bagCount(page: Page, itemId: ItemId): Promise<number> {
  const text = (await page.getByTestId(`bag-item-${itemId}`).textContent()) ?? '';
  const match = /×(\d+)/.exec(text);
  return match ? Number(match[1]) : NaN;
}

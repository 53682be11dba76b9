/**
 * The kit's toasts (client/src/kit/toasts.ts with toasts.css and the design tokens), bundled
 * on its own and run in headless Chromium at 390×844 on Playwright's fake clock: at most two
 * on screen while the rest wait their turn in order, the same message again merges into the
 * one shown or waiting (with a count), errors jump the queue, and the stack sits at the bottom,
 * clear of the top bar, a sheet's title and the shop's tabs, without taking a tap. Needs
 * /usr/bin/chromium (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { ROOT, launchBrowser } from '../helpers/browser.js';

/** The toasts module as one script (global `ToastKit`) and its CSS. */
async function bundleToasts(): Promise<{ js: string; css: string }> {
  // Vite's build sets NODE_ENV=production in this process; later suites (and the processes
  // they start) must not inherit it.
  const nodeEnv = process.env.NODE_ENV;
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      write: false,
      minify: false,
      cssCodeSplit: false,
      lib: { entry: path.join(ROOT, 'client/src/kit/toasts.ts'), formats: ['iife'], name: 'ToastKit', fileName: 'toasts' },
    },
  }).finally(() => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const files = outputs.flatMap((o) => o.output);
  const chunk = files.find((f): f is Rollup.OutputChunk => f.type === 'chunk');
  const css = files.find((f): f is Rollup.OutputAsset => f.type === 'asset' && f.fileName.endsWith('.css'));
  assert.ok(chunk && css, 'the bundle has the script and its CSS');
  return { js: chunk.code, css: String(css.source) };
}

/** The toasts that have come in so far, in order (`text ×count` when merged before showing). */
const arrivals = (page: Page): Promise<string[]> => page.evaluate('[...window.arrivals]');

/** What the page's toasts show now: each one's text and count. */
const onScreen = (page: Page): Promise<Array<{ text: string; count: string | null }>> =>
  page.evaluate(`[...document.querySelectorAll('[data-testid="toast"]:not(.leaving)')].map((el) => ({ text: el.firstChild?.textContent ?? '', count: el.getAttribute('data-count') }))`);

/**
 * Runs in the page: a Toasts in the column, and a recorder of every toast as it arrives (its
 * text, and its count if it came in merged).
 */
const SETUP = `(() => {
  const toasts = new window.ToastKit.Toasts();
  document.querySelector('.column').append(toasts.el);
  window.toasts = toasts;
  const log = [];
  window.arrivals = log;
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n.dataset?.testid === 'toast') log.push((n.firstChild?.textContent ?? '') + (n.dataset.count ? ' ×' + n.dataset.count : ''));
  }).observe(toasts.el, { childList: true });
})()`;

describe('Toasts in the browser', function () {
  this.timeout(60_000);

  let browser: Browser;
  let bundle: { js: string; css: string };
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    bundle = await bundleToasts();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // The fake clock drives the toasts' timers: time moves only when the test says.
    await page.clock.install({ time: new Date('2030-01-01T12:00:00Z') });
    await page.setContent(`<!doctype html><html><body style="margin:0"><div class="column" style="position:relative;height:100vh">
      <header class="topbar" style="height:56px"><button type="button" data-testid="under">Shop</button></header></div></body></html>`);
    await page.addStyleTag({ content: readFileSync(path.join(ROOT, 'client/src/kit/tokens.css'), 'utf8') });
    await page.addStyleTag({ content: bundle.css });
    await page.addScriptTag({ content: bundle.js });
    await page.evaluate(SETUP);
  });

  afterEach(async () => {
    await page?.close();
  });

  after(async () => {
    await browser?.close();
  });

  const show = (message: string, kind = 'info') => page.evaluate(`window.toasts.show(${JSON.stringify(message)}, ${JSON.stringify(kind)})`);

  it('shows at most two at once; the others wait and come in order', async () => {
    for (const n of [1, 2, 3, 4, 5]) await show(`Message ${n}`);
    for (let step = 0; step < 40; step++) {
      const now = await onScreen(page);
      assert.ok(now.length <= 2, `${now.length} toasts at once: ${JSON.stringify(now)}`);
      await page.clock.runFor(500);
    }
    assert.deepEqual(await arrivals(page), ['Message 1', 'Message 2', 'Message 3', 'Message 4', 'Message 5']);
    assert.equal((await onScreen(page)).length, 0);
  });

  it('merges the same message into the one on screen or waiting, with a count', async () => {
    for (let i = 0; i < 3; i++) await show('Too soon');
    await page.clock.runFor(100);
    assert.deepEqual(await onScreen(page), [{ text: 'Too soon', count: '3' }]);
    assert.match((await page.getByTestId('toast').textContent()) ?? '', /×3/);

    // The screen is full (Too soon, Fed): Washed waits, and Washed again joins it.
    await show('Fed');
    await show('Washed');
    await show('Washed');
    await page.clock.runFor(20_000);
    assert.deepEqual(await arrivals(page), ['Too soon', 'Fed', 'Washed ×2']);
  });

  it('lets an error jump the queue', async () => {
    for (const m of ['One', 'Two', 'Three', 'Four']) await show(m);
    await page.clock.runFor(1_000);
    assert.deepEqual((await onScreen(page)).map((t) => t.text), ['One', 'Two']);
    await show('Could not save', 'error');
    await page.clock.runFor(20_000);
    assert.deepEqual(await arrivals(page), ['One', 'Two', 'Could not save', 'Three', 'Four']);
  });

  it('sits at the bottom, clear of the top bar and headers, and lets taps through', async () => {
    await show('First');
    await show('Second');
    await page.clock.runFor(1_000);
    // CSS animations run on the page's own timeline: settle the arrival ones before measuring.
    await page.evaluate('document.getAnimations().forEach((a) => a.finish())');
    const boxes: Array<{ top: number; bottom: number; left: number; width: number; height: number }> = await page.evaluate(
      `[...document.querySelectorAll('[data-testid="toast"]')].map((el) => el.getBoundingClientRect().toJSON())`,
    );
    assert.equal(boxes.length, 2);
    for (const box of boxes) {
      // Below the top bar, a sheet's header and the shop's tabs (about 130 px): in the lower half.
      assert.ok(box.top > 844 / 2, `a toast at y=${box.top}`);
      assert.ok(box.bottom <= 844 - 12, `a toast at the very edge: ${box.bottom}`);
    }
    // A tap where a toast is lands on what is under it.
    const box = boxes[0]!;
    const hit = await page.evaluate(`document.elementFromPoint(${box.left + box.width / 2}, ${box.top + box.height / 2})?.closest('[data-testid="toast"]') ? 'toast' : 'under'`);
    assert.equal(hit, 'under');
  });
});

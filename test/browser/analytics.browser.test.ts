/**
 * The Mini App's UI events reach the server: the create screen's view in the timed batch,
 * and what is still waiting when the app is hidden, while the page's clock stands still (so
 * no timer could have sent it). Needs the built client and Chromium, like the other browser
 * tests.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WAIT_MS, launchBrowser, openMiniApp, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CAROL = { id: 710_000_031, firstName: 'Carol' };

describe('Mini App analytics in the browser', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    ({ context, page } = await openMiniApp(browser, server, CAROL));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  const stored = () => server.app.db.kysely.selectFrom('analytics_ui_events').select(['type', 'screen', 'player_hash']).orderBy('seq').execute();

  it('sends the screen views in a batch', async () => {
    await page.locator('body[data-scene="create"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    const rows = await waitUntil('the create screen view', stored, (r) => r.some((e) => e.type === 'screen_view' && e.screen === 'create'));
    assert.equal(new Set(rows.map((r) => r.player_hash)).size, 1);
    assert.match(rows[0]?.player_hash ?? '', /^[0-9a-f]{64}$/);
  });

  it('sends what is waiting when the app is hidden', async () => {
    // The page's clock stops: the flush timer cannot fire from here on.
    await context.clock.pauseAt(server.now() + 1000);
    const before = (await stored()).length;
    await page.getByTestId('create-name').fill('Pip');
    await page.getByTestId('create-submit').click();
    await page.locator('body[data-scene="home"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document;
      Object.defineProperty(doc, 'visibilityState', { value: 'hidden', configurable: true });
      doc.dispatchEvent(new Event('visibilitychange'));
    });
    const rows = await waitUntil('the home screen view', stored, (r) => r.length > before && r.some((e) => e.type === 'screen_view' && e.screen === 'home'));
    assert.ok(rows.length > before);
  });
});

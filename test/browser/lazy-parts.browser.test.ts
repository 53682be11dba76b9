/**
 * The sheets load their code on first open (client/src/kit/lazy.ts): a failed chunk says so
 * in a toast and the next tap loads it again; a double tap while loading opens one sheet; a
 * slow chunk shows the loading sheet until the real one replaces it.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { translate } from '../../shared/i18n.js';
import { WAIT_MS, launchBrowser, openMiniApp, saveScreenshot } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const FIONA = { id: 710_000_301, firstName: 'Fiona' };

describe('Mini App parts loaded on first use', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    const created = await server.api(FIONA, 'POST', '/api/v1/pets', { name: 'Tig', species: 'fox' });
    assert.equal(created.status, 201);
    ({ context, page } = await openMiniApp(browser, server, FIONA));
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('toasts a failed chunk and opens the bag on the next tap', async () => {
    const fail = (route: Route) => route.abort('failed');
    await page.route('**/assets/bag-panel-*.js', fail);
    await page.getByTestId('bag-open').click();
    await page.locator('[data-testid="toast"][data-kind="error"]', { hasText: translate('en', 'app.partFailed') }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('bag').count(), 0);
    await page.unroute('**/assets/bag-panel-*.js', fail);
    await page.getByTestId('bag-open').click();
    await page.getByTestId('bag').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('bag-close').click();
    await page.getByTestId('bag').waitFor({ state: 'hidden', timeout: WAIT_MS });
  });

  it('shows the loading sheet while a slow chunk arrives (screenshot in test/artifacts/part-loading.png), and opens one shop for a double tap', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold = async (route: Route) => {
      await held;
      await route.continue();
    };
    await page.route('**/assets/shop-controller-*.js', hold);
    await page.getByTestId('shop-open').click();
    await page.getByTestId('shop-open').click({ force: true });
    await page.getByTestId('part-loading').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('#part-loading-title').textContent(), translate('en', 'shop.title'));
    await saveScreenshot(page, 'part-loading.png');
    release();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('part-loading').count(), 0, 'the loading sheet is gone');
    assert.equal(await page.getByTestId('shop').count(), 1, 'one shop');
    await page.unroute('**/assets/shop-controller-*.js', hold);
  });
});

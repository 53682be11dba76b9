/**
 * The collection book and the season banner in headless Chromium against the real server,
 * whose clock is pinned inside the winter season (2026-12-08, the page's clock follows it): the
 * shop shows the winter banner counting down to the season's end as the server sent it and
 * marks the seasonal coat; the book (opened from the bag's skins, or with launchParam
 * 'collection') shows the owned coats in
 * colour and the others as silhouettes with how to get them (in the shop, for Stars, in
 * season now, past season, coming); buying the frost coat in the shop completes the winter
 * set, whose Claim pays its coins once (toast, the book's and the top bar's coins follow, the
 * server agrees). Screenshots: docs/img/collection.png, collection-ru-dark.png collection-seasons.png and shop-season.png (copied from test/artifacts).
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, WAIT_MS, attr, launchBrowser, newContextOnServerClock, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { testClock } from '../helpers/clock.js';
import { grantCoins } from '../helpers/economy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const NIA = { id: 710_000_901, firstName: 'Nia' };
/** 2026-12-08 12:00 UTC: winter 2026–27 runs (until 2027-03-01), autumn is over, spring is coming. */
const DEC_8 = Date.parse('2026-12-08T12:00:00.000Z');

const copyToDocs = (file: string, name: string) => copyFileSync(file, path.join(ROOT, 'docs/img', name));

describe('Collection book and seasons in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let playerId = '';

  const coinsOnServer = async (): Promise<number> => (await server.api(NIA, 'GET', '/api/v1/me')).body.balances.coins as number;
  const hudCoins = async (): Promise<number> => Number(await page.getByTestId('coins').textContent());
  const bookReady = () => page.locator('[data-testid="collection"][data-state="ready"]').waitFor({ timeout: WAIT_MS });

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '', now: testClock(DEC_8) });
    assert.equal((await server.api(NIA, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).status, 201);
    playerId = (await server.api(NIA, 'GET', '/api/v1/me')).body.id as string;
    await grantCoins(server.app.db.kysely, server.app.ledger, playerId, 1500);
    // Owned: the sakura coat (bought) and the autumn maple coat (bought last season).
    assert.equal((await server.api(NIA, 'POST', '/api/v1/shop/purchases', { itemId: 'skin_sakura' }, { 'idempotency-key': 'nia-sakura' })).status, 201);
    await server.app.db.kysely.insertInto('inventory').values({ player_id: playerId, item_id: 'skin_maple', quantity: 1, updated_at: server.now() }).execute();
    ({ context, page } = await openMiniApp(browser, server, NIA));
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('the shop shows the winter banner counting down to the end the server sent, and marks the seasonal coat (screenshot)', async () => {
    await page.getByTestId('shop-open').click();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    const banner = page.getByTestId('shop-season');
    await banner.waitFor({ timeout: WAIT_MS });
    assert.equal(await banner.getAttribute('data-season'), 'winter-2026');
    assert.equal(await banner.getAttribute('data-ends-at'), '2027-03-01T00:00:00.000Z');
    assert.match((await banner.textContent()) ?? '', /Winter 2026–27 is here/);
    // 2026-12-08 12:00 to 2027-03-01 00:00 is 82 days 12 hours; the page's clock runs on from the server's.
    assert.match((await page.getByTestId('shop-season-ends').textContent()) ?? '', /Ends in 82d 1[12]h/);
    await banner.click();
    await page.getByTestId('shop-item-skin_frost').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('shop-seasonal-skin_frost').isVisible(), true);
    assert.equal(await page.getByTestId('shop-item-skin_maple').count(), 0, 'the past season is not for sale');
    assert.equal(await page.getByTestId('shop-item-skin_meadow').count(), 0, 'nor the coming one');
    copyToDocs(await saveScreenshot(page, 'shop-season.png'), 'shop-season.png');
    await page.getByTestId('shop-close').click();
    await page.getByTestId('shop').waitFor({ state: 'hidden', timeout: WAIT_MS });
  });

  it('opens the book from the bag: owned coats in colour, the rest locked with how to get them (screenshot)', async () => {
    await page.getByTestId('bag-open').click();
    await page.getByTestId('collection-open').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'collection-bag.png');
    await page.getByTestId('collection-open').click();
    await bookReady();
    assert.equal(await attr(page, 'collection-skin-skin_sakura', 'data-owned'), 'true');
    assert.equal(await attr(page, 'collection-skin-skin_maple', 'data-owned'), 'true');
    for (const id of ['skin_midnight', 'skin_golden', 'skin_frost', 'skin_meadow']) assert.equal(await attr(page, `collection-skin-${id}`, 'data-owned'), 'false', id);
    assert.equal(await page.locator('[data-testid="collection-skin-skin_sakura"] canvas.silhouette').count(), 0);
    assert.equal(await page.locator('[data-testid="collection-skin-skin_golden"] canvas.silhouette').count(), 1);
    assert.match((await page.getByTestId('collection-how-skin_midnight').textContent()) ?? '', /In the shop for coins/);
    assert.match((await page.getByTestId('collection-how-skin_golden').textContent()) ?? '', /150 Stars/);
    assert.match((await page.getByTestId('collection-how-skin_frost').textContent()) ?? '', /In season now · 82d 1[12]h left/);
    assert.match((await page.getByTestId('collection-how-skin_meadow').textContent()) ?? '', /Season starts Mar 1/);
    assert.equal(await attr(page, 'collection-season-autumn-2026', 'data-status'), 'past');
    assert.match((await page.getByTestId('collection-summary').textContent()) ?? '', /2 of 6 coats/);
    assert.equal(await attr(page, 'collection-set-classic', 'data-owned'), '1');
    assert.equal(await page.getByTestId('collection-claim-classic').isDisabled(), true);
    assert.equal(await attr(page, 'collection-set-season-autumn-2026', 'data-state'), 'ready');
    copyToDocs(await saveScreenshot(page, 'collection.png'), 'collection.png');
    await page.getByTestId('collection-seasons').scrollIntoViewIfNeeded();
    copyToDocs(await saveScreenshot(page, 'collection-seasons.png'), 'collection-seasons.png');
  });

  it('buying the frost coat completes the winter set; Claim pays once, the coins follow everywhere', async () => {
    await page.getByTestId('collection-close').click();
    await page.getByTestId('collection').waitFor({ state: 'hidden', timeout: WAIT_MS });
    assert.equal((await server.api(NIA, 'POST', '/api/v1/shop/purchases', { itemId: 'skin_frost' }, { 'idempotency-key': 'nia-frost' })).status, 201);
    await page.getByTestId('bag-open').click();
    await page.getByTestId('collection-open').click();
    await bookReady();
    await waitUntil('the winter set to be complete', () => attr(page, 'collection-set-season-winter-2026', 'data-state'), (s) => s === 'ready');
    assert.equal(await attr(page, 'collection-skin-skin_frost', 'data-owned'), 'true');
    const before = await coinsOnServer();
    await waitUntil('the top bar to show my coins', hudCoins, (c) => c === before);
    await page.getByTestId('collection-claim-season-winter-2026').click();
    await page.locator('[data-testid="toast"][data-notice="collection_claimed"]').waitFor({ timeout: WAIT_MS });
    assert.match((await page.locator('[data-testid="toast"][data-notice="collection_claimed"]').textContent()) ?? '', /Winter 2026–27 set complete: \+200 coins/);
    assert.equal(await coinsOnServer(), before + 200);
    await waitUntil('the set to show claimed', () => attr(page, 'collection-set-season-winter-2026', 'data-state'), (s) => s === 'claimed');
    await waitUntil('the book and the top bar to follow', async () => [Number(await attr(page, 'collection-balance', 'data-coins')), await hudCoins()], ([book, hud]) => book === before + 200 && hud === before + 200);
    assert.equal(await page.getByTestId('collection-claim-season-winter-2026').isDisabled(), true);
    const claims = await server.app.db.kysely.selectFrom('collection_claims').selectAll().where('player_id', '=', playerId).execute();
    assert.deepEqual(claims.map((c) => c.set_id), ['season-winter-2026']);
  });

  it('speaks Russian in the dark (screenshot)', async () => {
    const dark = await newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'UTC', colorScheme: 'dark' });
    try {
      const ru = await dark.newPage();
      await ru.goto(`${server.url}/?user=${NIA.id}&name=${NIA.firstName}&lang=ru&startapp=collection`);
      await ru.locator('[data-testid="collection"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      assert.equal(await ru.locator('html').getAttribute('data-theme'), 'dark');
      assert.match((await ru.getByTestId('collection-summary').textContent()) ?? '', /Собрано шубок: 3 из 6/);
      assert.match((await ru.getByTestId('collection-how-skin_maple').textContent()) ?? '', /Есть/);
      assert.match((await ru.getByTestId('collection-how-skin_midnight').textContent()) ?? '', /В магазине за монеты/);
      copyToDocs(await saveScreenshot(ru, 'collection-ru-dark.png'), 'collection-ru-dark.png');
    } finally {
      await dark.close();
    }
  });
});

/**
 * The shop in the Mini App, in headless Chromium against the real server (dev sign-in): a
 * player with a pet and 200 granted coins opens the shop from the coin counter, buys 3 kibble
 * (the shop's balance, the top bar's coins, the owned count and the bag all follow, and the
 * server agrees), cannot buy what costs more than they have, buys once on a double tap, and
 * buys once when the answer to a purchase is lost and the app retries with the same
 * Idempotency-Key; then buys the Sakura coat, puts it on the pet from the bag (the server, the
 * bag and the pet's picture follow), takes it off again and puts it on from the shop. Screenshots in
 * test/artifacts/shop.png, shop-skins.png, wardrobe.png and home-sakura.png. Needs the built
 * client (`npm run build:client`; built here if missing) and /usr/bin/chromium (or
 * CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ItemId } from '../../shared/balance.js';
import { WAIT_MS, attr, bagCount, launchBrowser, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { grantCoins } from '../helpers/economy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ERIN = { id: 710_000_201, firstName: 'Erin' };

const numberAttr = async (page: Page, testid: string, name: string): Promise<number> => Number(await attr(page, testid, name));
const shopCoins = (page: Page): Promise<number> => numberAttr(page, 'shop-balance', 'data-coins');
const shopOwned = (page: Page, itemId: ItemId): Promise<number> => numberAttr(page, `shop-item-${itemId}`, 'data-owned');
const hudCoins = async (page: Page): Promise<number> => Number(await page.getByTestId('coins').textContent());

describe('Shop in the browser', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let playerId = '';

  /** What the server says I hold. */
  const inventory = async (): Promise<{ coins: number; items: Partial<Record<ItemId, number>> }> => {
    const res = await server.api(ERIN, 'GET', '/api/v1/inventory');
    assert.equal(res.status, 200);
    const items: Partial<Record<ItemId, number>> = {};
    for (const i of res.body.items as Array<{ itemId: ItemId; quantity: number }>) items[i.itemId] = i.quantity;
    return { coins: res.body.coins as number, items };
  };
  const purchases = (itemId: ItemId) =>
    server.app.db.kysely.selectFrom('purchases').selectAll().where('player_id', '=', playerId).where('item_id', '=', itemId).execute();

  /** Waits until the shop, the top bar and the server show the same coins; returns them. */
  const settledCoins = async (): Promise<number> => {
    const [, , truth] = await waitUntil(
      'the shop, the top bar and the server to agree on coins',
      async () => [await shopCoins(page), await hudCoins(page), (await inventory()).coins] as const,
      ([shop, hud, srv]) => shop === srv && hud === srv,
    );
    return truth;
  };

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    const created = await server.api(ERIN, 'POST', '/api/v1/pets', { name: 'Pip', species: 'bunny' });
    assert.equal(created.status, 201);
    playerId = (await server.api(ERIN, 'GET', '/api/v1/me')).body.id;
    await grantCoins(server.app.db.kysely, server.app.ledger, playerId, 200);
    server.app.inventory.changed(playerId);
    // A first purchase outside the test's view: whatever it earns (a first-purchase reward) is
    // settled before the page opens, so the purchases below move coins by their price alone.
    const first = await server.api(ERIN, 'POST', '/api/v1/shop/purchases', { itemId: 'soap' }, { 'idempotency-key': 'setup-soap' });
    assert.equal(first.status, 201);

    ({ context, page } = await openMiniApp(browser, server, ERIN));
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('opens from the coin counter with my balance', async () => {
    await page.getByTestId('shop-open').click();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('shop-item-kibble').waitFor({ timeout: WAIT_MS });
    const coins = await settledCoins();
    assert.ok(coins >= 150, `coins ${coins}`);
    assert.equal(await page.getByTestId('shop-tab-food').getAttribute('aria-selected'), 'true');
  });

  it('buys 3 kibble: balance, top bar, owned count and bag follow, and the server agrees', async () => {
    const before = await settledCoins();
    const kibbleBefore = (await inventory()).items.kibble ?? 0;
    assert.equal(await shopOwned(page, 'kibble'), kibbleBefore);
    const price = await numberAttr(page, 'shop-item-kibble', 'data-price');
    assert.ok(price > 0);

    await page.getByTestId('shop-qty-kibble-plus').click();
    await page.getByTestId('shop-qty-kibble-plus').click();
    assert.equal(await attr(page, 'shop-qty-kibble', 'data-qty'), '3');
    assert.equal(await numberAttr(page, 'shop-buy-kibble', 'data-total'), 3 * price);
    await page.getByTestId('shop-buy-kibble').click();

    await page.getByTestId('toast').filter({ hasText: `Bought 3 × Kibble for ${3 * price} coins` }).waitFor({ timeout: WAIT_MS });
    const expected = before - 3 * price;
    await waitUntil('the shop balance', () => shopCoins(page), (coins) => coins === expected);
    await waitUntil('the top bar coins', () => hudCoins(page), (coins) => coins === expected);
    await waitUntil('the owned kibble', () => shopOwned(page, 'kibble'), (owned) => owned === kibbleBefore + 3);
    assert.match((await page.getByTestId('shop-owned-kibble').textContent()) ?? '', new RegExp(`You have ${kibbleBefore + 3}\\b`));
    // The stepper is back at one for the next purchase.
    assert.equal(await attr(page, 'shop-qty-kibble', 'data-qty'), '1');

    const after = await inventory();
    assert.equal(after.coins, expected);
    assert.equal(after.items.kibble, kibbleBefore + 3);
    const bought = await purchases('kibble');
    assert.deepEqual(
      bought.map((p) => [p.quantity, p.unit_price, p.total_price]),
      [[3, price, 3 * price]],
    );
  });

  it('shows the new count in the bag', async () => {
    const { coins, items } = await inventory();
    await page.getByTestId('shop-close').click();
    await page.getByTestId('shop').waitFor({ state: 'hidden', timeout: WAIT_MS });
    await page.getByTestId('bag-open').click();
    await waitUntil("the bag's kibble", () => bagCount(page, 'kibble'), (count) => count === items.kibble);
    assert.equal(Number(await page.getByTestId('bag-coins').textContent()), coins);
    await page.getByTestId('bag-shop').click();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('bag').isVisible(), false);
  });

  it('closes Buy with "Not enough coins" when the total is over my balance', async () => {
    const coins = await settledCoins();
    await page.getByTestId('shop-tab-skins').click();
    const midnight = await numberAttr(page, 'shop-item-skin_midnight', 'data-price');
    assert.ok(midnight > coins, `the midnight coat (${midnight}) costs more than ${coins}`);
    const buy = page.getByTestId('shop-buy-skin_midnight');
    assert.equal(await buy.isDisabled(), true);
    assert.equal(await buy.getAttribute('data-reason'), 'funds');
    assert.match((await buy.textContent()) ?? '', /Not enough coins/);
    // Skins come one at a time: no stepper.
    assert.equal(await page.getByTestId('shop-qty-skin_midnight').isVisible(), false);

    await saveScreenshot(page, 'shop-skins.png');

    // Stepping a quantity past the balance closes Buy too, and stepping back opens it.
    await page.getByTestId('shop-tab-boosters').click();
    const price = await numberAttr(page, 'shop-item-streak_freeze', 'data-price');
    const affordable = Math.floor(coins / price);
    const max = await numberAttr(page, 'shop-qty-streak_freeze', 'data-max');
    assert.ok(affordable >= 1 && affordable < max, `${affordable} streak freezes affordable`);
    for (let i = 1; i <= affordable; i++) await page.getByTestId('shop-qty-streak_freeze-plus').click();
    const freeze = page.getByTestId('shop-buy-streak_freeze');
    assert.equal(await attr(page, 'shop-qty-streak_freeze', 'data-qty'), String(affordable + 1));
    assert.equal(await freeze.isDisabled(), true);
    assert.equal(await freeze.getAttribute('data-reason'), 'funds');
    await page.getByTestId('shop-qty-streak_freeze-minus').click();
    assert.equal(await freeze.isDisabled(), false);
    await page.getByTestId('shop-qty-streak_freeze-minus').click();
  });

  it('buys once on a double tap', async () => {
    await page.getByTestId('shop-tab-food').click();
    const before = await settledCoins();
    const price = await numberAttr(page, 'shop-item-berries', 'data-price');
    const owned = await shopOwned(page, 'berries');
    await page.getByTestId('shop-buy-berries').dblclick();
    await waitUntil('the owned berries', () => shopOwned(page, 'berries'), (n) => n > owned);
    assert.equal(await settledCoins(), before - price);
    assert.equal(await shopOwned(page, 'berries'), owned + 1);
    assert.equal((await purchases('berries')).length, 1);
  });

  it('buys once when a purchase’s answer is lost and the app retries with the same key', async () => {
    const before = await settledCoins();
    const price = await numberAttr(page, 'shop-item-fish', 'data-price');
    const owned = await shopOwned(page, 'fish');
    const keys: string[] = [];
    await page.route('**/api/v1/shop/purchases', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) {
        // The server buys; the answer never reaches the app.
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    try {
      await page.getByTestId('shop-buy-fish').click();
      await page.getByTestId('toast').filter({ hasText: `Bought 1 × Fish for ${price} coins` }).waitFor({ timeout: WAIT_MS });
    } finally {
      await page.unroute('**/api/v1/shop/purchases');
    }
    assert.equal(keys.length, 2);
    assert.ok(keys[0], 'an Idempotency-Key was sent');
    assert.equal(keys[1], keys[0], 'the retry reuses the key');
    await waitUntil('the owned fish', () => shopOwned(page, 'fish'), (n) => n === owned + 1);
    assert.equal(await settledCoins(), before - price);
    assert.equal((await purchases('fish')).length, 1);
  });

  it('looks right on a phone (screenshot in test/artifacts/shop.png)', async () => {
    // A tab starts at its top; the purchase toasts have had their moment.
    await page.getByTestId('shop-tab-food').click();
    await waitUntil('the toasts to leave', () => page.getByTestId('toast').count(), (n) => n === 0);
    await saveScreenshot(page, 'shop.png');
  });

  it('wears a coat bought in the shop from the bag, and takes it off again', async () => {
    await grantCoins(server.app.db.kysely, server.app.ledger, playerId, 1000);
    server.app.inventory.changed(playerId);
    const petId = ((await server.api(ERIN, 'GET', '/api/v1/pets')).body.items as Array<{ id: string }>)[0]!.id;
    const serverSkin = async (): Promise<string> => (await server.api(ERIN, 'GET', `/api/v1/pets/${petId}`)).body.skin as string;
    const shownSrc = async (): Promise<string> => (await attr(page, 'pet-image', 'data-src')) ?? '';

    await page.getByTestId('shop-tab-skins').click();
    const buy = page.getByTestId('shop-buy-skin_sakura');
    await waitUntil('the Sakura coat to be affordable', () => buy.isDisabled(), (disabled) => !disabled);
    await buy.click();
    await waitUntil('the Sakura coat to be mine', () => shopOwned(page, 'skin_sakura'), (owned) => owned === 1);
    // A coat I hold offers to put it on instead of a price.
    await waitUntil("the coat's button to offer Wear", () => buy.getAttribute('data-reason'), (reason) => reason === 'wear');
    assert.equal(await buy.innerText(), 'Wear');
    await page.getByTestId('shop-close').click();
    await page.getByTestId('shop').waitFor({ state: 'hidden', timeout: WAIT_MS });
    const ownCoat = await waitUntil("the pet's picture", shownSrc, (src) => src !== '');

    await page.getByTestId('bag-open').click();
    const row = page.getByTestId('bag-item-skin_sakura');
    const wear = page.getByTestId('bag-wear-skin_sakura');
    await wear.waitFor({ timeout: WAIT_MS });
    assert.equal(await wear.textContent(), 'Wear');
    // Coats I do not hold have no button: they say how many I have (none).
    assert.equal(await page.getByTestId('bag-wear-skin_golden').isVisible(), false);
    await wear.click();
    await page.getByTestId('toast').filter({ hasText: 'Pip now wears the Sakura coat' }).waitFor({ timeout: WAIT_MS });
    await waitUntil('the bag to show the coat worn', async () => (await row.getAttribute('class')) ?? '', (c) => c.includes('worn'));
    assert.equal(await wear.textContent(), 'Take off');
    assert.match((await row.textContent()) ?? '', /Worn by Pip/);
    assert.equal(await serverSkin(), 'sakura');
    const inCoat = await waitUntil('the picture of Pip in the coat', shownSrc, (src) => src !== '' && src !== ownCoat);
    await saveScreenshot(page, 'wardrobe.png');
    await page.getByTestId('bag-close').click();
    await page.getByTestId('bag').waitFor({ state: 'hidden', timeout: WAIT_MS });
    await waitUntil('the toasts to leave', () => page.getByTestId('toast').count(), (n) => n === 0);
    await saveScreenshot(page, 'home-sakura.png');

    await page.getByTestId('bag-open').click();
    await wear.click();
    await page.getByTestId('toast').filter({ hasText: 'Pip is back in its own coat' }).waitFor({ timeout: WAIT_MS });
    await waitUntil('the bag to show the coat off', async () => (await row.getAttribute('class')) ?? '', (c) => !c.includes('worn'));
    assert.equal(await wear.textContent(), 'Wear');
    assert.equal(await serverSkin(), 'default');
    // The pet's own picture is still there: no new painting to take the coat off.
    await waitUntil("the pet's own picture", shownSrc, (src) => src === ownCoat);
    assert.notEqual(inCoat, ownCoat);

    // The shop puts it on too, and then says it is worn.
    await page.getByTestId('bag-shop').click();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('shop-tab-skins').click();
    await buy.click();
    await page.getByTestId('toast').filter({ hasText: 'Pip now wears the Sakura coat' }).waitFor({ timeout: WAIT_MS });
    await waitUntil("the coat's button to say Worn", () => buy.getAttribute('data-reason'), (reason) => reason === 'worn');
    assert.equal(await buy.isDisabled(), true);
    assert.equal(await serverSkin(), 'sakura');
    await page.getByTestId('shop-close').click();
  });
});

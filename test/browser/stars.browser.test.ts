/**
 * Buying coins with Telegram Stars in the Mini App as it runs inside Telegram, in headless
 * Chromium against the real server with a real bot token and the fake Bot API: a stand-in for
 * `window.Telegram.WebApp` (signed initData, theme, and an `openInvoice` that records the
 * link and keeps the callback) is installed before the app loads. Buying `coins_250` asks the
 * server for an invoice (the fake records `createInvoiceLink` in XTR at 15 Stars) and opens
 * exactly the link the server returned; the fake then pays it through the server's webhook,
 * Telegram's sheet reports `paid`, and the app tells of the delivery as the coins rise by 250
 * (top bar and server). A cancelled payment gets a neutral toast and leaves the order pending.
 * Screenshot in test/artifacts/stars.png. Needs the built client and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import type { StarsInvoiceDto, StarsOrderDto } from '../../shared/dto.js';
import { STARS_PRODUCTS } from '../../shared/shop.js';
import { WAIT_MS, launchBrowser, newContextOnServerClock, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { preAwardAchievements } from '../helpers/economy.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer } from '../helpers/test-server.js';
import { testClock } from '../helpers/clock.js';
import { telegramStandIn, type StandInArgs } from '../helpers/telegram-stand-in.js';

const SECRET = 'secret';

const SAM = { id: 710_000_401, firstName: 'Sam' };

/** What the stand-in's `openInvoice` saw: every link opened and the last callback. */
interface InvoiceProbe {
  opened: string[];
  callback: ((status: string) => void) | null;
}

/** The stand-in of a Telegram 8.0 client whose `openInvoice` records the link and keeps the callback. */
function starsStandIn(args: Pick<StandInArgs, 'initData' | 'user'>): string {
  return telegramStandIn(
    { ...args, version: '8.0' },
    `const probe = { opened: [], callback: null };
    window.__invoices = probe;
    webApp.openInvoice = (url, callback) => {
      probe.opened.push(url);
      probe.callback = callback || null;
    };`,
  );
}

const probe = (page: Page): Promise<{ opened: string[]; hasCallback: boolean }> =>
  page.evaluate(() => {
    const p = (globalThis as unknown as { __invoices: InvoiceProbe }).__invoices;
    return { opened: [...p.opened], hasCallback: p.callback !== null };
  });

/** Telegram's payment sheet closing with `status`. */
const closeSheet = (page: Page, status: 'paid' | 'cancelled' | 'failed' | 'pending'): Promise<void> =>
  page.evaluate((s) => {
    (globalThis as unknown as { __invoices: InvoiceProbe }).__invoices.callback?.(s);
  }, status);

describe('Stars in the Mini App, inside Telegram', function () {
  this.timeout(90_000);

  let fake: FakeBotApi;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const product = STARS_PRODUCTS.find((p) => p.productId === 'coins_250');
  const serverCoins = async (): Promise<number> => (await server.api(SAM, 'GET', '/api/v1/me')).body.balances.coins as number;
  const hudCoins = async (): Promise<number> => Number(await page.getByTestId('coins').getAttribute('data-value'));
  const order = async (orderId: string): Promise<StarsOrderDto> => (await server.api(SAM, 'GET', `/api/v1/stars/orders/${orderId}`)).body as StarsOrderDto;

  /** Taps the product's ⭐ button; resolves with the invoice the server answered. */
  const buy = async (productId: string): Promise<StarsInvoiceDto> => {
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/stars/invoices') && r.request().method() === 'POST', { timeout: WAIT_MS });
    await page.getByTestId(`stars-buy-${productId}`).click();
    const response = await answer;
    assert.equal(response.status(), 201);
    return (await response.json()) as StarsInvoiceDto;
  };

  before(async function () {
    browser = await launchBrowser(this);
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    // A real bot token (the default): no dev sign-in, no dev payment sheet; Stars go through Telegram.
    server = await startTestServer({ env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0' } });
    fake.setWebhookTarget(`${server.url}/telegram/webhook`, SECRET);
    await waitUntil('the bot to be ready', async () => server.app.telegram()?.ready === true, (ready) => ready);

    const created = await server.api(SAM, 'POST', '/api/v1/pets', { name: 'Nova', species: 'bunny' });
    assert.equal(created.status, 201);
    const playerId = (await server.api(SAM, 'GET', '/api/v1/me')).body.id as string;
    // Exact balances: a first purchase would also pay its achievement (progression has its own test).
    await preAwardAchievements(server.app.db.kysely, playerId);

    context = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    const args = { initData: server.initData(SAM), user: { id: SAM.id, first_name: SAM.firstName, language_code: 'en' } };
    await page.addInitScript({ content: starsStandIn(args) });
    page.on('pageerror', (e) => console.log('PAGEERR', e.message));
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('pet-name').waitFor({ timeout: WAIT_MS });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('signs in with Telegram’s initData and offers Stars in the shop', async () => {
    assert.equal(await page.getByTestId('pet-name').textContent(), 'Nova');
    await page.getByTestId('shop-open').click();
    await page.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('shop-tab-stars').click();
    const button = page.getByTestId('stars-buy-coins_250');
    await button.waitFor({ timeout: WAIT_MS });
    assert.equal(await button.isDisabled(), false);
    assert.equal(await page.getByTestId('stars-product-coins_250').getAttribute('data-stars'), String(product?.stars));
    assert.equal(await page.getByTestId('stars-hint').isVisible(), false);
  });

  it('buys 250 coins: an XTR invoice, Telegram’s sheet on the server’s link, paid and delivered', async () => {
    assert.ok(product, 'the coins_250 product');
    const before = await serverCoins();
    const calls = fake.callsOf('createInvoiceLink').length;
    const invoice = await buy('coins_250');

    const created = fake.callsOf('createInvoiceLink');
    assert.equal(created.length, calls + 1);
    const params = created.at(-1)!.params;
    assert.equal(params.currency, 'XTR');
    assert.deepEqual((params.prices as Array<{ amount: number }>).map((p) => p.amount), [15]);
    assert.equal(params.payload, `order:${invoice.orderId}`);

    const opened = await waitUntil('Telegram’s payment sheet', () => probe(page), (p) => p.opened.length === 1 && p.hasCallback);
    assert.deepEqual(opened.opened, [invoice.invoiceLink]);
    assert.equal(await page.getByTestId('stars-buy-coins_250').getAttribute('data-reason'), 'busy');
    assert.equal((await order(invoice.orderId)).status, 'pending');

    const paid = await fake.payInvoice({ invoiceLink: invoice.invoiceLink, user: { id: SAM.id, first_name: SAM.firstName } });
    assert.equal(paid.preCheckout.ok, true);
    assert.deepEqual(paid.deliveries.map((d) => d.status), [200]);
    await closeSheet(page, 'paid');

    await page.getByTestId('toast').filter({ hasText: 'Delivered: 250 coins' }).waitFor({ timeout: WAIT_MS });
    assert.equal((await order(invoice.orderId)).status, 'paid');
    assert.equal(await serverCoins(), before + product.grants.coins!);
    await waitUntil('the top bar coins', hudCoins, (coins) => coins === before + product.grants.coins!);
    await waitUntil('the shop balance', async () => Number(await page.getByTestId('shop-balance').getAttribute('data-coins')), (coins) => coins === before + product.grants.coins!);

    await saveScreenshot(page, 'stars.png');
  });

  it('says the payment was cancelled when the sheet closes unpaid, and the order stays pending', async () => {
    await waitUntil('the Stars buttons to be free', () => page.getByTestId('stars-buy-coins_250').getAttribute('data-reason'), (reason) => reason === '');
    const before = await serverCoins();
    const invoice = await buy('coins_250');
    const opened = await waitUntil('Telegram’s payment sheet', () => probe(page), (p) => p.opened.length === 2);
    assert.equal(opened.opened[1], invoice.invoiceLink);
    await closeSheet(page, 'cancelled');

    const toast = page.locator('[data-testid="toast"][data-kind="info"]').filter({ hasText: 'Payment cancelled' });
    await toast.waitFor({ timeout: WAIT_MS });
    assert.equal((await order(invoice.orderId)).status, 'pending');
    assert.equal(await serverCoins(), before);
    assert.equal(await hudCoins(), before);
    await waitUntil('the Stars buttons to be free', () => page.getByTestId('stars-buy-coins_250').getAttribute('data-reason'), (reason) => reason === '');
  });

  it('buys the Golden coat for Stars; its card in the skins tab then puts it on (screenshot in test/artifacts/shop-golden.png)', async () => {
    await waitUntil('the Stars buttons to be free', () => page.getByTestId('stars-buy-skin_golden').getAttribute('data-reason'), (reason) => reason === '');
    const invoice = await buy('skin_golden');
    await waitUntil('Telegram’s payment sheet', () => probe(page), (p) => p.opened.at(-1) === invoice.invoiceLink && p.hasCallback);
    const paid = await fake.payInvoice({ invoiceLink: invoice.invoiceLink, user: { id: SAM.id, first_name: SAM.firstName } });
    assert.deepEqual(paid.deliveries.map((d) => d.status), [200]);
    await closeSheet(page, 'paid');
    assert.equal((await order(invoice.orderId)).status, 'paid');

    await page.getByTestId('shop-tab-skins').click();
    const card = page.getByTestId('shop-see-stars-skin_golden');
    await waitUntil('the Golden coat card to offer Wear', () => card.getAttribute('data-reason'), (reason) => reason === 'wear');
    assert.equal(await card.innerText(), 'Wear');
    await card.click();
    await waitUntil('the Golden coat card to say Worn', () => card.getAttribute('data-reason'), (reason) => reason === 'worn');
    const pets = (await server.api(SAM, 'GET', '/api/v1/pets')).body.items as Array<{ skin: string }>;
    assert.equal(pets[0]?.skin, 'golden');
    await saveScreenshot(page, 'shop-golden.png');
  });
});

/**
 * The admin panel's Players and Promotions screens in Chromium against the real server: find a
 * player by username, open their page, ban them (their own Mini App is refused on the splash),
 * unban (the Mini App works again), grant coins (the ledger shows the new balance), rename a
 * pet; create a promotion with its live preview and see the promoted price in the player's
 * shop. Saves docs/img/admin-players.png, admin-player.png and admin-promotions.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translate } from '../../shared/i18n.js';
import { priceVariantFor } from '../../shared/shop.js';
import { ROOT, WAIT_MS, launchBrowser, newContextOnServerClock, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ADMIN_PASSWORD = 'players-admin-password';
const IMG = path.join(ROOT, 'docs/img');
const ZOE = { id: 730_000_001, firstName: 'Zoe', lastName: 'Marsh', username: 'zoe_marsh' };
const OTHERS = [
  { id: 730_000_002, firstName: 'Zack', lastName: 'Hill', username: 'zack_h', pet: ['Zigzag', 'dog'] },
  { id: 730_000_003, firstName: 'Zara', lastName: null, username: 'zara', pet: ['Pumpkin', 'bunny'] },
  { id: 730_000_004, firstName: 'Zeno', lastName: 'Park', username: 'zen0', pet: ['Noodle', 'cat'] },
  { id: 730_000_005, firstName: 'Zelda', lastName: 'Ray', username: 'zelda_r', pet: ['Biscuit', 'dog'] },
] as const;

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(IMG, { recursive: true });
  const file = path.join(IMG, name);
  await page.waitForTimeout(450);
  // Toasts of earlier steps would cover the content.
  await page.locator('.toast').evaluateAll((els) => els.forEach((el) => el.remove()));
  await page.screenshot({ path: file, fullPage });
  assert.ok(statSync(file).size > 10_000, `${name} is a real picture`);
}

async function logIn(page: Page, server: TestServer): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId('login').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('login-name').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.locator('body[data-screen="dashboard"]').waitFor({ state: 'attached', timeout: WAIT_MS });
}

/** Fills the open confirm dialog's reason and confirms. */
async function confirmWithReason(page: Page, reason: string): Promise<void> {
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor({ timeout: WAIT_MS });
  await dialog.getByRole('textbox').fill(reason);
  await page.getByTestId('confirm-ok').click();
  await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
}

describe('Admin panel: players and promotions in the browser', function () {
  this.timeout(180_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let zoeId: string;
  let zoePet: string;

  const miniAppUrl = () => `${server.url}/?user=${ZOE.id}&name=${ZOE.firstName}&username=${ZOE.username}`;

  before(async function () {
    browser = await launchBrowser(this);
    // No bot token: the Mini App signs in with dev sign-in, as in the other Mini App tests.
    server = await startTestServer({ botToken: '', env: { ADMIN_PASSWORD, JWT_SECRET: 'q'.repeat(40), ANALYTICS_JOB_INTERVAL_S: '0' } });
    const created = await server.api(ZOE, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    zoePet = created.body.id;
    zoeId = (await server.api(ZOE, 'GET', '/api/v1/me')).body.id;
    for (const o of OTHERS) {
      const user = { id: o.id, firstName: o.firstName, ...(o.lastName ? { lastName: o.lastName } : {}), username: o.username };
      assert.equal((await server.api(user, 'POST', '/api/v1/pets', { name: o.pet[0], species: o.pet[1] })).status, 201);
    }
    const zack = (await server.api(OTHERS[0], 'GET', '/api/v1/me')).body;
    await server.api(ZOE, 'POST', '/api/v1/friends', { inviteCode: zack.inviteCode });
    context = await newContextOnServerClock(browser, server, { viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    page = await context.newPage();
    await logIn(page, server);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('finds a player by username and opens their page', async () => {
    await page.getByTestId('nav-players').click();
    await page.getByTestId('players-q').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('nav-players').getAttribute('aria-current'), 'page');
    // Keyboard: type and press Enter.
    await page.getByTestId('players-q').fill('z');
    await page.getByTestId('players-q').press('Enter');
    await page.locator('[data-testid="players-results"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('players-table').locator('tbody tr').count(), 5);
    await shot(page, 'admin-players.png');

    await page.getByTestId('players-q').fill('@zoe_m');
    await page.getByTestId('players-search').click();
    await waitUntil('one result', () => page.getByTestId('players-table').locator('tbody tr').count(), (n) => n === 1);
    await page.getByTestId(`player-link-${zoeId}`).click();
    await page.locator('[data-testid="player"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('screen-title').textContent(), 'Zoe (@zoe_marsh)');
    assert.equal(await page.getByTestId(`pet-name-${zoePet}`).textContent(), 'Mochi');
    assert.equal(await page.getByTestId(`pet-${zoePet}`).getByRole('meter').count(), 4);
    assert.equal(await page.getByTestId('player-friends').getByRole('link').count(), 1);
    assert.equal(await page.getByTestId('player-state').textContent(), 'Active');
  });

  it('bans the player: their Mini App is refused; unbanning lets them back in', async () => {
    const mini = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
    try {
      const app = await mini.newPage();
      await app.goto(miniAppUrl());
      await app.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });

      await page.getByTestId('player-ban').click();
      await confirmWithReason(page, 'Browser test: abusive names');
      await page.getByTestId('toast').filter({ hasText: 'Zoe is banned.' }).waitFor({ timeout: WAIT_MS });
      await waitUntil('the banned badge', () => page.getByTestId('player-state').textContent(), (text) => text === 'Banned');
      assert.match((await page.getByTestId('player-ban-reason').textContent()) ?? '', /Browser test: abusive names/);

      await app.reload();
      const banned = translate('en', 'error.PLAYER_BANNED');
      await waitUntil('the banned splash', () => app.getByTestId('splash-status').textContent(), (text) => text === banned);
      assert.equal(await app.getByTestId('splash-retry').isVisible(), false, 'no retry for a ban');

      await page.getByTestId('player-unban').click();
      await confirmWithReason(page, 'Browser test: appeal accepted');
      await page.getByTestId('toast').filter({ hasText: 'Zoe is unbanned.' }).waitFor({ timeout: WAIT_MS });
      await waitUntil('the active badge', () => page.getByTestId('player-state').textContent(), (text) => text === 'Active');

      await app.reload();
      await app.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    } finally {
      await mini.close();
    }
  });

  it('grants coins once (the ledger shows the new balance) and refuses an overdraft in the dialog', async () => {
    const before = (await server.api(ZOE, 'GET', '/api/v1/inventory')).body.coins as number;
    await page.getByTestId('player-grant').click();
    const dialog = page.getByTestId('coins-dialog');
    await dialog.waitFor({ timeout: WAIT_MS });
    await page.getByTestId('coins-amount').fill('250');
    await page.getByTestId('dialog-reason').fill('Browser test: compensation');
    // A double click posts once (one idempotency key per submission, the button disabled meanwhile).
    await page.getByTestId('dialog-ok').dblclick();
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
    await page.getByTestId('toast').filter({ hasText: /Granted 250 coins to Zoe/ }).waitFor({ timeout: WAIT_MS });
    const first = page.getByTestId('ledger-table').locator('tbody tr').first();
    await waitUntil('the new ledger entry', () => first.getByTestId('ledger-balance').getAttribute('data-value'), (v) => Number(v) === before + 250);
    assert.equal(await first.getByTestId('ledger-amount').textContent(), '+250');
    assert.equal((await server.api(ZOE, 'GET', '/api/v1/inventory')).body.coins, before + 250);
    const grants = await server.app.db.kysely.selectFrom('admin_audit').select('id').where('action', '=', 'player.coins_grant').where('target_id', '=', zoeId).execute();
    assert.equal(grants.length, 1, 'one grant for a double click');

    await page.getByTestId('player-take').click();
    await page.getByTestId('coins-amount').fill('999999');
    await page.getByTestId('dialog-reason').fill('Browser test: too much');
    await page.getByTestId('dialog-ok').click();
    await waitUntil('the overdraft message', () => dialog.locator('.field-error').first().textContent(), (text) => /cannot go below zero/.test(text ?? ''));
    await page.getByTestId('dialog-cancel').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('renames a pet, refusing a filtered name', async () => {
    await page.getByTestId(`pet-rename-${zoePet}`).click();
    const dialog = page.getByTestId('rename-dialog');
    await page.getByTestId('rename-name').fill('Sh1thead');
    await page.getByTestId('dialog-reason').fill('Browser test: reported name');
    await page.getByTestId('dialog-ok').click();
    await waitUntil('the refusal', () => dialog.locator('.field-error').first().textContent(), (text) => text === 'The word filter refuses this name.');
    await page.getByTestId('rename-name').fill('Pebble');
    await page.getByTestId('dialog-ok').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
    await waitUntil('the new name', () => page.getByTestId(`pet-name-${zoePet}`).textContent(), (text) => text === 'Pebble');
    await page.mouse.move(0, 0);
    await shot(page, 'admin-player.png', true);
  });

  it('creates a promotion with a live preview; the player sees the price in the shop', async () => {
    await page.getByTestId('nav-promotions').click();
    await page.locator('[data-testid="promotions"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('promo-new').click();
    await page.getByTestId('promo-form').waitFor({ timeout: WAIT_MS });
    // Saving an empty form shows the errors by field.
    await page.getByTestId('promo-title').fill('');
    await page.getByTestId('promo-save').click();
    assert.equal(await page.getByTestId('promo-title').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('promo-target').getAttribute('aria-invalid'), 'true');

    await page.getByTestId('promo-title').fill('Fish Friday');
    await page.getByTestId('promo-discount').fill('50');
    await page.getByTestId('promo-target').selectOption('item:fish');
    await page.locator('[data-testid="promo-preview"][data-state="ready"][data-discount="50"]').waitFor({ timeout: WAIT_MS });
    const variant = priceVariantFor(zoeId).id;
    const pet = (await server.api(ZOE, 'GET', `/api/v1/pets/${zoePet}`)).body;
    const cell = page.getByTestId(`preview-fish-${variant}-${pet.stage}`);
    const promoted = Number(await cell.getAttribute('data-price'));
    const current = Number(await cell.locator('.price-old').textContent());
    assert.ok(promoted > 0 && promoted < current, `${promoted} < ${current}`);
    await page.getByTestId('promo-reason').fill('Weekend sale');
    await page.mouse.move(0, 0);
    await shot(page, 'admin-promotions.png', true);

    await page.getByTestId('promo-save').click();
    await page.getByTestId('toast').filter({ hasText: 'Promotion “Fish Friday” saved.' }).waitFor({ timeout: WAIT_MS });
    await page.getByTestId('promo-form').waitFor({ state: 'detached', timeout: WAIT_MS });
    const row = page.getByTestId('promotions-table').locator('tbody tr', { hasText: 'Fish Friday' });
    await waitUntil('the running promotion', () => row.locator('.badge').textContent(), (text) => text === 'running');

    const { context: mini, page: app } = await (async () => {
      const c = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
      const p = await c.newPage();
      await p.goto(miniAppUrl());
      return { context: c, page: p };
    })();
    try {
      await app.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
      await app.getByTestId('shop-open').click();
      await app.locator('[data-testid="shop"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      await app.getByTestId('shop-item-fish').waitFor({ timeout: WAIT_MS });
      assert.equal(Number(await app.getByTestId('shop-item-fish').getAttribute('data-price')), promoted, 'the promoted price in the shop');
    } finally {
      await mini.close();
    }

    // End it early: the row says ended and offers no actions.
    await row.getByRole('button', { name: 'End early' }).click();
    await confirmWithReason(page, 'Browser test: ends now');
    await waitUntil('the ended promotion', () => row.locator('.badge').textContent(), (text) => text === 'ended');
  });
});

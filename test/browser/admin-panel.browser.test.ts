/**
 * The admin panel (/admin) in Chromium against the real server: the login, the live dashboard
 * (two players in their rooms), the room inspector and a room's meters, the analytics charts
 * (days seeded into analytics_daily), the audit log, the Russian switch, keyboard navigation,
 * a moderator's view, and the phone layout. Saves the screenshots of docs/admin.md into
 * docs/img/admin-*.png. Needs the built client (both pages) and Chromium, like the other
 * browser tests.
 */
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Room } from 'colyseus.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { ROOT, WAIT_MS, launchBrowser, newContextOnServerClock, waitUntil } from '../helpers/browser.js';
import { joinHome } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ADMIN_PASSWORD = 'panel-admin-password';
const ANN = { id: 720_000_001, firstName: 'Ann' };
const BEN = { id: 720_000_002, firstName: 'Ben' };
const DAY = 86_400_000;
const IMG = path.join(ROOT, 'docs/img');

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(IMG, { recursive: true });
  const file = path.join(IMG, name);
  // Let the bars and charts settle (CSS width transitions).
  await page.waitForTimeout(450);
  await page.screenshot({ path: file, fullPage });
  assert.ok(statSync(file).size > 10_000, `${name} is a real picture`);
}

/** Fourteen plausible days of aggregates before the server's day, so the charts have something to draw. */
function seededDays(todayMs: number) {
  const rows = [];
  for (let i = 14; i >= 1; i--) {
    const day = new Date(todayMs - i * DAY).toISOString().slice(0, 10);
    const k = 15 - i;
    const newPlayers = 40 + ((k * 7) % 23);
    const weekend = new Date(`${day}T00:00:00Z`).getUTCDay() % 6 === 0;
    rows.push({
      day,
      dau: 300 + k * 18 + (weekend ? 70 : 0) + ((k * 37) % 41),
      wau: 900 + k * 55,
      new_players: newPlayers,
      d1_returned: Math.round(newPlayers * (0.42 + ((k * 13) % 9) / 100)),
      d7_returned: i > 7 ? Math.round(newPlayers * (0.18 + ((k * 11) % 7) / 100)) : 0,
      funnel_adopted: Math.round(newPlayers * 0.86),
      funnel_cared: Math.round(newPlayers * 0.74),
      funnel_minigame: Math.round(newPlayers * 0.41),
      funnel_purchased: Math.round(newPlayers * 0.12),
      stars_payments: 3 + (k % 5),
      stars_payers: 3 + (k % 4),
      stars_gross: 150 + ((k * 97) % 260),
      stars_refunded: k % 6 === 0 ? 50 : 0,
      coins_earned: 20_000 + k * 600,
      coins_spent: 16_000 + k * 450,
      faucets: JSON.stringify({ minigame_reward: 9000 + k * 300, quest_reward: 6000 + k * 200, streak_reward: 2500, stars_purchase: 2500 + k * 100 }),
      sinks: JSON.stringify({ shop_purchase: 15_000 + k * 420, skin_purchase: 1000 + k * 30 }),
      price_experiment: JSON.stringify({
        control: { shopViewers: 120 + k, buyers: 30 + (k % 7), convertedViewers: 26 + (k % 5), purchases: 44, coins: 2400 },
        'food-minus-10': { shopViewers: 118 + k, buyers: 36 + (k % 6), convertedViewers: 32 + (k % 4), purchases: 52, coins: 2300 },
      }),
      ui_events: JSON.stringify({ screen_view: 4000 + k * 90, shop_opened: 500 + k * 10 }),
      final: i > 8 ? 1 : 0,
      computed_at: todayMs - i * DAY + DAY + 3_600_000,
    });
  }
  return rows;
}

async function logIn(page: Page, server: TestServer, name: string, password: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId('login').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('body[data-screen="dashboard"]').waitFor({ state: 'attached', timeout: WAIT_MS });
}

/** Evaluated in the page; this file is compiled without DOM typings, hence globalThis. */
interface PageDocument {
  activeElement: { className: string; getAttribute(name: string): string | null } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
}
const focused = (page: Page, what: 'class' | 'testid'): Promise<string | null> =>
  page.evaluate((w) => {
    const el = (globalThis as unknown as { document: PageDocument }).document.activeElement;
    return el ? (w === 'class' ? el.className : el.getAttribute('data-testid')) : null;
  }, what);

const statValue = (page: Page, id: string) => page.getByTestId(`stat-${id}`).locator('.stat-value').getAttribute('data-value');

describe('Admin panel in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const rooms: Room[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ env: { ADMIN_PASSWORD, JWT_SECRET: 'p'.repeat(40), ANALYTICS_JOB_INTERVAL_S: '0' } });
    const today = Date.parse(`${new Date(server.now()).toISOString().slice(0, 10)}T00:00:00Z`);
    await server.app.db.kysely.insertInto('analytics_daily').values(seededDays(today)).execute();
    for (const [user, name, species] of [
      [ANN, 'Mochi', 'cat'],
      [BEN, 'Biscuit', 'dog'],
    ] as const) {
      const created = await server.api(user, 'POST', '/api/v1/pets', { name, species });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      rooms.push(await joinHome(server, user));
    }
    context = await newContextOnServerClock(browser, server, { viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    page = await context.newPage();
  });

  after(async () => {
    // Ben's room was closed by his ban: leaving it does not wait for an answer.
    for (const room of rooms) await Promise.race([room.leave().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('asks for a name and password, and refuses a wrong one', async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('login').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.title(), 'Sign in · Telepets admin');
    await shot(page, 'admin-login.png');
    await page.getByTestId('login-name').fill('admin');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await waitUntil('the refusal', () => page.getByTestId('login-error').textContent(), (text) => text === 'Wrong name or password.');
  });

  it('signs in and shows the live dashboard', async () => {
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').and(page.locator('[data-state="ready"]')).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('role').textContent(), 'Admin');
    await waitUntil('two rooms', () => statValue(page, 'rooms'), (v) => v === '2');
    assert.equal(await statValue(page, 'clients'), '2');
    assert.equal(await statValue(page, 'new-players'), '2');
    assert.equal(await statValue(page, 'purchases'), '0');
    assert.equal(await statValue(page, 'errors'), '0');
    assert.ok(Number(await statValue(page, 'loaded-pets')) >= 2);
    assert.match((await page.getByTestId('refresh-status').textContent()) ?? '', /^Updated /);
    assert.equal(await page.getByTestId('reconcile').count(), 1, 'admins may reconcile');
    await shot(page, 'admin-dashboard.png');
  });

  it('lists the rooms and opens one with its meters', async () => {
    await page.getByTestId('nav-rooms').click();
    await page.locator('[data-testid="rooms"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('rooms-table').locator('tbody tr').count(), 2);
    await page.getByTestId('rooms-filter').fill('Mochi');
    assert.equal(await page.getByTestId('rooms-table').locator('tbody tr').count(), 1);
    await page.getByTestId('rooms-filter').fill('');
    await shot(page, 'admin-rooms.png');
    const annRoom = rooms[0]!.roomId;
    await page.getByTestId(`room-${annRoom}`).click();
    await page.locator('[data-testid="room-detail"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('screen-title').textContent(), `Room ${annRoom}`);
    const hunger = Number(await page.getByTestId('meter-hunger').getByRole('meter').getAttribute('aria-valuenow'));
    assert.ok(hunger > 0 && hunger <= 100, String(hunger));
    assert.equal(await page.getByTestId('room-clients').locator('tbody tr').count(), 1);
    await shot(page, 'admin-room.png');
  });

  it('draws the analytics charts with table fallbacks', async () => {
    await page.getByTestId('nav-analytics').click();
    await page.locator('[data-testid="analytics"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    for (const chart of ['active', 'retention', 'stars', 'funnel', 'coins', 'experiment']) assert.equal(await page.getByTestId(`chart-${chart}`).count(), 1, chart);
    const label = (await page.getByTestId('chart-active').getByRole('img').getAttribute('aria-label')) ?? '';
    assert.match(label, /^Active players: .*DAU/);
    assert.equal(await page.getByTestId('chart-active').locator('details tbody tr').count(), 14);
    await shot(page, 'admin-analytics.png', true);
  });

  it('shows the audit log with the values before and after', async () => {
    // Something to show: an admin bans and unbans Ben through the API.
    const token = (await server.api(null, 'POST', '/admin/login', { password: ADMIN_PASSWORD })).body.token as string;
    const ben = await server.app.db.kysely.selectFrom('players').select('id').where('telegram_id', '=', BEN.id).executeTakeFirstOrThrow();
    for (const action of ['ban', 'unban']) {
      const res = await server.api(null, 'POST', `/admin/players/${ben.id}/${action}`, { reason: `Test of the audit log (${action})` }, { authorization: `Bearer ${token}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await page.getByTestId('nav-audit').click();
    await page.locator('[data-testid="audit"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    // The log's own rows (the diff tables inside them have rows too).
    const rows = page.getByTestId('audit-table').locator(':scope > tbody > tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await page.getByTestId('audit-more').isVisible(), false);
    const ban = rows.filter({ has: page.locator(':scope > td', { hasText: /^Test of the audit log \(ban\)$/ }) });
    assert.equal(await ban.count(), 1);
    await ban.locator('summary').click();
    assert.ok((await ban.locator('ins').count()) > 0, 'the changed values are marked');
    await shot(page, 'admin-audit.png');
  });

  it('switches to Russian and back', async () => {
    await page.getByTestId('lang-ru').click();
    await waitUntil('Russian nav', () => page.getByTestId('nav-dashboard').textContent(), (text) => text === 'Сводка');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.equal(await page.getByTestId('screen-title').textContent(), 'Журнал действий');
    assert.equal(await page.getByTestId('lang-ru').getAttribute('aria-pressed'), 'true');
    await page.getByTestId('lang-en').click();
    await waitUntil('English nav', () => page.getByTestId('nav-dashboard').textContent(), (text) => text === 'Dashboard');
  });

  it('keeps the session over a reload, and is usable with the keyboard: skip link, Tab to the nav, Enter opens a screen', async () => {
    // A fresh load: the session comes back from the refresh cookie, focus starts at the top.
    await page.goto(`${server.url}/admin#/dashboard`);
    await page.reload();
    await page.locator('body[data-screen="dashboard"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.keyboard.press('Tab');
    assert.equal(await focused(page, 'class'), 'skip-link');
    let at: string | null = null;
    for (let i = 0; i < 20 && at !== 'nav-rooms'; i++) {
      await page.keyboard.press('Tab');
      at = await focused(page, 'testid');
    }
    assert.equal(at, 'nav-rooms', 'Tab reaches the nav');
    await page.keyboard.press('Enter');
    await page.locator('body[data-screen="rooms"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    assert.equal(await focused(page, 'testid'), 'screen-title', 'focus moves to the new screen');
    assert.equal(await page.getByTestId('nav-rooms').getAttribute('aria-current'), 'page');
  });

  it('hides admin-only actions from a moderator', async () => {
    await new AdminRepository(server.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, server.now());
    const modContext = await newContextOnServerClock(browser, server, { viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' });
    try {
      const mod = await modContext.newPage();
      await logIn(mod, server, 'mia', 'moderator-pw');
      await mod.getByTestId('dashboard').and(mod.locator('[data-state="ready"]')).waitFor({ timeout: WAIT_MS });
      assert.equal(await mod.getByTestId('role').textContent(), 'Moderator');
      assert.equal(await mod.getByTestId('reconcile').count(), 0);
    } finally {
      await modContext.close();
    }
  });

  it('fits a phone: the nav becomes a menu', async () => {
    const phone = await newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'dark' });
    try {
      const p = await phone.newPage();
      await logIn(p, server, 'admin', ADMIN_PASSWORD);
      await p.getByTestId('dashboard').and(p.locator('[data-state="ready"]')).waitFor({ timeout: WAIT_MS });
      assert.equal(await p.getByTestId('nav').isVisible(), false);
      const overflow = await p.evaluate(() => {
        const root = (globalThis as unknown as { document: PageDocument }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
      await shot(p, 'admin-phone.png');
      await p.getByTestId('menu-button').click();
      assert.equal(await p.getByTestId('nav').isVisible(), true);
      assert.equal(await p.getByTestId('menu-button').getAttribute('aria-expanded'), 'true');
      await shot(p, 'admin-phone-menu.png');
      await p.getByTestId('nav-rooms').click();
      await p.locator('body[data-screen="rooms"]').waitFor({ state: 'attached', timeout: WAIT_MS });
      assert.equal(await p.getByTestId('nav').isVisible(), false);
    } finally {
      await phone.close();
    }
  });
});

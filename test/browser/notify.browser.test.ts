/**
 * The bot notification switches in the Mini App (in the progress sheet), in headless Chromium
 * against the real server (dev sign-in, where Telegram allows the bot to write): all on at
 * first; a switch turned off is off on the server and after a reload; all off greys the kinds
 * out; a player who blocked the bot is told how to get messages again. Screenshot in
 * test/artifacts/notify.png.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { NotificationSettingsDto } from '../../shared/notifications.js';
import { NotificationsRepository } from '../../server/repositories/notifications-repository.js';
import { WAIT_MS, launchBrowser, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SAM = { id: 710_000_411, firstName: 'Sam' };

describe('Notification switches in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const settings = async (): Promise<NotificationSettingsDto> => (await server.api(SAM, 'GET', '/api/v1/notifications/settings')).body as NotificationSettingsDto;
  const openSheet = async () => {
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('progress-open').click();
    await page.locator('[data-testid="notify-settings"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
  };
  const checked = (testid: string) => page.getByTestId(testid).isChecked();

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    assert.equal((await server.api(SAM, 'POST', '/api/v1/pets', { name: 'Pip', species: 'dog' })).status, 201);
    ({ context, page } = await openMiniApp(browser, server, SAM));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('shows every switch on for a player Telegram lets the bot write to', async () => {
    await openSheet();
    await page.getByTestId('notify-settings').scrollIntoViewIfNeeded();
    assert.equal(await checked('notify-all'), true);
    for (const s of ['care', 'growth', 'streak', 'friends', 'payments']) assert.equal(await checked(`notify-switch-${s}`), true, s);
    assert.equal(await page.getByTestId('notify-status').isVisible(), false);
    assert.match((await page.getByTestId('notify-settings').textContent()) ?? '', /at most 4 a day/);
    const truth = await settings();
    assert.equal(truth.allowed, true);
  });

  it('turns one kind off on the server, and it stays off after a reload', async () => {
    await page.getByTestId('notify-switch-friends').click();
    await waitUntil('the server to have friends off', settings, (s) => !s.switches.friends);
    assert.equal((await settings()).switches.care, true);
    await saveScreenshot(page, 'notify.png');
    await page.reload();
    await openSheet();
    assert.equal(await checked('notify-switch-friends'), false);
    assert.equal(await checked('notify-switch-care'), true);
  });

  it('all off mutes the bot and greys the kinds out; on again restores them', async () => {
    await page.getByTestId('notify-all').click();
    await waitUntil('the server to be muted', settings, (s) => s.muted);
    // The page shows it once the server's answer has arrived.
    await waitUntil('the kinds greyed out', () => page.getByTestId('notify-switch-care').isDisabled(), (disabled) => disabled);
    await page.getByTestId('notify-all').click();
    await waitUntil('the server to be on again', settings, (s) => !s.muted);
    await waitUntil('the kinds usable again', () => page.getByTestId('notify-switch-care').isDisabled(), (disabled) => !disabled);
    assert.equal(await checked('notify-switch-friends'), false, 'the kinds keep their own setting');
  });

  it('a notification button that names the progress sheet opens it at launch', async () => {
    const other = await context.newPage();
    await other.goto(`${server.url}/?user=${SAM.id}&name=${SAM.firstName}&startapp=progress`);
    await other.locator('[data-testid="notify-settings"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await other.getByTestId('progress').isVisible(), true);
    await other.close();
  });

  it('tells a player who blocked the bot how to get messages again', async () => {
    const me = (await server.api(SAM, 'GET', '/api/v1/me')).body as { id: string };
    await new NotificationsRepository(server.app.db.kysely).markUnreachable(me.id, server.now());
    await page.getByTestId('progress-close').click();
    await page.getByTestId('progress-open').click();
    const status = page.getByTestId('notify-status');
    await status.waitFor({ timeout: WAIT_MS });
    assert.match((await status.textContent()) ?? '', /The bot is blocked/);
  });
});

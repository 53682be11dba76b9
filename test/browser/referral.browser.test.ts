/**
 * The referral reward in the Mini App, in headless Chromium against the real server (dev
 * sign-in, `?startapp=ref_<code>` as a share or invite link brings it): a new player adopts
 * their first pet and is shown the welcome gift; the inviter, with the app open, is shown the
 * friend's adoption and the coins arrive in the top bar (the server agrees). On a phone
 * (390×844), light and dark, English and Russian. Screenshots in test/artifacts/
 * referral-new-player.png, referral-inviter.png and referral-ru-dark.png. Needs the built
 * client (`npm run build:client`) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REFERRAL_REWARD } from '../../shared/balance.js';
import { WAIT_MS, attr, launchBrowser, newContextOnServerClock, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ANN = { id: 710_000_401, firstName: 'Ann' };
const CLEO = { id: 710_000_402, firstName: 'Cleo' };
const DIMA = { id: 710_000_403, firstName: 'Dima' };
const PHONE = { viewport: { width: 390, height: 844 }, timezoneId: 'UTC' } as const;

async function waitForHome(page: Page): Promise<void> {
  await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('pet-name').waitFor({ timeout: WAIT_MS });
}

/** Adopts on the create screen the app opens with for a player without pets. */
async function adoptFirstPet(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-name').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('create-name').fill(name);
  await page.getByTestId('create-submit').click();
}

describe('Referral reward in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let annContext: BrowserContext;
  let annPage: Page;
  let code = '';

  const serverCoins = async (user: { id: number; firstName: string }): Promise<number> => (await server.api(user, 'GET', '/api/v1/me')).body.balances.coins as number;

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    assert.equal((await server.api(ANN, 'POST', '/api/v1/pets', { name: 'Biscuit', species: 'cat' })).status, 201);
    code = (await server.api(ANN, 'GET', '/api/v1/me')).body.inviteCode as string;
    annContext = await newContextOnServerClock(browser, server, { ...PHONE, locale: 'en-US' });
    annPage = await annContext.newPage();
    await annPage.goto(`${server.url}/?user=${ANN.id}&name=${ANN.firstName}`);
    await waitForHome(annPage);
  });

  after(async () => {
    await annContext?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('a new player from a friend’s link is shown the welcome gift with their first pet', async () => {
    const context = await newContextOnServerClock(browser, server, { ...PHONE, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/?user=${CLEO.id}&name=${CLEO.firstName}&startapp=ref_${code}`);
      const coinsBefore = Number(await attr(annPage, 'coins', 'data-value'));
      await adoptFirstPet(page, 'Pip');
      const gift = page.locator('[data-testid="toast"][data-notice="referral"]');
      await gift.waitFor({ timeout: WAIT_MS });
      assert.match((await gift.textContent()) ?? '', new RegExp(`came through Ann’s link. Welcome gift: \\+${REFERRAL_REWARD.referredCoins} coins`));
      await waitForHome(page);
      await saveScreenshot(page, 'referral-new-player.png');

      // The inviter's open app: the notice, and the coins in the top bar as the server has them.
      const notice = annPage.locator('[data-testid="toast"][data-notice="referral"]');
      await notice.waitFor({ timeout: WAIT_MS });
      assert.match((await notice.textContent()) ?? '', new RegExp(`Cleo adopted a pet! \\+${REFERRAL_REWARD.inviterCoins} coins`));
      const truth = await serverCoins(ANN);
      assert.ok(truth >= coinsBefore + REFERRAL_REWARD.inviterCoins, `${truth} ≥ ${coinsBefore} + ${REFERRAL_REWARD.inviterCoins}`);
      await waitUntil('the top bar to show the inviter’s coins', async () => Number(await attr(annPage, 'coins', 'data-value')), (n) => n === truth);
      await saveScreenshot(annPage, 'referral-inviter.png');
    } finally {
      await context.close();
    }
  });

  it('speaks Russian in the dark (screenshot in test/artifacts/referral-ru-dark.png)', async () => {
    const dark = await newContextOnServerClock(browser, server, { ...PHONE, locale: 'ru-RU', colorScheme: 'dark' });
    try {
      const page = await dark.newPage();
      await page.goto(`${server.url}/?user=${DIMA.id}&name=${DIMA.firstName}&lang=ru&startapp=ref_${code}`);
      await adoptFirstPet(page, 'Барсик');
      const gift = page.locator('[data-testid="toast"][data-notice="referral"]');
      await gift.waitFor({ timeout: WAIT_MS });
      assert.match((await gift.textContent()) ?? '', new RegExp(`по ссылке друга \\(Ann\\)\\. Подарок: \\+${REFERRAL_REWARD.referredCoins} монет`));
      assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
      await waitForHome(page);
      await saveScreenshot(page, 'referral-ru-dark.png');
    } finally {
      await dark.close();
    }
  });
});

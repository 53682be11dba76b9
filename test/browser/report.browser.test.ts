/**
 * Reporting a friend's pet from the Mini App (docs/moderation.md): watching a friend's home,
 * the Report button opens a sheet; picking "The name" and sending shows the confirmation, and
 * sending again says it was reported already. Needs the built client (`npm run build`) and
 * /usr/bin/chromium (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translate } from '../../shared/i18n.js';
import { WAIT_MS, ensureClientBuilt, launchBrowser, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ALICE = { id: 720_000_001, firstName: 'Alice' };
const BOB = { id: 720_000_002, firstName: 'Bob' };

const toasts = (page: Page): Promise<string[]> => page.getByTestId('toast').allTextContents();

describe('reporting a friend’s pet in the browser', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rexId = '';

  before(async function () {
    browser = await launchBrowser(this);
    ensureClientBuilt();
    server = await startTestServer({ botToken: '' });
    rexId = (await server.api(BOB, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).body.id;
    await server.api(ALICE, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' });
    const bobCode = (await server.api(BOB, 'GET', '/api/v1/me')).body.inviteCode;
    assert.equal((await server.api(ALICE, 'POST', '/api/v1/friends', { inviteCode: bobCode })).status, 201);
    ({ context, page } = await openMiniApp(browser, server, ALICE));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('watches the friend’s home and reports the pet’s name', async () => {
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('friends-open').click();
    await page.getByTestId('friend-item').first().click();
    await page.getByTestId('spectate-banner').waitFor({ timeout: WAIT_MS });
    await waitUntil("the friend's pet", () => page.getByTestId('pet-name').textContent(), (name) => name === 'Rex');

    await page.getByTestId('report-open').click();
    await page.getByTestId('report').waitFor({ timeout: WAIT_MS });
    assert.match((await page.locator('#report-title').textContent()) ?? '', /Rex/);
    assert.equal(await page.getByTestId('report-send').isDisabled(), true, 'a reason first');
    await page.getByTestId('report-reason-name').click();
    await page.getByTestId('report-note').fill('rude name');
    await saveScreenshot(page, 'report-sheet.png');
    await page.getByTestId('report-send').click();
    await waitUntil('the confirmation', () => toasts(page), (texts) => texts.includes(translate('en', 'report.sent')));
    assert.equal(await page.getByTestId('report').isVisible(), false, 'the sheet closed');

    const rows = await server.app.db.kysely.selectFrom('pet_reports').selectAll().where('pet_id', '=', rexId).execute();
    assert.deepEqual(rows.map((r) => [r.reason, r.note, r.status]), [['name', 'rude name', 'open']]);
  });

  it('says so when the pet was reported already', async () => {
    await page.getByTestId('report-open').click();
    await page.getByTestId('report-reason-picture').click();
    await page.getByTestId('report-send').click();
    await waitUntil('the already-reported notice', () => toasts(page), (texts) => texts.includes(translate('en', 'report.already')));
    const rows = await server.app.db.kysely.selectFrom('pet_reports').select('id').where('pet_id', '=', rexId).execute();
    assert.equal(rows.length, 1);
  });
});

/**
 * The Moderation and Anti-fraud screens of the admin panel in Chromium against the real server
 * (docs/admin.md, docs/moderation.md): a friend reports a pet's picture from the Mini App's
 * spectator view; a moderator sees the report in the panel, hides the picture with a reason,
 * the report leaves the open list, the audit log shows it and the owner's pet shows its
 * procedural picture; the hidden picture is shown to the moderator through the admin route.
 * A rename refused by the word filter says so in its dialog. Flags raised through the fraud
 * service are decided (clear, warn with its outcome), and a moderator gets no Ban button while
 * an admin does. Saves docs/img/admin-moderation.png and docs/img/admin-fraud.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Room } from 'colyseus.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { translate } from '../../shared/i18n.js';
import { ROOT, WAIT_MS, launchBrowser, newContextOnServerClock, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { joinHome } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ADMIN_PASSWORD = 'moderation-admin-password';
const ALICE = { id: 720_100_001, firstName: 'Alice' };
const BOB = { id: 720_100_002, firstName: 'Bob' };
const CARA = { id: 720_100_003, firstName: 'Cara' };
const IMG = path.join(ROOT, 'docs/img');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(IMG, { recursive: true });
  const file = path.join(IMG, name);
  // The toasts of earlier steps would cover the screen.
  await page.locator('.toast').evaluateAll((els) => els.forEach((el) => (el as unknown as { remove(): void }).remove()));
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  assert.ok(statSync(file).size > 10_000, `${name} is a real picture`);
}

async function logIn(page: Page, server: TestServer, name: string, password: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId('login').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('body[data-screen="dashboard"]').waitFor({ state: 'attached', timeout: WAIT_MS });
}

/** Fills the confirm dialog's reason and confirms. */
async function confirmWithReason(page: Page, reason: string): Promise<void> {
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor({ timeout: WAIT_MS });
  await dialog.locator('textarea').fill(reason);
  await page.getByTestId('confirm-ok').click();
  await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
}

const toasts = (page: Page): Promise<string[]> => page.getByTestId('toast').allTextContents();

describe('Admin panel: moderation and anti-fraud in the browser', function () {
  this.timeout(150_000);

  let server: TestServer;
  let browser: Browser;
  let mini: BrowserContext;
  let panel: BrowserContext;
  let page: Page;
  let rexId = '';
  let mochiId = '';
  let bobId = '';
  let aliceId = '';
  const rooms: Room[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '', env: { ADMIN_PASSWORD, JWT_SECRET: 'q'.repeat(40), IMAGE_PRESET: 'fast' } });
    rexId = (await server.api(BOB, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).body.id;
    mochiId = (await server.api(ALICE, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).body.id;
    bobId = (await server.api(BOB, 'GET', '/api/v1/me')).body.id;
    aliceId = (await server.api(ALICE, 'GET', '/api/v1/me')).body.id;
    const bobCode = (await server.api(BOB, 'GET', '/api/v1/me')).body.inviteCode;
    assert.equal((await server.api(ALICE, 'POST', '/api/v1/friends', { inviteCode: bobCode })).status, 201);
    assert.equal((await server.api(CARA, 'POST', '/api/v1/friends', { inviteCode: bobCode })).status, 201);
    // Both pets get their picture (made when their home is loaded).
    for (const [user, petId] of [
      [BOB, rexId],
      [ALICE, mochiId],
    ] as const) {
      rooms.push(await joinHome(server, user));
      await waitUntil('the picture', () => server.api(user, 'GET', `/api/v1/pets/${petId}/images/current`), (r) => r.status === 200, 30_000);
    }
    await new AdminRepository(server.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, server.now());
    panel = await newContextOnServerClock(browser, server, { viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    page = await panel.newPage();
  });

  after(async () => {
    for (const room of rooms) await Promise.race([room.leave().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
    await mini?.close();
    await panel?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it("a friend reports a pet's picture from the Mini App's spectator view", async () => {
    let miniPage: Page;
    ({ context: mini, page: miniPage } = await openMiniApp(browser, server, ALICE));
    await miniPage.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await miniPage.getByTestId('friends-open').click();
    await miniPage.getByTestId('friend-item').first().click();
    await miniPage.getByTestId('spectate-banner').waitFor({ timeout: WAIT_MS });
    await waitUntil("the friend's pet", () => miniPage.getByTestId('pet-name').textContent(), (name) => name === 'Rex');
    await miniPage.getByTestId('report-open').click();
    await miniPage.getByTestId('report-reason-picture').click();
    await miniPage.getByTestId('report-note').fill('not a dog');
    await miniPage.getByTestId('report-send').click();
    await waitUntil('the confirmation', () => toasts(miniPage), (texts) => texts.includes(translate('en', 'report.sent')));
    await mini.close();
    // More for the queue: Bob reports Alice's pet's name, Cara reports Rex too, a name is refused.
    assert.equal((await server.api(BOB, 'POST', `/api/v1/pets/${mochiId}/reports`, { reason: 'name', note: 'rude' })).status, 201);
    assert.equal((await server.api(CARA, 'POST', `/api/v1/pets/${rexId}/reports`, { reason: 'other' })).status, 201);
    assert.equal((await server.api(CARA, 'POST', '/api/v1/pets', { name: 'fuck', species: 'cat' })).body.error.code, 'NAME_REJECTED');
    await server.app.http.services.moderation.settled();
  });

  it('shows the report to a moderator, who hides the picture: the report leaves the open list, audited, the pet falls back to its procedural picture', async () => {
    await logIn(page, server, 'mia', 'moderator-pw');
    await page.getByTestId('nav-moderation').click();
    await page.locator('body[data-screen="moderation"]').waitFor({ state: 'attached' });
    const rex = page.locator(`[data-testid="report-group"][data-pet="${rexId}"]`);
    await rex.waitFor({ timeout: WAIT_MS });
    assert.equal(await rex.getByTestId('report-pet-name').textContent(), 'Rex');
    assert.equal(await rex.getByTestId('report-owner').getAttribute('href'), `#/players/${bobId}`);
    assert.equal(await rex.getByTestId('report-owner').textContent(), 'Bob');
    assert.equal(await rex.getByTestId('report-reporters').textContent(), '2');
    assert.match((await rex.getByTestId('report-reason-picture').textContent()) ?? '', /Picture × 1/);
    await waitUntil('the current picture', () => rex.getByTestId('report-picture').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), (w) => w > 0);
    await page.locator(`[data-pet="${mochiId}"]`).waitFor();
    await shot(page, 'admin-moderation.png');

    await rex.getByTestId(`hide-${rexId}`).click();
    await confirmWithReason(page, 'not the pet, an unrelated photo');
    await waitUntil('the toast', () => toasts(page), (texts) => texts.some((x) => /^Picture hidden; reports resolved: 1$/.test(x)));
    // Cara's "other" report keeps the group open until it is dismissed.
    await waitUntil('the group without picture reports', () => rex.getByTestId('report-reason-picture').count(), (n) => n === 0);
    await rex.getByTestId(`dismiss-${rexId}`).click();
    await confirmWithReason(page, 'handled by hiding the picture');
    await rex.waitFor({ state: 'detached', timeout: WAIT_MS });

    const hidden = await server.app.db.kysely.selectFrom('pet_images').select(['id']).where('pet_id', '=', rexId).where('hidden_at', 'is not', null).executeTakeFirstOrThrow();
    const current = await server.api(BOB, 'GET', `/api/v1/pets/${rexId}/images/current`);
    assert.equal(current.status, 200);
    assert.notEqual(current.body.id, hidden.id);
    assert.equal(current.body.provider, 'procedural');
    const standIn = await server.app.db.kysely.selectFrom('pet_images').select('requested_by').where('id', '=', current.body.id).executeTakeFirstOrThrow();
    assert.equal(standIn.requested_by, 'moderation', 'the procedural stand-in of the hidden picture');
    assert.equal((await fetch(`${server.url}/api/v1/images/${hidden.id}`)).status, 404);

    // The resolved list shows the hidden picture, fetched with the token (an object URL).
    await page.getByTestId('moderation-status-resolved').click();
    const resolved = page.locator(`[data-testid="report-group"][data-pet="${rexId}"]`);
    await resolved.waitFor({ timeout: WAIT_MS });
    const img = resolved.getByTestId('report-hidden-picture');
    await waitUntil(
      'the hidden picture',
      () => img.evaluate((el) => ({ src: (el as unknown as { src: string }).src, w: (el as unknown as { naturalWidth: number }).naturalWidth })),
      (v) => v.src.startsWith('blob:') && v.w > 0,
    );
    assert.equal(await resolved.getByTestId(`unhide-${rexId}`).count(), 1);
    assert.equal(await resolved.getByTestId(`hide-${rexId}`).count(), 0);

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor({ timeout: WAIT_MS });
    await waitUntil('the audit rows', () => page.getByTestId('audit-table').textContent(), (text) => (text ?? '').includes('moderation.hide_picture') && (text ?? '').includes('moderation.dismiss_pet_reports'));
  });

  it('renames a reported pet: the word filter refusal shows in the dialog, then the rename dismisses the reports', async () => {
    await page.getByTestId('nav-moderation').click();
    const mochi = page.locator(`[data-testid="report-group"][data-pet="${mochiId}"]`);
    await mochi.waitFor({ timeout: WAIT_MS });
    await mochi.getByTestId(`rename-${mochiId}`).click();
    const dialog = page.getByTestId('rename-dialog');
    await dialog.waitFor();
    await page.getByTestId('rename-name').fill('Sh1thead');
    await page.getByTestId('rename-dialog-reason').fill('reported name');
    await page.getByTestId('rename-dialog-ok').click();
    await waitUntil('the refusal', () => dialog.locator('.field-error:not([hidden])').allTextContents(), (texts) => texts.includes('The word filter refuses this name.'));
    await page.getByTestId('rename-name').fill('Pebble');
    await page.getByTestId('rename-dialog-ok').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
    await waitUntil('the toast', () => toasts(page), (texts) => texts.includes('Renamed to Pebble; reports dismissed: 1'));
    await mochi.waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal((await server.api(ALICE, 'GET', `/api/v1/pets/${mochiId}`)).body.name, 'Pebble');
    await page.getByTestId('moderation-empty').waitFor();
  });

  it('lists refused names with the player and dismisses one', async () => {
    await page.getByTestId('moderation-status-open').click();
    await page.getByTestId('moderation-tab-names').click();
    const table = page.getByTestId('names-table');
    await waitUntil('the refused name', () => table.getByTestId('name-text').allTextContents(), (texts) => texts.includes('fuck'));
    assert.equal(await table.getByTestId('name-player').first().textContent(), 'Cara');
    assert.match(page.url(), /#\/moderation\/names\/open$/);
    await table.locator('button[data-testid^="dismiss-name-"]').first().click();
    await confirmWithReason(page, 'seen, nothing to do');
    await waitUntil('the names', () => table.getByTestId('name-text').count(), (n) => n === 0);
  });

  it('shows the anti-fraud flags; a moderator clears one and warns another (the toast tells whether the bot message went out), and has no Ban button', async () => {
    const fraud = server.app.http.services.fraud;
    fraud.observeMinigame(aliceId, { gameId: 'g-1', kind: 'catch', score: 412, taps: 960, suspicious: 7 });
    for (let i = 0; i < 4; i++) fraud.observeUtcOffsetChange(bobId, 60 * i, 60 * (i + 1));
    for (let i = 0; i < 3; i++) fraud.observeRateLimited(bobId, 'friend-adds');
    await fraud.settled();

    await page.getByTestId('nav-fraud').click();
    await page.locator('body[data-screen="fraud"]').waitFor({ state: 'attached' });
    await waitUntil('three flags', () => page.getByTestId('fraud-flag').count(), (n) => n === 3);
    assert.equal(await page.locator('[data-decision="ban"]').count(), 0, 'moderators cannot ban');
    const minigame = page.locator('[data-testid="fraud-flag"][data-kind="minigame_anomaly"]');
    assert.equal(await minigame.getByTestId('flag-severity').textContent(), 'High');
    assert.equal(await minigame.getByTestId('flag-player').getAttribute('href'), `#/players/${aliceId}`);
    await minigame.getByTestId('flag-evidence').locator('summary').click();
    assert.match((await minigame.getByTestId('flag-evidence').locator('pre').textContent()) ?? '', /"suspicious": 7/);
    await shot(page, 'admin-fraud.png');

    await minigame.locator('[data-decision="clear"]').click();
    await confirmWithReason(page, 'a fast player, checked the replay');
    await waitUntil('the toast', () => toasts(page), (texts) => texts.includes('Flag cleared'));
    await minigame.waitFor({ state: 'detached', timeout: WAIT_MS });

    // The toast says whether the bot message went out (the test server's dev bot may deliver it).
    const utc = page.locator('[data-testid="fraud-flag"][data-kind="utc_offset_changes"]');
    await utc.locator('[data-decision="warn"]').click();
    const decided = page.waitForResponse((r) => r.url().endsWith('/decide') && r.request().method() === 'POST');
    await confirmWithReason(page, 'travelling? please keep one time zone');
    const { messaged } = (await (await decided).json()) as { messaged: boolean };
    const expected = messaged ? 'Warning sent to Bob' : 'Warning recorded; the bot could not message Bob';
    await waitUntil('the warning outcome', () => toasts(page), (texts) => texts.includes(expected));

    const flags = await server.app.db.kysely.selectFrom('fraud_flags').select(['kind', 'status', 'decided_by']).orderBy('kind').execute();
    assert.deepEqual(
      flags.map((f) => [f.kind, f.status]),
      [
        ['minigame_anomaly', 'cleared'],
        ['rate_limited', 'open'],
        ['utc_offset_changes', 'warned'],
      ],
    );

    await page.getByTestId('fraud-status').selectOption('cleared');
    await waitUntil('the cleared flag', () => page.getByTestId('flag-decision').allTextContents(), (texts) => texts.length === 1 && /Cleared by/.test(texts[0] ?? ''));
  });

  it('gives admins the Ban button', async () => {
    const adminContext = await newContextOnServerClock(browser, server, { viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'UTC' });
    try {
      const admin = await adminContext.newPage();
      await logIn(admin, server, '', ADMIN_PASSWORD);
      await admin.getByTestId('nav-fraud').click();
      await waitUntil('the open flag', () => admin.getByTestId('fraud-flag').count(), (n) => n === 1);
      assert.equal(await admin.locator('[data-decision="ban"]').count(), 1);
    } finally {
      await adminContext.close();
    }
  });
  it('fits a phone: cards stack, nothing scrolls sideways', async () => {
    const phone = await newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US', timezoneId: 'UTC' });
    try {
      const p = await phone.newPage();
      await logIn(p, server, 'mia', 'moderator-pw');
      await p.goto(`${server.url}/admin#/moderation/reports/resolved`);
      await p.locator(`[data-testid="report-group"][data-pet="${rexId}"]`).waitFor({ timeout: WAIT_MS });
      const widths = await p.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return [root.scrollWidth, root.clientWidth];
      });
      assert.ok(widths[0]! <= widths[1]!, `no sideways scroll (${widths.join(' > ')})`);
      await saveScreenshot(p, 'admin-moderation-phone.png');
      await p.goto(`${server.url}/admin#/fraud/warned`);
      await p.getByTestId('fraud-flag').first().waitFor({ timeout: WAIT_MS });
      await saveScreenshot(p, 'admin-fraud-phone.png');
    } finally {
      await phone.close();
    }
  });
});

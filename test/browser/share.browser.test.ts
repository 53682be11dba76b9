/**
 * The Mini App's Share button under each Telegram version (ADR 0018), in headless Chromium
 * against the real server with a real bot token and the fake Bot API: a stand-in for
 * `window.Telegram.WebApp` of the version (with exactly the share functions that version
 * has, or fewer) is installed before the app loads and records every share call. Tapping
 * Share calls shareToStory (7.8+) with the story card's immutable URL (fetched here: a
 * 1080×1920 PNG) and a widget link to the bot with the referral; shareMessage (8.0 without
 * shareToStory) with the id the server got from savePreparedInlineMessage; downloadFile
 * (8.0 without either); Telegram's share sheet with the public page on 6.0 and 7.7; and
 * outside Telegram (dev sign-in) a plain download of the card. Screenshots of the home with
 * the button in light and dark themes: test/artifacts/share-*.png.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import { WAIT_MS, launchBrowser, newContextOnServerClock, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { testClock } from '../helpers/clock.js';
import { pngInfo } from '../helpers/png.js';
import { telegramStandIn, type StandInArgs } from '../helpers/telegram-stand-in.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer } from '../helpers/test-server.js';

const SAM = { id: 710_000_501, firstName: 'Sam' };
type ShareFunction = 'shareToStory' | 'shareMessage' | 'downloadFile';

/** Share functions this client lacks although its version has them. */
type Omitted = ShareFunction[];

interface ShareCall {
  method: string;
  args: unknown[];
}

/**
 * The stand-in of `version` with the share functions of that version (less `omit`), each
 * recording its call in `window.__shareCalls`, as does opening Telegram's share sheet.
 */
function shareStandIn(args: StandInArgs & { omit: Omitted }): string {
  return telegramStandIn(
    args,
    `const calls = [];
    window.__shareCalls = calls;
    const record = (method) => (...callArgs) => {
      calls.push({ method, args: callArgs.filter((a) => typeof a !== 'function') });
    };
    webApp.openTelegramLink = record('openTelegramLink');
    if (atLeast('7.8')) webApp.shareToStory = record('shareToStory');
    if (atLeast('8.0')) {
      webApp.shareMessage = record('shareMessage');
      webApp.downloadFile = record('downloadFile');
    }
    for (const name of args.omit) delete webApp[name];`,
  );
}

const shareCalls = (page: Page): Promise<ShareCall[]> => page.evaluate(() => [...(globalThis as unknown as { __shareCalls: ShareCall[] }).__shareCalls]);

describe('Share in the Mini App, under each Telegram version', function () {
  this.timeout(180_000);

  let fake: FakeBotApi;
  let server: TestServer;
  let browser: Browser;
  let inviteCode: string;
  let petId: string;
  const contexts: BrowserContext[] = [];

  /** The Mini App inside a stand-in Telegram of `version`; tapping Share, resolves with the one share call. */
  async function tapShare(version: string, omit: Omitted = [], dark = false, screenshot?: string): Promise<{ call: ShareCall; page: Page }> {
    await closeContexts();
    const context = await newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'UTC', colorScheme: dark ? 'dark' : 'light' });
    contexts.push(context);
    const page = await context.newPage();
    await page.addInitScript({ content: shareStandIn({ initData: server.initData(SAM), user: { id: SAM.id, first_name: SAM.firstName, language_code: 'en' }, version, omit, dark }) });
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    const button = page.getByTestId('share-open');
    await button.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await button.getAttribute('aria-label'), 'Share Nova');
    if (screenshot) await saveScreenshot(page, screenshot);
    await button.click();
    const calls = await waitUntil(`a share call under ${version}`, () => shareCalls(page), (c) => c.length > 0);
    assert.equal(calls.length, 1, JSON.stringify(calls));
    return { call: calls[0]!, page };
  }

  /** One Mini App at a time: the previous one leaves the home room. */
  async function closeContexts(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  /** The share links the server gives the owner now (the same the app got). */
  const shareInfo = async () => (await server.api(SAM, 'GET', `/api/v1/pets/${petId}/share`)).body;

  before(async function () {
    browser = await launchBrowser(this);
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    server = await startTestServer({ env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_BOT_USERNAME: 'telepets_bot', STARS_RECONCILE_INTERVAL_S: '0' } });
    await waitUntil('the bot to be ready', async () => server.app.telegram()?.ready === true, (ready) => ready);
    petId = (await server.api(SAM, 'POST', '/api/v1/pets', { name: 'Nova', species: 'bunny' })).body.id;
    inviteCode = (await server.api(SAM, 'GET', '/api/v1/me')).body.inviteCode;
  });

  after(async () => {
    await closeContexts();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
    await fake?.close();
  });

  for (const version of ['7.8', '8.0']) {
    it(`${version}: shares the story card to a story with a widget link to the bot (referral)`, async () => {
      const { call } = await tapShare(version, [], version === '8.0', version === '8.0' ? 'share-home-dark.png' : 'share-home-light.png');
      const info = await shareInfo();
      assert.equal(call.method, 'shareToStory');
      assert.equal(info.botLink, `https://t.me/telepets_bot?startapp=ref_${inviteCode}`);
      assert.deepEqual(call.args, [info.storyCardUrl, { text: 'Meet Nova, my pet in Telepets!', widget_link: { url: info.botLink, name: 'Play Telepets' } }]);
      const url = call.args[0] as string;
      assert.match(url, /\/api\/v1\/pets\/[0-9a-f-]{36}\/card\.png\?format=story&v=[A-Za-z0-9_-]{32}$/);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const png = pngInfo(Buffer.from(await res.arrayBuffer()));
      assert.deepEqual([png.width, png.height], [1080, 1920]);
    });
  }

  it('8.0 without shareToStory: sends the message the server prepared through savePreparedInlineMessage', async () => {
    const before = fake.preparedMessages.length;
    const { call } = await tapShare('8.0', ['shareToStory']);
    assert.equal(call.method, 'shareMessage');
    assert.equal(fake.preparedMessages.length, before + 1);
    const prepared = fake.preparedMessages.at(-1)!;
    assert.deepEqual(call.args, [prepared.id]);
    assert.equal(prepared.userId, SAM.id);
    assert.equal(prepared.result.photo_url, (await shareInfo()).previewCardUrl);
  });

  it('8.0 without shareToStory and shareMessage: Telegram downloads the story card', async () => {
    const { call } = await tapShare('8.0', ['shareToStory', 'shareMessage']);
    assert.equal(call.method, 'downloadFile');
    assert.deepEqual(call.args, [{ url: (await shareInfo()).storyCardUrl, file_name: 'Nova-telepets.png' }]);
  });

  for (const version of ['6.0', '7.7']) {
    it(`${version}: opens Telegram's share sheet with the public page`, async () => {
      const { call, page: app } = await tapShare(version);
      const info = await shareInfo();
      assert.equal(call.method, 'openTelegramLink');
      if (version === '6.0') {
        // The public page as a phone shows it (its CSP lets the card load, nothing else).
        const blocked: string[] = [];
        app.on('console', (m) => (/Content Security Policy|Refused to/.test(m.text()) ? blocked.push(m.text()) : undefined));
        await app.goto(info.pageUrl);
        await app.getByTestId('share-name').waitFor({ timeout: WAIT_MS });
        await app.waitForFunction('document.querySelector(".card img")?.naturalWidth === 1200', undefined, { timeout: WAIT_MS });
        assert.equal(await app.getByTestId('share-open').getAttribute('href'), info.botLink);
        assert.deepEqual(blocked, []);
        await saveScreenshot(app, 'share-page.png');
        await app.emulateMedia({ colorScheme: 'dark' });
        await saveScreenshot(app, 'share-page-dark.png');
      }
      assert.deepEqual(call.args, [`https://t.me/share/url?url=${encodeURIComponent(info.pageUrl)}&text=${encodeURIComponent('Meet Nova, my pet in Telepets!')}`]);
      const page = await fetch(info.pageUrl);
      assert.equal(page.status, 200);
      assert.ok((await page.text()).includes(`<meta property="og:image" content="${info.previewCardUrl.replace(/&/g, '&amp;')}">`));
    });
  }

  it('7.8 lacking shareToStory: the share sheet too', async () => {
    const { call } = await tapShare('7.8', ['shareToStory']);
    assert.equal(call.method, 'openTelegramLink');
  });

  it('a failing share ends in a toast', async () => {
    // The share links cannot be had (the server is not ready): nothing is shared, a toast says so.
    await closeContexts();
    const context = await newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    await page.addInitScript({ content: shareStandIn({ initData: server.initData(SAM), user: { id: SAM.id, first_name: SAM.firstName, language_code: 'en' }, version: '8.0', omit: [], dark: false }) });
    await page.route('**/api/v1/pets/*/share', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'NOT_READY', message: 'down' } }) }));
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('share-open').click();
    await page.locator('.toasts').getByText(/.+/).first().waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await shareCalls(page), []);
    assert.equal(await page.getByTestId('share-open').isDisabled(), false, 'the button is back');
  });
});

describe('Share in the Mini App, outside Telegram', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async function () {
    browser = await launchBrowser(this);
    // No bot token: dev sign-in, as the app runs in a plain browser.
    server = await startTestServer({ botToken: '' });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('downloads the story card as a file', async () => {
    const pia = { id: 710_000_502, firstName: 'Pia' };
    assert.equal((await server.api(pia, 'POST', '/api/v1/pets', { name: 'Luna', species: 'cat' })).status, 201);
    const opened = await openMiniApp(browser, server, pia);
    context = opened.context;
    const page = opened.page;
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    const download = page.waitForEvent('download', { timeout: WAIT_MS });
    await page.getByTestId('share-open').click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'Luna-telepets.png');
    const png = pngInfo(await readFile(await file.path()));
    assert.deepEqual([png.width, png.height], [1080, 1920]);
    await page.locator('.toasts').getByText('Card downloaded').waitFor({ timeout: WAIT_MS });
  });
});

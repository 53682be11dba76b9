/**
 * The pet's painted picture in the Mini App, in headless Chromium against the real server
 * (dev sign-in, the embedded procedural renderer, SIM_TIME_SCALE 60 so the egg hatches five
 * real seconds after adoption): the egg's picture shows once it is ready, the baby's replaces
 * it when the egg hatches, the bytes are an SVG, the owner can ask for a new picture (and is
 * told how long to wait once the day's budget is used), and a friend sees the picture
 * read-only. Screenshot in test/artifacts/stage-image.png. Needs the built client
 * (`npm run build:client`; built here if missing) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContextOnServerClock, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Longer than the shared WAIT_MS (test/helpers/browser.ts), for every wait here, waitUntil's too. */
const WAIT_MS = 30_000;

const CAROL = { id: 710_000_101, firstName: 'Carol' };
const DAN = { id: 710_000_102, firstName: 'Dan' };

/** One state of the `pet-image` hook (see client/README.md). */
interface HookState {
  status: string;
  src: string;
  show: string;
  stage: string;
}

/**
 * Records every state of the `pet-image` hook in the page from the first paint: the egg lasts
 * five seconds, and a poll from the test could miss it on a slow machine.
 */
const RECORDER = `(() => {
  const log = [];
  window.__petImageLog = log;
  let last = '';
  const record = () => {
    const el = document.querySelector('[data-testid="pet-image"]');
    if (!el) return;
    const d = el.dataset;
    const entry = { status: d.status || '', src: d.src || '', show: d.show || '', stage: d.stage || '' };
    const key = JSON.stringify(entry);
    if (key !== last) { last = key; log.push(entry); }
  };
  new MutationObserver(record).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-status', 'data-src', 'data-show', 'data-stage'],
  });
})();`;

/** Evaluated in the page; this file is compiled without DOM typings, hence globalThis. */
const imageLog = (page: Page): Promise<HookState[]> =>
  page.evaluate(() => (globalThis as unknown as { __petImageLog?: HookState[] }).__petImageLog ?? []);

/** The hook's four attributes read at one instant (separate reads could mix two states). */
async function hookNow(page: Page): Promise<HookState> {
  const [status, src, show, stage] = await page
    .getByTestId('pet-image')
    .evaluate((hook) => ['data-status', 'data-src', 'data-show', 'data-stage'].map((name) => hook.getAttribute(name)));
  return { status: status ?? '', src: src ?? '', show: show ?? '', stage: stage ?? '' };
}

const isPicture = (state: HookState): boolean =>
  state.show === 'image' && state.status === 'ready' && state.src.startsWith('/api/v1/images/');

describe('browser: the pet’s picture for its stage', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let eggSrc = '';
  let babySrc = '';

  before(async function () {
    browser = await launchBrowser(this);
    // One new picture a day: the second request meets the limit.
    server = await startTestServer({ botToken: '', env: { SIM_TIME_SCALE: '60', IMAGE_DAILY_BUDGET: '1' } });
    // UTC: the test server's game clock is at noon UTC, so the pet stays awake.
    context = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
    await context.addInitScript(RECORDER);
    page = await context.newPage();
    await page.goto(`${server.url}/?user=${CAROL.id}&name=${CAROL.firstName}`);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('shows the egg’s picture once it is painted', async () => {
    await page.locator('body[data-scene="create"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.getByTestId('create-name').fill('Pixel');
    await page.getByTestId('species-cat').click();
    await page.getByTestId('create-submit').click();
    const log = await waitUntil(
      'the egg’s picture',
      () => imageLog(page),
      (states) => states.some((s) => isPicture(s) && s.stage === 'egg'),
      WAIT_MS,
    );
    eggSrc = log.find((s) => isPicture(s) && s.stage === 'egg')?.src ?? '';
    assert.match(eggSrc, /^\/api\/v1\/images\/[0-9a-f-]+$/);
  });

  it('serves the picture as an SVG', async () => {
    const response = await fetch(server.url + eggSrc);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const body = await response.text();
    assert.match(body, /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/);
    assert.ok(response.headers.get('etag'), 'an ETag for caching');
  });

  it('switches to the baby’s picture when the egg hatches (screenshot in test/artifacts/stage-image.png)', async () => {
    await waitUntil('the egg to hatch', () => page.getByTestId('pet-stage').textContent(), (text) => text === 'Baby', WAIT_MS);
    const now = await waitUntil('the baby’s picture', () => hookNow(page), (s) => isPicture(s) && s.stage === 'baby', WAIT_MS);
    babySrc = now.src;
    assert.notEqual(babySrc, eggSrc);
    // In order: the egg's picture, then the baby's (never back to the egg's).
    const log = await imageLog(page);
    const egg = log.findIndex((s) => s.src === eggSrc);
    const baby = log.findIndex((s) => s.src === babySrc);
    assert.ok(egg >= 0 && baby > egg, `egg picture at ${egg}, baby picture at ${baby}`);
    assert.ok(!log.slice(baby).some((s) => s.src === eggSrc), 'the egg’s picture does not come back');
    const svg = await fetch(server.url + babySrc);
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);

    // Let the cross-fade finish before the picture (not an assertion).
    await page.waitForTimeout(1200);
    await saveScreenshot(page, 'stage-image.png');
  });

  it('paints a new picture of the stage on request', async () => {
    await page.getByTestId('picture-menu-open').click();
    await page.getByTestId('picture-new').click();
    const next = await waitUntil('the new picture', () => hookNow(page), (s) => isPicture(s) && s.src !== babySrc, WAIT_MS);
    assert.equal(next.stage, 'baby');
    assert.equal(await page.getByTestId('pet-image-skeleton').isVisible(), false);
  });

  it('says how long to wait once the day’s new pictures are used up', async () => {
    const shown = (await hookNow(page)).src;
    await page.getByTestId('picture-menu-open').click();
    await page.getByTestId('picture-new').click();
    const toast = page.getByTestId('toast').filter({ hasText: 'New pictures are limited' });
    await toast.first().waitFor({ timeout: WAIT_MS });
    assert.match((await toast.first().textContent()) ?? '', /Try again in \d+[hms]/);
    // The picture on show stays.
    const after = await waitUntil('the picture back', () => hookNow(page), (s) => isPicture(s), WAIT_MS);
    assert.equal(after.src, shown);
  });

  it('shows a friend’s pet picture read-only', async () => {
    const created = await server.api(DAN, 'POST', '/api/v1/pets', { name: 'Biscuit', species: 'dog' });
    assert.equal(created.status, 201);
    const dan = await server.api(DAN, 'GET', '/api/v1/me');
    const added = await server.api(CAROL, 'POST', '/api/v1/friends', { inviteCode: dan.body.inviteCode });
    assert.equal(added.status, 201);

    await page.getByTestId('friends-open').click();
    await page.getByTestId('friend-item').first().click();
    await page.getByTestId('spectate-banner').waitFor({ timeout: WAIT_MS });
    await waitUntil('the friend’s pet', () => page.getByTestId('pet-name').textContent(), (name) => name === 'Biscuit', WAIT_MS);
    const friend = await waitUntil('the friend’s pet picture', () => hookNow(page), isPicture, WAIT_MS);
    assert.notEqual(friend.src, babySrc);
    assert.equal(await page.getByTestId('picture-menu-open').isVisible(), false);

    await page.getByTestId('spectate-back').click();
    await waitUntil('my own pet', () => page.getByTestId('pet-name').textContent(), (name) => name === 'Pixel', WAIT_MS);
    await waitUntil('my pet’s picture', () => hookNow(page), (s) => isPicture(s) && s.stage === 'baby', WAIT_MS);
    await page.getByTestId('picture-menu-open').waitFor({ timeout: WAIT_MS });
  });
});

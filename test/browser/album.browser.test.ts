/**
 * My pets and the pet album in headless Chromium against the real server, on a 390×844 phone:
 * the My pets grid (pictures, names, stages, the Adopt another tile), a pet's album turned by a
 * pointer drag, a real touch swipe and the arrow keys, its pages loading as the pictures run
 * out, the dark theme in Russian, and a friend opening the album from the spectator view.
 * Screenshots in test/artifacts/album-*.png, copied to docs/img/ for the docs.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Species } from '../../shared/balance.js';
import { QUALITY_PRESETS } from '../../server/images/prompts.js';
import { createProceduralProvider } from '../../server/images/providers/procedural.js';
import type { NewImage } from '../../server/repositories/images-repository.js';
import { ROOT, WAIT_MS, launchBrowser, newContextOnServerClock, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ANN = { id: 730_000_101, firstName: 'Ann' };
const BOB = { id: 730_000_102, firstName: 'Bob' };
/** More than two album pages (the Mini App asks for 12 at a time). */
const PICTURES = 30;
const SKINS = ['default', 'default', 'sakura', 'midnight', 'golden'];

describe('My pets and the pet album in the browser', function () {
  this.timeout(180_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let annId = '';
  let mochiId = '';
  let biscuitId = '';

  const phone = (colorScheme: 'light' | 'dark', locale = 'en-US') =>
    newContextOnServerClock(browser, server, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, locale, timezoneId: 'UTC', colorScheme });
  const position = async (p: Page) => Number((await p.getByTestId('album-position').getAttribute('data-n')) ?? 0);
  const loaded = async (p: Page) => Number((await p.getByTestId('album').getAttribute('data-loaded')) ?? 0);
  const atPosition = (p: Page, n: number) => waitUntil(`picture ${n} on show`, () => position(p), (v) => v === n);

  /** Pictures a pet had: every stage, several coats, painted by the game's renderer, ready over the past weeks. */
  async function paint(petId: string, species: Species, count: number): Promise<void> {
    const provider = createProceduralProvider();
    const size = QUALITY_PRESETS.fast;
    const rows: NewImage[] = [];
    const start = server.now() - count * 3_600_000 * 20;
    for (let i = 0; i < count; i++) {
      const stage = Math.min(4, Math.floor((i * 5) / count));
      const adultForm = stage === 4 ? 1 + (i % 3) : 0;
      const skin = SKINS[i % SKINS.length] as string;
      const made = await provider.generate(
        { prompt: 'a pet', negativePrompt: '', seed: i, width: size.width, height: size.height, steps: size.steps, guidance: size.guidance, species, stage, adultForm, skin },
        AbortSignal.timeout(5000),
      );
      const at = start + i * 3_600_000 * 20;
      rows.push({
        id: randomUUID(), pet_id: petId, owner_id: annId, stage, variant: adultForm, skin, seed: i, preset: 'fast',
        image_key: `album-browser:${petId}:${i}`, status: 'ready', reason: null, provider: i % 4 === 1 ? 'huggingface-primary' : 'procedural',
        model: 'test', mime: made.mime, size_bytes: made.bytes.length, etag: `"b${i}"`, image_b64: made.bytes.toString('base64'),
        prompt: 'a pet', negative_prompt: '', requested_by: i % 6 === 5 ? 'player' : 'system', created_at: at - 30_000, updated_at: at, completed_at: at,
      });
    }
    await server.app.db.kysely.insertInto('pet_images').values(rows).execute();
  }

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    mochiId = (await server.api(ANN, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'fox' })).body.id;
    biscuitId = (await server.api(ANN, 'POST', '/api/v1/pets', { name: 'Biscuit', species: 'bunny' })).body.id;
    const me = (await server.api(ANN, 'GET', '/api/v1/me')).body;
    annId = me.id;
    assert.equal((await server.api(BOB, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).status, 201);
    assert.equal((await server.api(BOB, 'POST', '/api/v1/friends', { inviteCode: me.inviteCode })).status, 201);
    await paint(mochiId, 'fox', PICTURES);
    await paint(biscuitId, 'bunny', 3);
    context = await phone('light');
    page = await context.newPage();
    await page.goto(`${server.url}/?user=${ANN.id}&name=${ANN.firstName}`);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('opens My pets from home: every pet with its picture, stage and age, and Adopt another under the cap (screenshot)', async () => {
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('my-pets-open').waitFor({ timeout: WAIT_MS });
    await saveScreenshot(page, 'album-home.png');
    await page.getByTestId('my-pets-open').click();
    await page.locator('[data-testid="album"][data-view="grid"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    const tiles = page.getByTestId('album-tile');
    assert.equal(await tiles.count(), 2);
    assert.match((await tiles.nth(0).textContent()) ?? '', /Mochi/);
    assert.match((await tiles.nth(1).textContent()) ?? '', /Biscuit/);
    assert.equal(await page.getByTestId('album-adopt').isVisible(), true, '2 of 3 pets: room for another');
    assert.match((await page.getByTestId('album-slots').textContent()) ?? '', /2 of 3 pets/);
    await waitUntil('the tiles’ pictures', () => page.locator('.album-tile-img.ready').count(), (n) => n === 2);
    const file = await saveScreenshot(page, 'album-my-pets.png');
    copyFileSync(file, path.join(ROOT, 'docs/img/album-my-pets.png'));
  });

  it("opens a pet's album at its newest picture, with its caption and position (screenshot)", async () => {
    await page.locator(`[data-testid="album-tile"][data-pet-id="${mochiId}"]`).click();
    await page.locator('[data-testid="album"][data-view="gallery"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await atPosition(page, 1);
    // The home painted Mochi's egg picture when it opened: the album has it too.
    const total = Number(await page.getByTestId('album-position').getAttribute('data-total'));
    assert.ok(total >= PICTURES, `total ${total}`);
    assert.match((await page.getByTestId('album-pet-line').textContent()) ?? '', /Fox · Egg · Age/);
    assert.match((await page.getByTestId('album-born').textContent()) ?? '', /^Born \S.* 20\d\d$/);
    assert.match((await page.getByTestId('album-caption-date').textContent()) ?? '', /20\d\d/);
    await page.locator('.album-slide.current .album-img.ready').waitFor({ timeout: WAIT_MS });
    const file = await saveScreenshot(page, 'album.png');
    copyFileSync(file, path.join(ROOT, 'docs/img/album.png'));
  });

  it('turns the picture with a pointer drag, a touch swipe and the arrow keys; a short drag stays', async () => {
    const box = await page.getByTestId('album-viewer').boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    // A pointer (mouse) drag to the left: the next picture.
    await page.mouse.move(box.x + box.width * 0.8, y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + box.width * (0.8 - 0.07 * k), y);
    await page.mouse.up();
    await atPosition(page, 2);
    // A short drag springs back.
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5 - 12, y, { steps: 2 });
    await page.mouse.up();
    // A turn would leave the track slid over until the next picture is rendered (and then show 3).
    const settled = await waitUntil(
      'the track back in place',
      async () => ({
        transform: await page.locator('.album-track').evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform),
        n: await page.getByTestId('album-position').getAttribute('data-n'),
      }),
      (v) => v.transform === '',
    );
    assert.equal(settled.n, '2');
    // A real touch swipe (Chromium's touch input, as a phone sends it).
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', box.x + box.width * 0.7);
    for (let k = 1; k <= 8; k++) await touch('touchMove', box.x + box.width * (0.7 - 0.06 * k));
    await touch('touchEnd', 0);
    await atPosition(page, 3);
    // And back with a rightward swipe.
    await touch('touchStart', box.x + box.width * 0.3);
    for (let k = 1; k <= 8; k++) await touch('touchMove', box.x + box.width * (0.3 + 0.06 * k));
    await touch('touchEnd', 0);
    await atPosition(page, 2);
    await cdp.detach();
    // The arrow keys.
    await page.keyboard.press('ArrowRight');
    await atPosition(page, 3);
    await page.keyboard.press('ArrowLeft');
    await atPosition(page, 2);
    // The buttons.
    await page.getByTestId('album-next').click();
    await atPosition(page, 3);
  });

  it('loads the next pages as the pictures run out, to the last one', async () => {
    assert.equal(await loaded(page), 12, 'one page so far');
    const total = Number(await page.getByTestId('album-position').getAttribute('data-total'));
    for (let n = 4; n <= total; n++) {
      await page.keyboard.press('ArrowRight');
      await atPosition(page, n);
    }
    assert.equal(await loaded(page), total, 'every page loaded');
    assert.equal(await page.getByTestId('album-next').isDisabled(), true, 'nothing after the last');
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), total);
    // The oldest picture is the first egg.
    assert.match((await page.getByTestId('album-caption-title').textContent()) ?? '', /Egg/);
  });

  it('goes back to My pets, and shows another pet at home from its album', async () => {
    await page.getByTestId('album-close').click();
    await page.locator('[data-testid="album"][data-view="grid"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.locator(`[data-testid="album-tile"][data-pet-id="${biscuitId}"]`).click();
    await page.locator('[data-testid="album"][data-view="gallery"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('album-show-home').click();
    await waitUntil('the sheet to close', () => page.getByTestId('album').isVisible(), (v) => !v);
    await waitUntil('Biscuit at home', () => page.getByTestId('pet-name').textContent(), (name) => name === 'Biscuit');
  });

  it('looks right in the dark theme in Russian (screenshot)', async () => {
    const dark = await phone('dark', 'ru-RU');
    try {
      const ru = await dark.newPage();
      await ru.goto(`${server.url}/?user=${ANN.id}&name=${ANN.firstName}&lang=ru`);
      await ru.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
      assert.equal(await ru.locator('html').getAttribute('data-theme'), 'dark');
      await ru.getByTestId('my-pets-open').click();
      await ru.locator('[data-testid="album"][data-view="grid"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      assert.match((await ru.getByTestId('album-slots').textContent()) ?? '', /Питомцев: 2 из 3/);
      await waitUntil('the tiles’ pictures', () => ru.locator('.album-tile-img.ready').count(), (n) => n === 2);
      await saveScreenshot(ru, 'album-my-pets-ru-dark.png');
      await ru.locator(`[data-testid="album-tile"][data-pet-id="${mochiId}"]`).click();
      await ru.locator('[data-testid="album"][data-view="gallery"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      await ru.keyboard.press('ArrowRight');
      await atPosition(ru, 2);
      await ru.locator('.album-slide.current .album-img.ready').waitFor({ timeout: WAIT_MS });
      assert.match((await ru.getByTestId('album-pet-line').textContent()) ?? '', /Лиса/);
      // Russian month names in the date.
      assert.match((await ru.getByTestId('album-caption-date').textContent()) ?? '', /[а-я]/);
      const file = await saveScreenshot(ru, 'album-ru-dark.png');
      copyFileSync(file, path.join(ROOT, 'docs/img/album-ru-dark.png'));
    } finally {
      await dark.close();
    }
  });

  it("lets a friend open the pet's album from the spectator view (screenshot)", async () => {
    const friend = await phone('light');
    try {
      const bob = await friend.newPage();
      await bob.goto(`${server.url}/?user=${BOB.id}&name=${BOB.firstName}`);
      await bob.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
      await bob.getByTestId('friends-open').click();
      await bob.getByTestId('friend-item').first().click();
      await bob.getByTestId('spectate-banner').waitFor({ timeout: WAIT_MS });
      await waitUntil("Ann's pet", () => bob.getByTestId('pet-name').textContent(), (name) => name === 'Mochi' || name === 'Biscuit');
      const shown = await bob.getByTestId('pet-name').textContent();
      await saveScreenshot(bob, 'album-friend-home.png');
      await bob.getByTestId('album-open').click();
      await bob.locator('[data-testid="album"][data-view="gallery"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      await atPosition(bob, 1);
      assert.match((await bob.locator('#album-title').textContent()) ?? '', new RegExp(shown ?? 'none'));
      assert.equal(await bob.getByTestId('album-show-home').isVisible(), false, 'not his pet to show');
      assert.equal(await bob.getByTestId('album-at-home').isVisible(), false);
      await bob.keyboard.press('ArrowRight');
      await atPosition(bob, 2);
      await bob.locator('.album-slide.current .album-img.ready').waitFor({ timeout: WAIT_MS });
      const file = await saveScreenshot(bob, 'album-friend.png');
      copyFileSync(file, path.join(ROOT, 'docs/img/album-friend.png'));
      await bob.getByTestId('album-close').click();
      await waitUntil('the album to close', () => bob.getByTestId('album').isVisible(), (v) => !v);
      assert.equal(await bob.getByTestId('spectate-banner').isVisible(), true, 'still watching');
    } finally {
      await friend.close();
    }
  });
});

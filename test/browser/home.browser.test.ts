/**
 * The Mini App in headless Chromium against the real server (dev sign-in mode): adopting a
 * pet, the home's meters, the bag's starter pack, feeding (which uses up a kibble), watching
 * a friend's home read-only, and playing a round of Catch the treats through the test handle
 * `window.telepetsDebug`. Needs the built client in dist/client (`npm run build:client`;
 * built here if missing) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ITEM_IDS, NEW_PET_METERS, STARTER_PACK, type Meter } from '../../shared/balance.js';
import { MINIGAMES } from '../../shared/minigames.js';
import { translate } from '../../shared/i18n.js';
import { achievement } from '../../shared/progression.js';
import { WAIT_MS, bagCount, launchBrowser, newContextOnServerClock, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ALICE = { id: 710_000_001, firstName: 'Alice' };
const BOB = { id: 710_000_002, firstName: 'Bob' };

async function meter(page: Page, name: Meter): Promise<number> {
  const text = await page.getByTestId(`meter-${name}`).textContent();
  return Number(text);
}

const petName = (page: Page): Promise<string | null> => page.getByTestId('pet-name').textContent();

interface DebugGame {
  id: string;
  status: string;
  score: number;
  targets: Array<{ id: string; kind: string; x: number; y: number }>;
}

/** The app's read-only test handle (`window.telepetsDebug`, see client/README.md). */
interface TelepetsDebug {
  game(): DebugGame | null;
  fieldToClient(x: number, y: number): { x: number; y: number };
}

/** Evaluated in the page; this file is compiled without DOM typings, hence globalThis. */
const debugGame = (page: Page): Promise<DebugGame | null> =>
  page.evaluate(() => (globalThis as unknown as { telepetsDebug?: TelepetsDebug }).telepetsDebug?.game() ?? null);

/** Waits until the home room is joined and its state has reached the page. */
async function waitForHome(page: Page): Promise<void> {
  await page.locator('body[data-scene="home"]').waitFor({ state: 'attached', timeout: WAIT_MS });
  await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('pet-name').waitFor({ timeout: WAIT_MS });
}

describe('Mini App in the browser', function () {
  this.timeout(90_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every WebSocket the page opened: none may carry initData (proxies log URLs). */
  const socketUrls: string[] = [];

  before(async function () {
    browser = await launchBrowser(this);
    // No bot token: the server runs in dev sign-in mode, as the app does outside Telegram.
    server = await startTestServer({ botToken: '' });
    // UTC: the app sends the device's UTC offset at boot, and the test server's game clock is
    // at noon UTC, so the pet stays awake (out of quiet hours) for the whole run.
    context = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('websocket', (ws) => socketUrls.push(ws.url()));
    await page.goto(`${server.url}/?user=${ALICE.id}&name=${ALICE.firstName}`);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  describe('a new player', () => {
    it('signs in and is asked to adopt a pet', async () => {
      await page.locator('body[data-scene="create"]').waitFor({ state: 'attached', timeout: WAIT_MS });
      assert.equal(await page.getByTestId('create-submit').isDisabled(), true);
      assert.equal(await page.getByTestId('create-name').isVisible(), true);
    });

    it('says why a name would be refused before sending it, and keeps Adopt disabled', async () => {
      const input = page.getByTestId('create-name');
      const hint = page.getByTestId('create-name-error');
      await input.fill('Bob\u202Egnp.exe');
      assert.equal(await hint.textContent(), translate('en', 'error.NAME_INVALID'));
      assert.equal(await page.getByTestId('create-submit').isDisabled(), true);
      await input.fill('\u200B\u200B');
      assert.equal(await hint.isVisible(), true);
      assert.equal(await page.getByTestId('create-submit').isDisabled(), true);
      await input.fill('Zoe\u0308');
      assert.equal(await hint.isVisible(), false);
      assert.equal(await page.getByTestId('create-submit').isDisabled(), false);
    });

    it('adopts a pet and lands in its home', async () => {
      await page.getByTestId('create-name').fill('Mochi');
      await page.getByTestId('species-fox').click();
      await page.getByTestId('create-submit').click();
      await waitForHome(page);
      assert.equal(await page.getByTestId('pet-name').textContent(), 'Mochi');
      assert.equal(await page.getByTestId('pet-stage').textContent(), 'Egg');
    });

    it('joins its home with a room ticket: no token in the WebSocket URL', () => {
      assert.ok(socketUrls.length >= 1);
      for (const url of socketUrls) assert.ok(!/_authToken|auth_date|hash=|user=/.test(url), url);
    });

    it('shows the four meters with a new pet’s values', async () => {
      for (const name of ['hunger', 'mood', 'cleanliness', 'health'] as const) {
        const value = await meter(page, name);
        // An egg's meters barely decay; allow one point of drift since adoption.
        assert.ok(Math.abs(value - NEW_PET_METERS[name]) <= 1, `${name} is ${value}, expected ~${NEW_PET_METERS[name]}`);
      }
    });

    it('shows the starter pack in the bag', async () => {
      await page.getByTestId('bag-open').click();
      await page.getByTestId('bag-item-kibble').waitFor({ timeout: WAIT_MS });
      for (const itemId of ITEM_IDS) {
        const expected = STARTER_PACK[itemId] ?? 0;
        await waitUntil(`the bag's ${itemId}`, () => bagCount(page, itemId), (count) => count === expected);
      }
      // A new player's coins are the first pet's achievement: the HUD shows what the server holds.
      const serverCoins = (await server.api(ALICE, 'GET', '/api/v1/me')).body.balances.coins as number;
      assert.equal(serverCoins, achievement('first_pet')!.rewardCoins);
      await waitUntil('the coins', () => page.getByTestId('coins').getAttribute('data-value'), (value) => value === String(serverCoins));
      await page.getByTestId('bag-close').click();
      await page.getByTestId('bag').waitFor({ state: 'hidden', timeout: WAIT_MS });
    });

    it('raises hunger when the pet is fed kibble from the food picker', async () => {
      const before = await meter(page, 'hunger');
      await page.getByTestId('care-feed').click();
      await page.getByTestId('food-kibble').click();
      const after = await waitUntil('hunger to rise', () => meter(page, 'hunger'), (value) => value > before);
      assert.ok(after >= before + 20, `hunger went from ${before} to ${after}`);
    });

    it('uses up one kibble for the meal', async () => {
      const kibbles = STARTER_PACK.kibble ?? 0;
      await page.getByTestId('bag-open').click();
      const left = await waitUntil('a kibble to be used', () => bagCount(page, 'kibble'), (count) => count === kibbles - 1);
      assert.equal(left, kibbles - 1);
      assert.equal(await bagCount(page, 'fish'), STARTER_PACK.fish);
      await page.getByTestId('bag-close').click();
      await page.getByTestId('bag').waitFor({ state: 'hidden', timeout: WAIT_MS });
    });

    it('puts the feed button on cooldown after feeding', async () => {
      await page.locator('[data-testid="care-feed"]:disabled').waitFor({ timeout: WAIT_MS });
      assert.match((await page.getByTestId('care-feed').textContent()) ?? '', /\d+s/);
    });

    it('renders the home scene (screenshot in test/artifacts/home.png)', async () => {
      // Let the bars finish gliding and the care animation settle before the picture.
      await page.waitForTimeout(1500);
      await saveScreenshot(page, 'home.png');
      assert.equal(await page.locator('[data-testid="stage"] canvas').count(), 1);
    });
  });

  describe('a friend’s home', () => {
    let bobCode = '';

    before(async () => {
      const created = await server.api(BOB, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' });
      assert.equal(created.status, 201);
      const me = await server.api(BOB, 'GET', '/api/v1/me');
      bobCode = me.body.inviteCode;
    });

    it('adds a friend by invite code', async () => {
      await page.getByTestId('friends-open').click();
      await page.getByTestId('my-invite-code').waitFor({ timeout: WAIT_MS });
      await page.getByTestId('friend-code-input').fill(bobCode);
      await page.getByTestId('friend-add').click();
      const item = page.getByTestId('friend-item');
      await item.waitFor({ timeout: WAIT_MS });
      assert.match((await item.textContent()) ?? '', /Bob/);
    });

    it('shows the friend’s pet read-only, without care buttons', async () => {
      await page.getByTestId('friend-item').first().click();
      await page.getByTestId('spectate-banner').waitFor({ timeout: WAIT_MS });
      await waitUntil("the friend's pet", () => petName(page), (name) => name === 'Rex');
      assert.match((await page.getByTestId('spectate-banner').textContent()) ?? '', /Bob/);
      assert.equal(await page.locator('button[data-testid^="care-"]').count(), 0);
    });

    it('goes back to my own home with its care buttons', async () => {
      await page.getByTestId('spectate-back').click();
      await waitUntil('my own pet', () => petName(page), (name) => name === 'Mochi');
      await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
      assert.equal(await page.getByTestId('spectate-banner').isVisible(), false);
      assert.equal(await page.locator('button[data-testid^="care-"]').count(), 4);
    });
  });
  describe('a round of Catch the treats', () => {
    let hungerBefore = 0;
    let bestScore = 0;

    it('starts from the Games menu', async () => {
      await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
      hungerBefore = await meter(page, 'hunger');
      await page.getByTestId('games-open').click();
      await page.getByTestId('game-start-treats').click();
      await waitUntil('the round to start', () => debugGame(page), (game) => game?.status === 'running');
      await page.locator('body[data-game="playing"]').waitFor({ state: 'attached', timeout: WAIT_MS });
      await page.getByTestId('game-timer').waitFor({ timeout: WAIT_MS });
    });

    it('scores by clicking the falling treats until the round ends', async function () {
      this.timeout(MINIGAMES.treats.durationS * 1000 + 60_000);
      const game = await debugGame(page);
      assert.ok(game, 'a game is running');
      const clicked = new Set<string>();
      const deadline = Date.now() + MINIGAMES.treats.durationS * 1000 + 30_000;
      for (;;) {
        const now = await debugGame(page);
        if (!now || now.id !== game.id || now.status !== 'running') break;
        if (Date.now() > deadline) throw new Error('the round did not end');
        bestScore = Math.max(bestScore, Number(await page.getByTestId('game-score').textContent()));
        // A treat well inside the field: aim at where it is now (the server allows for latency).
        const target = now.targets.find((t) => t.kind === 'treat' && !clicked.has(t.id) && t.y > 0.15 && t.y < 1.45);
        if (!target) {
          await page.waitForTimeout(50);
          continue;
        }
        clicked.add(target.id);
        const point = await page.evaluate(
          ([x, y]) => (globalThis as unknown as { telepetsDebug: TelepetsDebug }).telepetsDebug.fieldToClient(x, y),
          [target.x, target.y] as const,
        );
        await page.mouse.click(point.x, point.y);
        // Stay well under the server's taps-per-second limit.
        await page.waitForTimeout(90);
      }
      bestScore = Math.max(bestScore, Number(await page.getByTestId('game-score').textContent()));
      assert.ok(clicked.size > 0, 'there were treats to click');
      assert.ok(bestScore > 0, `the score rose (clicked ${clicked.size} treats)`);
    });

    it('shows the results with the score and the rewards (screenshot in test/artifacts/minigame.png)', async () => {
      const results = page.getByTestId('game-results');
      await results.waitFor({ timeout: WAIT_MS });
      const score = Number(await page.getByTestId('result-score').textContent());
      assert.ok(score > 0 && score >= bestScore - 1, `results score ${score}, seen ${bestScore}`);
      assert.match((await results.textContent()) ?? '', /Coins \+\d+/);
      await page.getByTestId('result-meter').waitFor({ timeout: WAIT_MS });
      assert.match((await page.getByTestId('result-meter').textContent()) ?? '', /Hunger/);
      await saveScreenshot(page, 'minigame.png');
    });

    it('goes back home with more hunger and coins', async () => {
      await page.getByTestId('game-done').click();
      await page.getByTestId('game-results').waitFor({ state: 'hidden', timeout: WAIT_MS });
      await page.getByTestId('care-feed').waitFor({ timeout: WAIT_MS });
      assert.ok(hungerBefore < 100, `hunger was ${hungerBefore} before the round`);
      const after = await waitUntil('hunger to rise after the reward', () => meter(page, 'hunger'), (value) => value > hungerBefore);
      assert.ok(after > hungerBefore, `hunger went from ${hungerBefore} to ${after}`);
      await waitUntil('coins', async () => Number(await page.getByTestId('coins').textContent()), (coins) => coins > 0);
    });
  });
});

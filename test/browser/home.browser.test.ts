/**
 * The Mini App in headless Chromium against the real server (dev sign-in mode): adopting a
 * pet, the home's meters, feeding, and watching a friend's home read-only. Needs the built
 * client in dist/client (`npm run build:client`; built here if missing) and /usr/bin/chromium
 * (or CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NEW_PET_METERS, type Meter } from '../../shared/balance.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Generous: SwiftShader WebGL in a busy CI container is slow to boot. */
const WAIT_MS = 20_000;

const ALICE = { id: 710_000_001, firstName: 'Alice' };
const BOB = { id: 710_000_002, firstName: 'Bob' };

function ensureClientBuilt(): void {
  if (existsSync(path.join(ROOT, 'dist/client/index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

async function meter(page: Page, name: Meter): Promise<number> {
  const text = await page.getByTestId(`meter-${name}`).textContent();
  return Number(text);
}

/** Polls `read` until `ok` holds (no fixed sleeps in assertions); fails after WAIT_MS. */
async function waitUntil<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value: ${String(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const petName = (page: Page): Promise<string | null> => page.getByTestId('pet-name').textContent();

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

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // Like the service-backed suites: skip locally with a message, fail under CI.
      if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}`);
      console.log(`  (skipping browser tests: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
      this.skip();
    }
    ensureClientBuilt();
    // No bot token: the server runs in dev sign-in mode, as the app does outside Telegram.
    server = await startTestServer({ botToken: '' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-US' });
    page = await context.newPage();
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

    it('adopts a pet and lands in its home', async () => {
      await page.getByTestId('create-name').fill('Mochi');
      await page.getByTestId('species-fox').click();
      await page.getByTestId('create-submit').click();
      await waitForHome(page);
      assert.equal(await page.getByTestId('pet-name').textContent(), 'Mochi');
      assert.equal(await page.getByTestId('pet-stage').textContent(), 'Egg');
    });

    it('shows the four meters with a new pet’s values', async () => {
      for (const name of ['hunger', 'mood', 'cleanliness', 'health'] as const) {
        const value = await meter(page, name);
        // An egg's meters barely decay; allow one point of drift since adoption.
        assert.ok(Math.abs(value - NEW_PET_METERS[name]) <= 1, `${name} is ${value}, expected ~${NEW_PET_METERS[name]}`);
      }
    });

    it('raises hunger when the pet is fed', async () => {
      const before = await meter(page, 'hunger');
      await page.getByTestId('care-feed').click();
      const after = await waitUntil('hunger to rise', () => meter(page, 'hunger'), (value) => value > before);
      assert.ok(after >= before + 20, `hunger went from ${before} to ${after}`);
    });

    it('puts the feed button on cooldown after feeding', async () => {
      await page.locator('[data-testid="care-feed"]:disabled').waitFor({ timeout: WAIT_MS });
      assert.match((await page.getByTestId('care-feed').textContent()) ?? '', /\d+s/);
    });

    it('renders the home scene (screenshot in test/artifacts/home.png)', async () => {
      // Let the bars finish gliding and the care animation settle before the picture.
      await page.waitForTimeout(1500);
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, 'home.png');
      await page.screenshot({ path: file });
      assert.ok(statSync(file).size > 10_000);
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
});

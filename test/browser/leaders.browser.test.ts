/**
 * The Leaders sheet in headless Chromium against the real server: opened from the home
 * screen, it shows the weekly streak board's top 100 with medals, my rank pinned below even
 * though I am far outside the top 100, my friends and me on the friends switch, and an
 * all-time-only board without the weekly switch. Screenshot in test/artifacts/leaders.png,
 * copied to docs/img/leaders.png for the docs.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ALL_TIME_KEY, leaderboardWeek } from '../../shared/leaderboards.js';
import { ROOT, WAIT_MS, launchBrowser, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { petRow, playerRow } from '../helpers/rows.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SAM = { id: 710_000_577, firstName: 'Sam' };
const NAMES = ['Mila', 'Arjun', 'Sofia', 'Kenji', 'Olga', 'Lucas', 'Amara', 'Ivan', 'Noor', 'Mateo', 'Yuki', 'Elena', 'Omar', 'Hanna', 'Tariq'];
const PETS = ['Biscuit', 'Mochi', 'Pixel', 'Nori', 'Pumpkin', 'Luna', 'Tofu', 'Ziggy', 'Pip', 'Churro', 'Waffles', 'Bean', 'Sprout', 'Juniper', 'Kiwi'];
const OTHERS = 130;

describe('Leaders sheet in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let samId: string;

  const ready = () => page.locator('[data-testid="leaders"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
  const rows = () => page.getByTestId('leaders-row').count();
  const myRank = () => page.getByTestId('leaders-me').getAttribute('data-rank');

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    assert.equal((await server.api(SAM, 'POST', '/api/v1/pets', { name: 'Pip', species: 'dog' })).status, 201);
    samId = ((await server.api(SAM, 'GET', '/api/v1/me')).body as { id: string }).id;

    const db = server.app.db.kysely;
    const ids = Array.from({ length: OTHERS }, (_, i) => `lb-${i}`);
    await db
      .insertInto('players')
      .values(ids.map((id, i) => ({ ...playerRow(id, 720_000_000 + i), first_name: NAMES[i % NAMES.length] as string, username: i % 4 === 1 ? `${(NAMES[i % NAMES.length] as string).toLowerCase()}${i}` : null })))
      .execute();
    await db.insertInto('pets').values(ids.map((id, i) => ({ ...petRow(`pet-${id}`, id), name: PETS[(i * 7) % PETS.length] as string }))).execute();
    await db
      .insertInto('friendships')
      .values(['lb-3', 'lb-40', 'lb-120'].flatMap((f) => [{ player_id: samId, friend_id: f, created_at: 0 }, { player_id: f, friend_id: samId, created_at: 0 }]))
      .execute();
    const lb = server.app.leaderboards;
    const week = leaderboardWeek(server.app.sim.clock);
    const at = server.now();
    // Streaks 90, 88, … with a few ties; Sam has 3 days, far below the top 100.
    for (const [i, id] of ids.entries()) {
      const streak = Math.max(4, 90 - Math.floor(i * 0.7));
      await lb.submit(id, [{ board: 'streak', periodKey: week, score: streak, mode: 'max' }, { board: 'streak', periodKey: ALL_TIME_KEY, score: streak + 10, mode: 'max' }], at + i);
    }
    await lb.submit(samId, [{ board: 'streak', periodKey: week, score: 3, mode: 'max' }, { board: 'streak', periodKey: ALL_TIME_KEY, score: 3, mode: 'max' }], at);
    ({ context, page } = await openMiniApp(browser, server, SAM));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('opens from home on the weekly streak board: the top 100, medals, and my rank pinned outside it (screenshot)', async () => {
    await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('leaders-open').click();
    await ready();
    assert.equal(await rows(), 100);
    assert.equal(await page.getByTestId('leaders-row').first().getAttribute('data-rank'), '1');
    assert.match((await page.getByTestId('leaders-row').first().textContent()) ?? '', /Mila.*90 days/);
    assert.equal(await myRank(), String(OTHERS + 1));
    assert.match((await page.getByTestId('leaders-me').textContent()) ?? '', /Your rank.*3 days/);
    assert.equal(await page.getByTestId('leaders-weekly').getAttribute('aria-pressed'), 'true');
    assert.match((await page.getByTestId('leaders-meta').textContent()) ?? '', /New week in/);
    const file = await saveScreenshot(page, 'leaders.png');
    copyFileSync(file, path.join(ROOT, 'docs/img/leaders.png'));
  });

  it('puts the trophy on the home screen (screenshot in test/artifacts/leaders-home.png)', async () => {
    await page.getByTestId('leaders-close').click();
    await waitUntil('the sheet to close', () => page.getByTestId('leaders').isVisible(), (v) => !v);
    assert.equal(await page.getByTestId('leaders-open').isVisible(), true);
    await saveScreenshot(page, 'leaders-home.png');
    await page.getByTestId('leaders-open').click();
    await ready();
  });

  it('ranks my friends and me on the friends switch', async () => {
    await page.getByTestId('leaders-friends').click();
    await waitUntil('the friends board', rows, (n) => n === 4);
    assert.equal(await myRank(), '4');
    assert.equal(await page.locator('[data-testid="leaders-row"].me').count(), 1);
  });

  it('an all-time-only board turns the weekly switch off and shows all time', async () => {
    await page.getByTestId('leaders-global').click();
    await page.getByTestId('leaders-tab-pet_age').click();
    await waitUntil('the pet age board', () => page.getByTestId('leaders').getAttribute('data-board'), (b) => b === 'pet_age');
    assert.equal(await page.getByTestId('leaders-weekly').isDisabled(), true);
    assert.equal(await page.getByTestId('leaders-all').getAttribute('aria-pressed'), 'true');
    // Sam's adoption reaches the board through the event log.
    await waitUntil('my pet on the pet age board', myRank, (r) => r !== null && r !== '');
  });

  it('closes with its button', async () => {
    await page.getByTestId('leaders-close').click();
    await waitUntil('the sheet to close', () => page.getByTestId('leaders').isVisible(), (v) => !v);
  });
});

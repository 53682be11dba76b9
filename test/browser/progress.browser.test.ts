/**
 * Streaks, quests and achievements in the Mini App, in headless Chromium against the real
 * server (dev sign-in): a new player feeds their pet and is told about the first streak day
 * and the "first care" achievement; the progress sheet (from the streak flame in the top bar)
 * shows the streak counted today, the unlocked achievements and the quests with the server's
 * progress; a quest completed through the server's progress service lights up with a toast
 * and a badge, and claiming it in the sheet pays its coins (the top bar, the sheet and the
 * server agree). Screenshots in test/artifacts/progress.png and progress-ru-dark.png. Needs
 * the built client (`npm run build:client`; built here if missing) and /usr/bin/chromium (or
 * CHROMIUM_PATH).
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ProgressDto, QuestDto } from '../../shared/dto.js';
import { achievement, dailyStreakReward, type ProgressEvent } from '../../shared/progression.js';
import { WAIT_MS, attr, launchBrowser, newContextOnServerClock, openMiniApp, saveScreenshot, waitUntil } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PAT = { id: 710_000_301, firstName: 'Pat' };

/** Waits until the home room is joined and its state has reached the page. */
async function waitForHome(page: Page): Promise<void> {
  await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: WAIT_MS });
  await page.getByTestId('pet-name').waitFor({ timeout: WAIT_MS });
}

let eventSeq = 0;

/** Events that finish what a daily quest asks (what the player would do in the app). */
function eventsFor(quest: QuestDto): ProgressEvent[] {
  const left = quest.target - quest.progress;
  const key = () => `progress-browser-test:${++eventSeq}`;
  const repeat = (make: () => ProgressEvent): ProgressEvent[] => Array.from({ length: left }, make);
  switch (quest.templateId) {
    case 'feed_3':
    case 'care_5':
      return repeat(() => ({ kind: 'care', key: key(), action: 'feed' }));
    case 'play_2':
      return repeat(() => ({ kind: 'care', key: key(), action: 'play' }));
    case 'clean_1':
      return repeat(() => ({ kind: 'care', key: key(), action: 'clean' }));
    case 'game_1':
      return repeat(() => ({ kind: 'game', key: key(), game: 'bubbles', score: 12, coins: 4 }));
    case 'treats_50':
      return repeat(() => ({ kind: 'game', key: key(), game: 'treats', score: 55, coins: 9 }));
    case 'good_care_6h':
      return repeat(() => ({ kind: 'good_care', key: key() }));
    default:
      throw new Error(`no events for the daily quest ${quest.templateId}`);
  }
}

describe('Progress in the browser', function () {
  this.timeout(120_000);

  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let playerId = '';
  /** The daily quest completed through the progress service. */
  let quest: QuestDto;

  const progress = async (): Promise<ProgressDto> => {
    const res = await server.api(PAT, 'GET', '/api/v1/progress');
    assert.equal(res.status, 200);
    return res.body as ProgressDto;
  };
  const serverCoins = async (): Promise<number> => (await server.api(PAT, 'GET', '/api/v1/me')).body.balances.coins as number;
  const hudCoins = async (): Promise<number> => Number(await attr(page, 'coins', 'data-value'));

  before(async function () {
    browser = await launchBrowser(this);
    server = await startTestServer({ botToken: '' });
    const created = await server.api(PAT, 'POST', '/api/v1/pets', { name: 'Biscuit', species: 'cat' });
    assert.equal(created.status, 201);
    playerId = (await server.api(PAT, 'GET', '/api/v1/me')).body.id as string;

    ({ context, page } = await openMiniApp(browser, server, PAT));
    await waitForHome(page);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('starts with no streak on the flame in the top bar', async () => {
    const button = page.getByTestId('progress-open');
    await button.waitFor({ timeout: WAIT_MS });
    assert.equal(await button.getAttribute('data-streak'), '0');
    assert.equal(await button.getAttribute('data-counted'), 'false');
    assert.equal(await button.getAttribute('data-claimable'), '0');
  });

  it('feeding the pet starts a streak and unlocks "First steps", each with a toast', async () => {
    await page.getByTestId('care-feed').click();
    await page.getByTestId('food-kibble').click();
    const toasts = page.getByTestId('toast');
    await toasts.filter({ hasText: `Day 1 streak! +${dailyStreakReward(1)} coins` }).waitFor({ timeout: WAIT_MS });
    await toasts.filter({ hasText: `Achievement unlocked: First steps +${achievement('first_care')!.rewardCoins} coins` }).waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="progress-open"][data-streak="1"][data-counted="true"]').waitFor({ timeout: WAIT_MS });
  });

  it('opens the progress sheet: streak 1 counted today, first achievements unlocked, quests with their progress', async () => {
    await page.getByTestId('progress-open').click();
    await page.locator('[data-testid="progress"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
    const truth = await progress();
    assert.equal(truth.streak.daily.current, 1);

    const daily = page.getByTestId('streak-daily');
    assert.equal(await daily.getAttribute('data-current'), '1');
    assert.equal(await daily.getAttribute('data-counted'), 'true');
    assert.match((await daily.textContent()) ?? '', /Today counts/);
    assert.match((await daily.textContent()) ?? '', new RegExp(`\\+${truth.streak.daily.nextRewardCoins} tomorrow`));
    assert.equal(await attr(page, 'streak-weekly', 'data-days'), String(truth.streak.weekly.daysThisWeek));
    assert.equal(truth.streak.weekly.daysThisWeek, 1);

    for (const id of ['first_pet', 'first_care']) {
      assert.equal(await attr(page, `achievement-${id}`, 'data-unlocked'), 'true', id);
    }
    for (const id of ['first_game', 'streak_7', 'care_100']) {
      assert.equal(await attr(page, `achievement-${id}`, 'data-unlocked'), 'false', id);
    }
    assert.match((await page.getByTestId('achievement-streak_7').textContent()) ?? '', /1\/7/);

    assert.equal(truth.quests.length, 5);
    for (const q of truth.quests) {
      const card = page.getByTestId(`quest-${q.templateId}`);
      assert.equal(await card.getAttribute('data-progress'), String(q.progress), q.templateId);
      assert.equal(await card.getAttribute('data-target'), String(q.target), q.templateId);
      assert.equal(await card.getAttribute('data-completed'), String(q.completed), q.templateId);
      assert.equal(await card.getAttribute('data-claimed'), 'false', q.templateId);
      assert.match((await card.textContent()) ?? '', /Ends in \d/);
    }
    // The day's quests count down to the server's end of the day.
    const dailyQuest = truth.quests.find((q) => q.period === 'daily');
    assert.ok(dailyQuest && Date.parse(dailyQuest.endsAt) > server.now());
  });

  it('lights a completed quest up with a toast, the Claim button and a badge on the flame', async () => {
    const truth = await progress();
    const open = truth.quests.find((q) => q.period === 'daily' && !q.completed);
    assert.ok(open, 'a daily quest to complete');
    quest = open;
    for (const event of eventsFor(quest)) await server.app.progress.record(playerId, event);

    // The events may complete a second quest too (four feeds for "care 5 times" also finish "feed 3 times"): one toast each.
    await page.getByTestId('toast').filter({ hasText: 'Quest complete:' }).first().waitFor({ timeout: WAIT_MS });
    const card = page.locator(`[data-testid="quest-${quest.templateId}"][data-completed="true"]`);
    await card.waitFor({ timeout: WAIT_MS });
    assert.equal(await card.getAttribute('data-progress'), String(quest.target));
    assert.equal(await card.getAttribute('data-claimed'), 'false');
    await page.getByTestId(`quest-claim-${quest.templateId}`).waitFor({ timeout: WAIT_MS });
    await waitUntil('the badge', () => attr(page, 'progress-open', 'data-claimable'), (n) => Number(n) >= 1);
  });

  it('claims the quest: its coins reach the top bar, the sheet and the server, and it shows as claimed', async () => {
    const before = await waitUntil(
      'the top bar and the server to agree on coins',
      async () => [await hudCoins(), await serverCoins()] as const,
      ([hud, srv]) => hud === srv,
    );
    const coins = before[1];
    const claimable = Number(await attr(page, 'progress-open', 'data-claimable'));

    await page.getByTestId(`quest-claim-${quest.templateId}`).click();
    await page.getByTestId('toast').filter({ hasText: `Quest reward: +${quest.rewardCoins} coins` }).waitFor({ timeout: WAIT_MS });
    await page.locator(`[data-testid="quest-${quest.templateId}"][data-claimed="true"]`).waitFor({ timeout: WAIT_MS });
    await page.getByTestId(`quest-claimed-${quest.templateId}`).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId(`quest-claim-${quest.templateId}`).isVisible(), false);

    assert.equal(await serverCoins(), coins + quest.rewardCoins);
    await waitUntil('the top bar coins', hudCoins, (n) => n === coins + quest.rewardCoins);
    await waitUntil('the sheet coins', async () => Number(await attr(page, 'progress-coins', 'data-coins')), (n) => n === coins + quest.rewardCoins);
    await waitUntil('the badge', async () => Number(await attr(page, 'progress-open', 'data-claimable')), (n) => n === claimable - 1);
    const after = (await progress()).quests.find((q) => q.id === quest.id);
    assert.equal(after?.claimed, true);
  });

  it('shows an achievement’s details with its reward', async () => {
    await page.getByTestId('achievement-first_care').click();
    const detail = page.getByTestId('achievement-detail');
    await detail.waitFor({ timeout: WAIT_MS });
    const text = (await detail.textContent()) ?? '';
    assert.match(text, /First steps/);
    assert.match(text, /Unlocked/);
    assert.match(text, new RegExp(`\\+${achievement('first_care')!.rewardCoins} coins`));
    await page.getByTestId('achievement-detail-close').click();
    await detail.waitFor({ state: 'hidden', timeout: WAIT_MS });

    await page.getByTestId('achievement-streak_7').click();
    assert.match((await detail.textContent()) ?? '', /Not unlocked yet/);
    assert.match((await detail.textContent()) ?? '', /Streak freeze/);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden', timeout: WAIT_MS });
    assert.equal(await page.getByTestId('progress').isVisible(), true);
  });

  it('looks right on a phone (screenshot in test/artifacts/progress.png)', async () => {
    await page.getByTestId('progress').evaluate((el) => el.querySelector('.progress-scroll')?.scrollTo(0, 0));
    await waitUntil('the toasts to leave', () => page.getByTestId('toast').count(), (n) => n === 0);
    await saveScreenshot(page, 'progress.png');
    await page.getByTestId('progress-close').click();
    await page.getByTestId('progress').waitFor({ state: 'hidden', timeout: WAIT_MS });
  });

  it('speaks Russian in the dark (screenshot in test/artifacts/progress-ru-dark.png)', async () => {
    const dark = await newContextOnServerClock(browser, server, { viewport: { width: 360, height: 640 }, locale: 'ru-RU', timezoneId: 'UTC', colorScheme: 'dark' });
    try {
      const ru = await dark.newPage();
      await ru.goto(`${server.url}/?user=${PAT.id}&name=${PAT.firstName}&lang=ru`);
      await waitForHome(ru);
      await ru.getByTestId('progress-open').click();
      await ru.locator('[data-testid="progress"][data-state="ready"]').waitFor({ timeout: WAIT_MS });
      assert.match((await ru.getByTestId('streak-daily').textContent()) ?? '', /Сегодня засчитано/);
      assert.match((await ru.getByTestId('achievement-first_care').textContent()) ?? '', /Первые шаги/);
      assert.equal(await ru.locator('html').getAttribute('data-theme'), 'dark');
      await saveScreenshot(ru, 'progress-ru-dark.png');
    } finally {
      await dark.close();
    }
  });
});

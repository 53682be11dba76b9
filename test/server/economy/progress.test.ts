import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { ProgressService } from '../../../server/services/progress-service.js';
import { dailyStreakReward, questTemplate, weeklyStreakReward, type ProgressEvent } from '../../../shared/progression.js';
import { MSG_PROGRESS, type ProgressMessage } from '../../../shared/protocol.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { assertLedgerConsistent } from '../../helpers/economy.js';
import { joinHome, nextMessage } from '../../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';

const DAY = 86400;
const MONDAY = 0;
const THURSDAY = 3;

/** The same time of day on the next `weekday` (0 = Monday … 6 = Sunday; weeks as in `weekOfDay`), or `clockS` itself on that weekday. */
const onWeekday = (clockS: number, weekday: number): number => clockS + ((weekday - ((Math.floor(clockS / DAY) + 3) % 7) + 7) % 7) * DAY;

describeEachDialect('progression: streaks, quests, achievements', (dialect) => {
  let s: TestServer;
  let n = 0;
  /** The game clock the test's progress service reads (noon of some day, UTC). */
  let clock = 0;
  let progress: ProgressService;

  const newPlayer = async (): Promise<{ user: TestUser; id: string }> => {
    const user = { id: 880_000 + dialect.length * 1000 + ++n, firstName: `Quester${n}` };
    return { user, id: (await s.api(user, 'GET', '/api/v1/me')).body.id };
  };
  const care = (playerId: string, action: 'feed' | 'play' | 'clean' | 'heal' = 'feed') =>
    progress.record(playerId, { kind: 'care', key: randomUUID(), action });
  const rewards = async (playerId: string, reason: string) =>
    s.app.db.kysely.selectFrom('ledger_transactions').select(['idempotency_key']).where('player_id', '=', playerId).where('reason', '=', reason).execute();
  const coins = async (user: TestUser) => (await s.api(user, 'GET', '/api/v1/me')).body.balances.coins as number;

  before(async () => {
    s = await startTestServer({ dialect });
    // Noon of the app's own game day, so REST views and the events recorded here agree on the day.
    clock = Math.floor(s.app.sim.clock / DAY) * DAY + 12 * 3600;
    progress = new ProgressService({
      db: s.app.db.kysely,
      dialect,
      ledger: s.app.ledger,
      inventory: s.app.inventory,
      logger: pino({ level: 'silent' }),
      clock: () => clock,
      timeScale: 1,
      clockOffsetSeconds: 0,
      bus: s.app.bus,
    });
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('counts care through the API: streak day, quest progress, first achievements and their coins', async () => {
    const { user } = await newPlayer();
    const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Bo', species: 'bunny' })).body;
    const fed = await s.api(user, 'POST', `/api/v1/pets/${pet.id}/care`, { action: 'feed' });
    assert.equal(fed.status, 200, JSON.stringify(fed.body));
    // Progression follows from the event log: everything committed is handed over.
    assert.equal(await s.app.eventLog.relay.drain(), true);
    const view = (await s.api(user, 'GET', '/api/v1/progress')).body;
    assert.equal(view.streak.daily.current, 1);
    assert.equal(view.streak.daily.countedToday, true);
    assert.equal(view.quests.filter((q: { period: string }) => q.period === 'daily').length, 3);
    assert.equal(view.quests.filter((q: { period: string }) => q.period === 'weekly').length, 2);
    for (const q of view.quests as Array<{ templateId: string; progress: number }>) {
      const t = questTemplate(q.templateId)!;
      const expected = t.advance({ kind: 'care', key: 'x', action: 'feed' }) + t.advance({ kind: 'streak_day', key: 'x', streak: 1 });
      assert.equal(q.progress, expected, `${q.templateId} progress`);
    }
    const unlocked = (view.achievements as Array<{ id: string; unlocked: boolean }>).filter((a) => a.unlocked).map((a) => a.id).sort();
    assert.deepEqual(unlocked, ['first_care', 'first_pet']);
    assert.equal(await coins(user), dailyStreakReward(1) + 20 + 10);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('counts a recorded event once, however often it is recorded', async () => {
    const { id } = await newPlayer();
    const event: ProgressEvent = { kind: 'care', key: randomUUID(), action: 'play' };
    const first = await progress.record(id, event);
    assert.ok(first.length > 0);
    assert.deepEqual(await progress.record(id, event), []);
    await Promise.all(Array.from({ length: 5 }, () => progress.record(id, event)));
    const row = await s.app.db.kysely.selectFrom('player_progress').selectAll().where('player_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.care_total, 1);
  });

  it('grows the daily streak day by day with escalating rewards, and restarts after a missed day', async () => {
    const { user, id } = await newPlayer();
    const start = clock;
    try {
      // Thursday to Saturday, then Monday: care on 4 days that span two weeks, so no weekly
      // streak reward (4 care days in one week) is among the streak rewards counted below.
      clock = onWeekday(clock, THURSDAY);
      for (let day = 1; day <= 3; day++) {
        const notices = await care(id);
        assert.deepEqual(notices.find((x) => x.kind === 'streak'), { kind: 'streak', days: day, rewardCoins: dailyStreakReward(day), frozen: false, freezeGranted: false });
        assert.deepEqual(await care(id, 'play').then((x) => x.filter((y) => y.kind === 'streak')), [], 'a second care the same day counts nothing');
        clock += DAY;
      }
      clock += DAY; // a day without care
      const restarted = await care(id);
      assert.equal(restarted.find((x) => x.kind === 'streak' && x.days === 1)?.kind, 'streak');
      const paid = (await rewards(id, 'streak_reward')).map((r) => r.idempotency_key);
      assert.equal(paid.length, 4, paid.join(', '));
      assert.ok(paid.every((key) => key.startsWith('streak:daily:')), paid.join(', '));
      const view = (await s.api(user, 'GET', '/api/v1/progress')).body;
      assert.equal(view.streak.daily.best, 3);
    } finally {
      clock = start;
    }
  });

  it('saves one missed day with a streak freeze', async () => {
    const { user, id } = await newPlayer();
    const start = clock;
    try {
      await care(id);
      clock += DAY;
      await care(id);
      await s.app.inventory.grant(id, { streak_freeze: 1 });
      clock += 2 * DAY; // one day missed
      const notices = await care(id);
      assert.deepEqual(notices.find((x) => x.kind === 'streak'), { kind: 'streak', days: 3, rewardCoins: dailyStreakReward(3), frozen: true, freezeGranted: false });
      const bag = (await s.api(user, 'GET', '/api/v1/inventory')).body;
      assert.equal(bag.items.find((i: { itemId: string }) => i.itemId === 'streak_freeze')?.quantity ?? 0, 0, 'the freeze is used up');
      clock += 2 * DAY; // missed again, no freeze left
      assert.equal((await care(id)).find((x) => x.kind === 'streak' && x.days === 1)?.kind, 'streak');
    } finally {
      clock = start;
    }
  });

  it('never pays a day twice when the player changes time zone', async () => {
    const { user, id } = await newPlayer();
    const start = clock;
    try {
      clock = Math.floor(clock / DAY) * DAY + 23 * 3600; // 23:00 UTC
      await care(id);
      // East by 14 h it is already tomorrow: that day may count (once)...
      await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 });
      await care(id);
      await care(id);
      // ...and back west by 12 h it is yesterday: nothing counts.
      await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: -720 });
      await care(id);
      await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 0 });
      await care(id);
      clock += DAY; // the real next day is the day already counted at +14 h
      await care(id);
      const keys = (await rewards(id, 'streak_reward')).map((r) => r.idempotency_key);
      assert.equal(keys.length, 2, keys.join(', '));
      assert.equal(new Set(keys).size, keys.length);
    } finally {
      clock = start;
      await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 0 });
    }
  });

  it('counts a week in the weekly streak after care on 4 of its days', async () => {
    const { id } = await newPlayer();
    const start = clock;
    try {
      clock = onWeekday(clock, MONDAY);
      const weekly: unknown[] = [];
      for (let i = 0; i < 4; i++) {
        weekly.push(...(await care(id)).filter((x) => x.kind === 'weekly_streak'));
        clock += DAY;
      }
      assert.deepEqual(weekly, [{ kind: 'weekly_streak', weeks: 1, rewardCoins: weeklyStreakReward(1) }]);
      clock += 3 * DAY; // next Monday
      for (let i = 0; i < 4; i++) {
        weekly.push(...(await care(id)).filter((x) => x.kind === 'weekly_streak'));
        clock += DAY;
      }
      assert.deepEqual(weekly.at(-1), { kind: 'weekly_streak', weeks: 2, rewardCoins: weeklyStreakReward(2) });
    } finally {
      clock = start;
    }
  });

  /** An event that advances a quest of `templateId` (a different key every call). */
  const eventFor = (templateId: string): ProgressEvent => {
    const key = randomUUID();
    switch (templateId) {
      case 'feed_3': return { kind: 'care', key, action: 'feed' };
      case 'play_2': return { kind: 'care', key, action: 'play' };
      case 'clean_1': case 'care_5': case 'care_30': return { kind: 'care', key, action: 'clean' };
      case 'treats_50': case 'game_1': case 'games_7': case 'coins_200': return { kind: 'game', key, game: 'treats', score: 60, coins: 30 };
      case 'good_care_6h': return { kind: 'good_care', key };
      case 'grow_1': return { kind: 'stage', key, stage: 1, adultForm: 0 };
      default: throw new Error(`no event for ${templateId}`);
    }
  };

  it('pays a completed quest once when claimed', async () => {
    const { user, id } = await newPlayer();
    const view = (await s.api(user, 'GET', '/api/v1/progress')).body;
    // Quests are a deterministic pick per player; any but the five-care-days one can be finished today.
    const quest = (view.quests as Array<{ id: string; templateId: string; target: number; rewardCoins: number }>).find((q) => q.templateId !== 'care_days_5')!;
    assert.equal((await s.api(user, 'POST', `/api/v1/quests/${quest.id}/claim`)).body.error.code, 'QUEST_NOT_COMPLETE');
    let completed = false;
    for (let i = 0; i < 300 && !completed; i++) {
      completed = (await progress.record(id, eventFor(quest.templateId))).some((x) => x.kind === 'quest_completed' && x.questId === quest.id);
    }
    assert.ok(completed, `${quest.templateId} completes`);
    const other = await newPlayer();
    assert.equal((await s.api(other.user, 'POST', `/api/v1/quests/${quest.id}/claim`)).status, 404, 'not someone else’s');
    const before = await coins(user);
    const claims = await Promise.all(Array.from({ length: 10 }, () => s.api(user, 'POST', `/api/v1/quests/${quest.id}/claim`)));
    assert.equal(claims.filter((c) => c.status === 200).length, 1, JSON.stringify(claims.map((c) => c.status)));
    assert.ok(claims.filter((c) => c.status !== 200).every((c) => c.body.error.code === 'ALREADY_CLAIMED'));
    assert.equal(await coins(user), before + quest.rewardCoins);
    const claimed = (await s.api(user, 'GET', '/api/v1/progress')).body.quests.find((q: { id: string }) => q.id === quest.id);
    assert.equal(claimed.claimed, true);
    assert.equal((await s.api(user, 'POST', `/api/v1/quests/${quest.id}/claim`)).status, 409);
    assert.equal((await s.api(user, 'POST', `/api/v1/quests/${randomUUID()}/claim`)).body.error.code, 'QUEST_NOT_FOUND');
    assert.equal((await s.api(user, 'POST', '/api/v1/quests/nope/claim')).status, 400);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('offers every player the same quests all day, and new ones the next day', async () => {
    const { user, id } = await newPlayer();
    const first = (await s.api(user, 'GET', '/api/v1/progress')).body.quests.map((q: { id: string }) => q.id);
    await care(id);
    const again = (await s.api(user, 'GET', '/api/v1/progress')).body.quests.map((q: { id: string }) => q.id);
    assert.deepEqual(again, first);
    const rows = await s.app.db.kysely.selectFrom('player_quests').select('template_id').where('player_id', '=', id).where('period', '=', 'daily').execute();
    assert.equal(rows.length, 3);
  });

  it('awards an achievement once with its reward', async () => {
    const { id } = await newPlayer();
    const unlocked: string[] = [];
    for (let i = 0; i < 100; i++) {
      for (const x of await care(id)) if (x.kind === 'achievement') unlocked.push(x.achievementId);
    }
    for (let i = 0; i < 3; i++) for (const x of await care(id)) if (x.kind === 'achievement') unlocked.push(x.achievementId);
    assert.deepEqual(unlocked.filter((a) => a === 'care_100'), ['care_100']);
    const awards = await s.app.db.kysely.selectFrom('player_achievements').selectAll().where('player_id', '=', id).execute();
    assert.equal(awards.filter((a) => a.achievement_id === 'care_100').length, 1);
    const paid = await rewards(id, 'achievement_reward');
    assert.equal(paid.filter((r) => r.idempotency_key.endsWith(':care_100')).length, 1);
  });

  it('tells the owner in the home room what progress a care action made', async () => {
    const { user } = await newPlayer();
    const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Zed', species: 'fox' })).body;
    // The adoption's own progress (its achievement) is applied before the room opens.
    await s.app.eventLog.relay.drain();
    const room = await joinHome(s, user);
    try {
      const message = nextMessage<ProgressMessage>(room, MSG_PROGRESS);
      room.send('care', { petId: pet.id, action: 'play' });
      const { notices } = await message;
      assert.ok(notices.some((x) => x.kind === 'streak' && x.days === 1));
      assert.ok(notices.some((x) => x.kind === 'achievement' && x.achievementId === 'first_care'));
    } finally {
      await room.leave();
    }
  });
});

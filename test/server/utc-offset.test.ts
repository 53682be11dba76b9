import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { MAX_CARE_BONUS_PER_DAY, MAX_COINS_PER_DAY, type MinigameKind } from '../../shared/minigames.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { preAwardAchievements } from '../helpers/economy.js';
import { minigameDriver } from '../helpers/minigames.js';
import { joinHome, nextMessage, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';

const DAY_S = 86400;
const HOUR_MS = 3_600_000;
/**
 * Each test starts at 20:00 UTC (the first at this one): awake at UTC+0 and at UTC+14
 * (10:00 the next day). The game clock is real time. Time only moves forward.
 */
const START = Date.UTC(2031, 2, 12, 20, 0, 0);

/**
 * The UTC offset defines the player's day (daily caps, quests, streaks) and their pets'
 * nights. Moving it must give no second day and no free wake-up; each test first shows what
 * a move did before the rule (the same hour, a second day's worth).
 */
describeEachDialect('a moved time zone gives no second day', (dialect) => {
  let s: TestServer;
  let now = START;
  /** 20:00 UTC of the current test. */
  let evening = START;
  let n = 0;
  const driver = () => minigameDriver(s, (ms) => (now += ms));

  /** A new player (at `offset` from their first start), with a pet; achievements pre-awarded so coins are game pay only. */
  const newPlayer = async (offset?: number): Promise<{ user: TestUser; id: string; petId: string }> => {
    const user = { id: 9_400_000 + dialect.length * 1000 + ++n, firstName: `Traveller${n}` };
    if (offset !== undefined) assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: offset })).status, 200);
    const id = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    await preAwardAchievements(s.app.db.kysely, id);
    const pet = await s.api(user, 'POST', '/api/v1/pets', { name: 'Atlas', species: 'fox' });
    assert.equal(pet.status, 201);
    await s.app.eventLog.relay.drain();
    return { user, id, petId: pet.body.id };
  };
  /** The local day at UTC+0 right now. */
  const utcDay = () => Math.floor(now / 1000 / DAY_S);
  /** Records earlier rounds today that used up the daily caps. */
  const usedToday = async (playerId: string, petId: string, coins: number, bonus: number) => {
    await s.app.db.kysely
      .insertInto('minigame_sessions')
      .values({
        id: `earlier-${playerId}`, player_id: playerId, pet_id: petId, kind: 'treats', seed: 1, status: 'finished', score: coins, taps: coins,
        suspicious: 0, reward_coins: coins, reward_points: 0, reward_bonus: bonus, game_day: utcDay(), started_at: now, ended_at: now,
      })
      .execute();
  };
  const perfectRound = async (room: Room<any>, playerId: string, petId: string, kind: MinigameKind = 'treats') => {
    const over = nextMessage(room, 'gameOver');
    const d = driver();
    const gameId = await d.start(room, petId, kind);
    d.playPerfectly(gameId, playerId);
    return over;
  };
  const asleep = async (user: TestUser, petId: string) => (await s.api(user, 'GET', `/api/v1/pets/${petId}/summary`)).body.status.asleep as boolean;
  const moveTo = (ms: number) => {
    now = ms;
    s.app.sim.tick();
  };

  before(async () => {
    s = await startTestServer({ dialect, now: () => now, env: { SIM_CLOCK_OFFSET_S: '0' } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });
  beforeEach(() => {
    evening = START + Math.ceil((now - START) / (24 * HOUR_MS)) * 24 * HOUR_MS;
    moveTo(evening);
  });

  it('pays no second daily minigame coin cap after a time zone change in the same hour', async () => {
    const { user, id, petId } = await newPlayer();
    await usedToday(id, petId, MAX_COINS_PER_DAY, 0);
    // It is 10:00 tomorrow at UTC+14.
    assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 })).status, 200);
    const room = await joinHome(s, user);
    try {
      await waitFor(() => petView(room, petId), 'pet');
      const message = await perfectRound(room, id, petId);
      assert.ok(message.score > 0);
      assert.equal(message.rewards.coins, 0, 'today’s cap is spent');
      assert.equal(message.rewards.dailyCapReached, true);
    } finally {
      await room.leave();
    }
  });

  it('gives no second day of care offsets from good rounds after a time zone change', async () => {
    const { user, id, petId } = await newPlayer();
    await usedToday(id, petId, 0, MAX_CARE_BONUS_PER_DAY);
    assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 })).status, 200);
    const room = await joinHome(s, user);
    try {
      await waitFor(() => petView(room, petId), 'pet');
      const message = await perfectRound(room, id, petId);
      assert.ok(message.score >= 15, 'a good result');
      assert.equal(message.rewards.careBonus, 0, 'two offsets a day at most');
    } finally {
      await room.leave();
    }
  });

  it('offers no second set of daily quests after a time zone change', async () => {
    const { user, id } = await newPlayer();
    const before = (await s.api(user, 'GET', '/api/v1/progress')).body;
    assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 })).status, 200);
    const after = (await s.api(user, 'GET', '/api/v1/progress')).body;
    assert.equal(after.day, before.day);
    const daily = (view: { quests: Array<{ id: string; period: string }> }) => view.quests.filter((q) => q.period === 'daily').map((q) => q.id);
    assert.deepEqual(daily(after), daily(before));
    const rows = await s.app.db.kysely.selectFrom('player_quests').select('period_key').where('player_id', '=', id).where('period', '=', 'daily').execute();
    assert.equal(new Set(rows.map((r) => r.period_key)).size, 1, 'one day of daily quests');
  });

  it('pays no second daily streak reward after a time zone change', async () => {
    const { user, id, petId } = await newPlayer();
    assert.equal((await s.api(user, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).status, 200);
    assert.equal(await s.app.eventLog.relay.drain(), true);
    assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 })).status, 200);
    moveTo(now + 2 * 60_000); // past the feeding cooldown
    assert.equal((await s.api(user, 'POST', `/api/v1/pets/${petId}/care`, { action: 'play' })).status, 200);
    // Progression follows from the event log: both cares are applied, each on its own day.
    assert.equal(await s.app.eventLog.relay.drain(), true);
    const rewards = await s.app.db.kysely
      .selectFrom('ledger_transactions')
      .select('idempotency_key')
      .where('player_id', '=', id)
      .where('reason', '=', 'streak_reward')
      .execute();
    assert.deepEqual(rewards.map((r) => r.idempotency_key), [`streak:daily:${id}:${utcDay()}`]);
  });

  it('counts a care on the local day it happened when progression applies it after an offset change took effect', async () => {
    const { user, id, petId } = await newPlayer();
    const relay = s.app.eventLog.relay;
    // The relay lags: nothing is applied until the drain below.
    await relay.stop();
    const day = utcDay();
    try {
      assert.equal((await s.api(user, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).status, 200);
      const moved = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 });
      assert.equal(moved.status, 200);
      moveTo(Date.parse(moved.body.utcOffsetChange.at as string) + HOUR_MS);
      // The player moves on: the row now holds UTC+14 in force and the next change, not UTC+0.
      const again = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 600 });
      assert.equal(again.body.utcOffsetMinutes, 840);
      assert.equal(again.body.utcOffsetChange.utcOffsetMinutes, 600);
      assert.equal(await relay.drain(), true);
    } finally {
      relay.start();
    }
    // 20:00 UTC is 10:00 the next day at UTC+14; the care happened while UTC+0 was in force.
    const cares = await s.app.db.kysely.selectFrom('progress_events').select('game_day').where('player_id', '=', id).where('kind', '=', 'care').execute();
    assert.deepEqual(cares.map((r) => r.game_day), [day]);
    const rewards = await s.app.db.kysely.selectFrom('ledger_transactions').select('idempotency_key').where('player_id', '=', id).where('reason', '=', 'streak_reward').execute();
    assert.deepEqual(rewards.map((r) => r.idempotency_key), [`streak:daily:${id}:${day}`]);
  });

  it('keeps the daily streak going over a day number an eastward move skips, and plans a change once however often it is sent', async () => {
    const { user, id, petId } = await newPlayer();
    const care = async (action: 'feed' | 'play') => {
      const res = await s.api(user, 'POST', `/api/v1/pets/${petId}/care`, { action });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      // Progression follows from the event log, as the relay does within its poll, before the
      // test moves the clock by hours.
      assert.equal(await s.app.eventLog.relay.drain(), true);
    };
    await care('feed');
    const first = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 });
    // The Mini App sends the device's offset at every start: the plan stays as it is.
    const again = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 840 });
    assert.deepEqual(again.body.utcOffsetChange, first.body.utcOffsetChange);
    const at = Date.parse(first.body.utcOffsetChange.at as string);
    assert.equal(at, evening + 14 * HOUR_MS, 'midnight at UTC+14, 24 h after today began at UTC+0');
    // 07:00 at UTC+14, awake again: day + 2 there (day + 1 never happened for this player).
    moveTo(at + 7 * HOUR_MS + 60_000);
    await care('play');
    assert.equal(await s.app.eventLog.relay.drain(), true);
    const view = (await s.api(user, 'GET', '/api/v1/progress')).body;
    assert.equal(view.day, utcDay() + 1, 'the calendar day at UTC+14');
    assert.equal(view.streak.daily.current, 2, 'the streak goes on');
    const rewards = await s.app.db.kysely.selectFrom('ledger_transactions').select('idempotency_key').where('player_id', '=', id).where('reason', '=', 'streak_reward').execute();
    assert.equal(rewards.length, 2);
    const bag = (await s.api(user, 'GET', '/api/v1/inventory')).body.items as Array<{ itemId: string }>;
    assert.equal(bag.some((i) => i.itemId === 'streak_freeze'), false, 'no freeze was needed');
  });

  it('does not wake a sleeping pet when the time zone moves, neither at once nor when the change takes effect', async () => {
    // UTC+3: 23:00, a night. The first offset, before any pet, applies at once.
    const { user, petId } = await newPlayer(180);
    assert.equal(await asleep(user, petId), true);
    // UTC-12: 08:00. Before the rule the pet woke up for free here.
    const moved = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: -720 });
    assert.equal(moved.status, 200);
    assert.equal(await asleep(user, petId), true, 'still asleep right after the change');
    assert.equal(moved.body.utcOffsetMinutes, 180, 'the old offset is in force until the change takes effect');
    const at = Date.parse(moved.body.utcOffsetChange.at as string);
    assert.equal(moved.body.utcOffsetChange.utcOffsetMinutes, -720);
    // UTC+3's next midnight at the earliest, and a midnight at UTC-12: 12:00 UTC tomorrow.
    assert.equal(at, evening + 16 * HOUR_MS);
    moveTo(at - 1000);
    assert.equal(await asleep(user, petId), false, '15:00 the next day at UTC+3');
    moveTo(at + 1000);
    assert.equal(await asleep(user, petId), true, 'midnight at UTC-12: asleep, never woken by the change');
    moveTo(at + 7 * HOUR_MS + 1000);
    assert.equal(await asleep(user, petId), false, '07:00 at UTC-12');
    assert.equal((await s.api(user, 'GET', '/api/v1/me')).body.utcOffsetMinutes, -720);
  });
});

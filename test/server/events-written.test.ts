import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { ProgressService } from '../../server/services/progress-service.js';
import { dailyStreakReward, questTemplate, weekOfDay, weeklyStreakReward, type ProgressEvent } from '../../shared/progression.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { grantCoins } from '../helpers/economy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** 2026-11-26 noon UTC, as the shop tests: pets awake, promotions known. */
const NOW = Date.parse('2026-11-26T12:00:00Z');

describeEachDialect('events written with the changes they describe', (dialect) => {
  let s: TestServer;
  const ann = { id: 93_001, firstName: 'Ann' };
  const bob = { id: 93_002, firstName: 'Bob' };
  let annId: string;
  let bobId: string;

  const eventsOf = async (playerId: string, kind: string) =>
    (await s.app.db.kysely.selectFrom('events').selectAll().where('player_id', '=', playerId).where('kind', '=', kind).orderBy('seq').execute()).map((row) => ({
      ...row,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));

  before(async () => {
    s = await startTestServer({ dialect, now: () => NOW });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id as string;
    bobId = (await s.api(bob, 'GET', '/api/v1/me')).body.id as string;
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('a care paid with an item: one event, none for a refused care', async () => {
    const petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi' })).body.id as string;
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).status, 200);
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).body.error.code, 'CARE_COOLDOWN');
    const cares = await eventsOf(annId, 'care');
    assert.equal(cares.length, 1);
    assert.deepEqual(cares[0]?.payload, { petId, action: 'feed', itemId: 'kibble' });
    assert.equal(Number(cares[0]?.created_at), NOW);
  });

  it('a purchase: one event with what was bought and paid, none for its replay', async () => {
    await grantCoins(s.app.db.kysely, s.app.ledger, annId, 100);
    const key = `k-${randomUUID()}`;
    const bought = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 2 }, { 'idempotency-key': key });
    assert.equal(bought.status, 201);
    const replay = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 2 }, { 'idempotency-key': key });
    assert.equal(replay.body.replayed, true);
    const purchases = await eventsOf(annId, 'purchase');
    assert.equal(purchases.length, 1);
    const { purchase } = bought.body as { purchase: { id: string; totalPrice: number } };
    assert.equal(purchases[0]?.payload.purchaseId, purchase.id);
    assert.equal(purchases[0]?.payload.itemId, 'kibble');
    assert.equal(purchases[0]?.payload.quantity, 2);
    assert.equal(purchases[0]?.payload.coins, purchase.totalPrice);
  });

  it('a friendship: one event for each friend, none when they already were friends', async () => {
    const code = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode as string;
    assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code });
    assert.deepEqual((await eventsOf(annId, 'friend')).map((e) => e.payload), [{ friendId: bobId }]);
    assert.deepEqual((await eventsOf(bobId, 'friend')).map((e) => e.payload), [{ friendId: annId }]);
  });

  it('progression: each streak day and week, quest completed or claimed and achievement unlocked, once; none for a replay or a refused claim', async () => {
    const cara = { id: 93_003, firstName: 'Cara' };
    const caraId = (await s.api(cara, 'GET', '/api/v1/me')).body.id as string;
    // Noon of a Monday, on a game clock of the test's own.
    const DAY = 86400;
    const monday = (Math.floor(NOW / 1000 / DAY / 7) * 7 + 4) * DAY + 12 * 3600;
    let clock = monday;
    const progress = new ProgressService({
      db: s.app.db.kysely, dialect, ledger: s.app.ledger, inventory: s.app.inventory, logger: pino({ level: 'silent' }),
      clock: () => clock, timeScale: 1, clockOffsetSeconds: 0, bus: s.app.bus, now: () => NOW,
    });
    const firstDay = Math.floor(monday / DAY);
    assert.equal((firstDay + 3) % 7, 0, 'a Monday');
    const feed = { kind: 'care', key: 'cara-care-0', action: 'feed' } as const;
    await progress.record(caraId, feed);
    await progress.record(caraId, feed); // a replay: recorded once
    // Tuesday is missed (no freeze): Wednesday starts again; Friday is the week's fourth day.
    for (const day of [2, 3, 4]) {
      clock = monday + day * DAY;
      await progress.record(caraId, { kind: 'care', key: `cara-care-${day}`, action: 'feed' });
    }
    const daily = (day: number, streak: number, broken = false) => ({ period: 'daily', periodKey: firstDay + day, streak, frozen: false, broken, coins: dailyStreakReward(streak) });
    assert.deepEqual((await eventsOf(caraId, 'streak')).map((e) => e.payload), [
      daily(0, 1),
      daily(2, 1, true),
      daily(3, 2),
      daily(4, 3),
      { period: 'weekly', periodKey: weekOfDay(firstDay), streak: 1, frozen: false, broken: false, coins: weeklyStreakReward(1) },
    ]);
    // One event per reward paid.
    const streakRewards = await s.app.db.kysely.selectFrom('ledger_transactions').select('id').where('player_id', '=', caraId).where('reason', '=', 'streak_reward').execute();
    assert.equal(streakRewards.length, 5);

    // Quests of Friday: finish one (care and games advance every daily template).
    const quests = await s.app.db.kysely.selectFrom('player_quests').selectAll().where('player_id', '=', caraId).where('period', '=', 'daily').where('period_key', '=', firstDay + 4).execute();
    const quest = quests.find((q) => q.completed_at === null);
    assert.ok(quest, 'an open daily quest');
    const advancing: ProgressEvent[] = [
      ...(['feed', 'play', 'clean', 'heal'] as const).map((action) => ({ kind: 'care', key: '', action }) as const),
      { kind: 'game', key: '', game: 'treats', score: 60, coins: 30 },
      { kind: 'good_care', key: '' },
    ];
    const template = questTemplate(quest.template_id);
    const event = advancing.find((e) => (template?.advance(e) ?? 0) > 0);
    assert.ok(event, `an event that advances ${quest.template_id}`);
    for (let i = 0; i < quest.target; i++) await progress.record(caraId, { ...event, key: `cara-quest-${i}` });
    const completed = await s.app.db.kysely.selectFrom('player_quests').selectAll().where('player_id', '=', caraId).where('completed_at', 'is not', null).execute();
    assert.ok(completed.some((q) => q.id === quest.id));
    const questEvents = async () => (await eventsOf(caraId, 'quest')).map((e) => e.payload);
    assert.deepEqual(
      (await questEvents()).map((p) => p.questId).sort(),
      completed.map((q) => q.id).sort(),
    );
    assert.deepEqual(
      (await questEvents()).find((p) => p.questId === quest.id),
      { questId: quest.id, templateId: quest.template_id, status: 'completed', coins: quest.reward_coins },
    );
    // Claimed once; a second claim and a claim of an open quest are refused and write nothing.
    assert.equal((await s.api(cara, 'POST', `/api/v1/quests/${quest.id}/claim`)).status, 200);
    assert.equal((await s.api(cara, 'POST', `/api/v1/quests/${quest.id}/claim`)).body.error.code, 'ALREADY_CLAIMED');
    const open = await s.app.db.kysely.selectFrom('player_quests').select('id').where('player_id', '=', caraId).where('completed_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal((await s.api(cara, 'POST', `/api/v1/quests/${open.id}/claim`)).body.error.code, 'QUEST_NOT_COMPLETE');
    const claimed = (await questEvents()).filter((p) => p.status === 'claimed');
    assert.deepEqual(claimed, [{ questId: quest.id, templateId: quest.template_id, status: 'claimed', coins: quest.reward_coins }]);

    const achievements = await s.app.db.kysely.selectFrom('player_achievements').select('achievement_id').where('player_id', '=', caraId).execute();
    assert.ok(achievements.some((a) => a.achievement_id === 'first_care'));
    assert.deepEqual((await eventsOf(caraId, 'achievement')).map((e) => e.payload.achievementId).sort(), achievements.map((a) => a.achievement_id).sort());
    assert.deepEqual((await eventsOf(caraId, 'achievement')).find((e) => e.payload.achievementId === 'first_care')?.payload, { achievementId: 'first_care', coins: 10 });
  });

  it('names no one: payloads hold ids and numbers, never names or Telegram ids', async () => {
    const rows = await s.app.db.kysely.selectFrom('events').select('payload').execute();
    assert.ok(rows.length >= 4);
    for (const { payload } of rows) {
      assert.doesNotMatch(payload, /Ann|Bob|Cara|Mochi|9300[123]/);
    }
  });
});

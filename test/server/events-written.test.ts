import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { LocalOwnerBus } from '../../server/bus/owner-bus.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { createMetrics } from '../../server/metrics.js';
import { PetEventsRepository } from '../../server/repositories/pet-events-repository.js';
import { PetsRepository } from '../../server/repositories/pets-repository.js';
import { ProgressService } from '../../server/services/progress-service.js';
import { SimHost } from '../../server/sim-host/sim-host.js';
import { dailyStreakReward, questTemplate, weekOfDay, weeklyStreakReward, type ProgressEvent } from '../../shared/progression.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { grantCoins } from '../helpers/economy.js';
import { petRow, playerRow } from '../helpers/rows.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';
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

describeEachDialect('pet life events written with their pet_events rows', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let pets: PetsRepository;
  let sim: SimHost;
  const nowMs = TEST_START_MS;
  /** An egg left alone for eight hours with empty meters: it hatches, then falls sick. */
  const neglectedEgg = (id: string, ownerId: string) => ({
    ...petRow(id, ownerId), name: 'Biscuit', stage: 0, health: 45, hunger: 0, mood: 0, cleanliness: 0, last_snapshot_at: nowMs - 8 * 3_600_000,
  });
  const eventsOf = async (playerId: string) =>
    (await db.kysely.selectFrom('events').selectAll().where('player_id', '=', playerId).orderBy('tx_id').orderBy('seq').execute()).map((row) => ({
      id: row.id,
      kind: row.kind,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));
  const factsOf = (petId: string) => db.kysely.selectFrom('pet_events').select(['id', 'kind']).where('pet_id', '=', petId).execute();

  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    const player = (id: string, telegramId: number) => ({ ...playerRow(id, telegramId), first_name: 'Dora' });
    await db.kysely.insertInto('players').values([player('owner-a', 93_101), player('owner-b', 93_102), player('owner-c', 93_103)]).execute();
    await db.kysely.insertInto('pets').values([neglectedEgg('pet-a', 'owner-a'), neglectedEgg('pet-b', 'owner-b'), neglectedEgg('pet-c', 'owner-c')]).execute();
    pets = new PetsRepository(db.kysely, db.dialect, db.batch);
    const logger = pino({ level: 'silent' });
    const metrics = createMetrics();
    sim = new SimHost(
      { tickHz: 1, timeScale: 1, clockOffsetSeconds: 0, snapshotIntervalSeconds: 3600, restLeaseIdleSeconds: 60 },
      { pets, events: new PetEventsRepository(db.kysely), logger, metrics, bus: new LocalOwnerBus({ logger, metrics }), now: () => nowMs },
    );
  });
  after(async () => {
    await sim?.stop();
    await db?.close();
    await scratch?.drop();
  });

  it('a stage change and a sickness: one event each, under its pet_events row id; none while the flush fails, once when it is retried', async () => {
    await sim.acquire('owner-a', 'test');
    await sim.acquire('owner-b', 'test');
    // pet-b's row is gone: the flush fails as a whole, and writes neither facts nor events.
    const petB = await db.kysely.selectFrom('pets').selectAll().where('id', '=', 'pet-b').executeTakeFirstOrThrow();
    await db.kysely.deleteFrom('pets').where('id', '=', 'pet-b').execute();
    await assert.rejects(sim.flushEvents());
    assert.deepEqual(await factsOf('pet-a'), []);
    assert.deepEqual(await eventsOf('owner-a'), []);
    // Back again: the kept facts are written with their events, once.
    await db.kysely.insertInto('pets').values(petB).execute();
    assert.equal(await sim.flushEvents(), 4);
    assert.equal(await sim.flushEvents(), 0);
    const a = await eventsOf('owner-a');
    assert.deepEqual(a.map((e) => [e.kind, e.payload]), [
      ['stage', { petId: 'pet-a', from: 'egg', to: 'baby', adultForm: null }],
      ['sickness', { petId: 'pet-a', sick: true }],
    ]);
    assert.deepEqual(a.map((e) => e.id).sort(), (await factsOf('pet-a')).map((f) => f.id).sort());
    assert.deepEqual((await eventsOf('owner-b')).map((e) => e.kind), ['stage', 'sickness']);
  });

  it('a heal that cures: the pet facts not yet written go with the care, then a sickness event with sick false; a care refused writes none', async () => {
    await sim.acquire('owner-c', 'test');
    const heal = async () => {
      await sim.hold('pet-c');
      try {
        const prepared = await sim.prepareCare('pet-c', 'heal', 'medicine');
        assert.ok(prepared.snapshot);
        assert.equal(prepared.cured, true);
        assert.deepEqual(prepared.facts.map((f) => f.row.kind), ['stage', 'sick']);
        return await pets.saveCare('owner-c', 'heal', 'medicine', prepared.snapshot, nowMs, undefined, prepared);
      } finally {
        sim.unhold('pet-c');
      }
    };
    // No medicine: nothing written.
    assert.equal(await heal(), 'item_missing');
    await db.kysely.insertInto('inventory').values({ player_id: 'owner-c', item_id: 'medicine', quantity: 1, updated_at: nowMs }).execute();
    // A newer snapshot stored meanwhile: the care's transaction rolls back, with its facts and events.
    await db.kysely.updateTable('pets').set({ last_snapshot_at: nowMs + 60_000 }).where('id', '=', 'pet-c').execute();
    assert.equal(await heal(), 'stale');
    assert.deepEqual(await factsOf('pet-c'), []);
    assert.deepEqual(await eventsOf('owner-c'), []);
    await db.kysely.updateTable('pets').set({ last_snapshot_at: nowMs - 8 * 3_600_000 }).where('id', '=', 'pet-c').execute();
    assert.equal(await heal(), 'stored');
    const written = await eventsOf('owner-c');
    assert.deepEqual(written.map((e) => [e.kind, e.payload]), [
      ['stage', { petId: 'pet-c', from: 'egg', to: 'baby', adultForm: null }],
      ['sickness', { petId: 'pet-c', sick: true }],
      ['care', { petId: 'pet-c', action: 'heal', itemId: 'medicine' }],
      ['sickness', { petId: 'pet-c', sick: false }],
    ]);
    // The next flush finds the facts written: no event twice.
    await sim.flushEvents();
    assert.equal((await eventsOf('owner-c')).length, 4);
    assert.equal((await factsOf('pet-c')).length, 2);
  });

  it('names no one: life event payloads hold ids, never pet or player names or Telegram ids', async () => {
    const rows = await db.kysely.selectFrom('events').select('payload').execute();
    assert.ok(rows.length >= 8);
    for (const { payload } of rows) assert.doesNotMatch(payload, /Biscuit|Dora|9310[123]/);
  });
});

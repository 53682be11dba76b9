import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import type { GameEventPayloads } from '../../server/events/event-kinds.js';
import type { StoredEvent } from '../../server/repositories/events-repository.js';
import { LeaderboardService, type LeaderboardQuery } from '../../server/services/leaderboard-service.js';
import { AppError } from '../../shared/errors.js';
import { ALL_TIME_KEY, leaderboardWeek, type LeaderboardId } from '../../shared/leaderboards.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { playerRow } from '../helpers/rows.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';

const DAY_MS = 86_400_000;
/** Sunday 21 June 2026, the last second of the test clock's week (UTC). */
const SUNDAY_LAST_S = Date.UTC(2026, 5, 21, 23, 59, 59);
const MONDAY = Date.UTC(2026, 5, 22, 0, 0, 0);

describeEachDialect('leaderboards (service)', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let nowMs = TEST_START_MS;
  let lb: LeaderboardService;
  let seq = 0;
  let telegramId = 9_100_000;

  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    // The game clock runs at real speed from epoch 0 here: game seconds = epoch seconds.
    lb = new LeaderboardService({
      db: db.kysely,
      dialect: db.dialect,
      logger: pino({ level: 'silent' }),
      clock: () => nowMs / 1000,
      timeScale: 1,
      clockOffsetSeconds: 0,
      now: () => nowMs,
    });
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });
  beforeEach(async () => {
    nowMs = TEST_START_MS;
    await db.kysely.deleteFrom('leaderboard_scores').execute();
    await db.kysely.deleteFrom('leaderboard_counts').execute();
  });

  async function players(prefix: string, n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    const rows = ids.map((id) => ({ ...playerRow(id, telegramId++), invite_code: `I${telegramId}`.padEnd(8, '0') }));
    for (let i = 0; i < rows.length; i += 200) await db.kysely.insertInto('players').values(rows.slice(i, i + 200)).execute();
    return ids;
  }

  function event<K extends 'streak' | 'minigame' | 'achievement' | 'adopt'>(playerId: string, kind: K, payload: GameEventPayloads[K], at = nowMs): StoredEvent {
    seq += 1;
    return { seq, txId: seq, id: `e${seq}`, playerId, kind, payload: payload, at, schedule: null };
  }
  const streak = (playerId: string, days: number, at = nowMs) =>
    event(playerId, 'streak', { period: 'daily', periodKey: 0, streak: days, frozen: false, broken: false, coins: 0 }, at);
  const round = (playerId: string, score: number, suspicious = false, at = nowMs) =>
    event(playerId, 'minigame', { sessionId: `s${seq}`, game: 'treats', status: 'finished', score, coins: 1, meterPoints: 0, suspicious }, at);
  const apply = (...events: StoredEvent[]) => lb.consumer().handle(events);
  const read = (me: string, board: LeaderboardId, q: Partial<LeaderboardQuery> = {}) =>
    lb.read(me, board, { period: 'all', scope: 'global', limit: 100, offset: 0, ...q });
  const ranks = async (me: string, board: LeaderboardId, q: Partial<LeaderboardQuery> = {}) =>
    (await read(me, board, q)).entries.map((e) => `${e.displayName}:${e.rank}:${e.score}`);

  /** The counts table agrees with the visible scores (what every rank is computed from). */
  async function assertCountsConsistent(): Promise<void> {
    const counts = await db.kysely.selectFrom('leaderboard_counts').select(['board', 'period_key', 'score', 'n']).orderBy('board').orderBy('period_key').orderBy('score').execute();
    const truth = await db.kysely
      .selectFrom('leaderboard_scores')
      .select((eb) => ['board', 'period_key', 'score', eb.fn.countAll<number>().as('n')])
      .where('hidden', '=', 0)
      .groupBy(['board', 'period_key', 'score'])
      .orderBy('board')
      .orderBy('period_key')
      .orderBy('score')
      .execute();
    assert.deepEqual(counts.map((r) => ({ ...r, n: Number(r.n) })), truth.map((r) => ({ ...r, n: Number(r.n) })));
  }

  it('ranks best first; ties share a rank and are listed by who got there first', async () => {
    const [a, b, c, d] = (await players('tie', 4)) as [string, string, string, string];
    await apply(streak(a, 10, nowMs), streak(c, 20, nowMs + 1), streak(b, 20, nowMs + 2), streak(d, 5, nowMs + 3));
    assert.deepEqual(await ranks(a, 'streak'), [`${c}:1:20`, `${b}:1:20`, `${a}:3:10`, `${d}:4:5`]);
    const view = await read(a, 'streak');
    assert.deepEqual(view.me, { rank: 3, score: 10 });
    assert.equal(view.total, 4);
    assert.deepEqual(view.entries.map((e) => e.isMe), [false, false, true, false]);
    // Global entries name only me.
    assert.deepEqual(view.entries.map((e) => e.playerId), [undefined, undefined, a, undefined]);
    // A worse streak later does not lower the best one; a better one moves it up.
    await apply(streak(c, 1), streak(a, 21));
    assert.deepEqual(await ranks(a, 'streak'), [`${a}:1:21`, `${c}:2:20`, `${b}:2:20`, `${d}:4:5`]);
    await assertCountsConsistent();
  });

  it("gives my rank and score outside the top 100, pages on, and ranks a tie that starts on the page before", async () => {
    const ids = await players('many', 150);
    // Scores 150 … 1, and player 100 ties with 99 (both 51): the tie crosses the page boundary.
    await apply(...ids.map((id, i) => round(id, i === 100 ? 51 : 150 - i, false, nowMs + i)));
    const me = ids[149] as string;
    const first = await read(me, 'game_treats');
    assert.equal(first.entries.length, 100);
    assert.equal(first.entries[0]?.rank, 1);
    assert.equal(first.entries[99]?.rank, 100);
    assert.deepEqual(first.me, { rank: 150, score: 1 });
    assert.equal(first.entries.some((e) => e.isMe), false);
    const second = await read(me, 'game_treats', { offset: 100, limit: 10 });
    assert.deepEqual(second.entries.map((e) => [e.rank, e.score]).slice(0, 3), [[100, 51], [102, 49], [103, 48]]);
    assert.deepEqual((await read(ids[100] as string, 'game_treats')).me, { rank: 100, score: 51 });
    // No score: null.
    const [nobody] = await players('none', 1);
    assert.equal((await read(nobody as string, 'game_treats')).me, null);
    await assertCountsConsistent();
  });

  it('leaves suspicious rounds off the minigame boards', async () => {
    const [a] = (await players('sus', 1)) as [string];
    await apply(round(a, 999, true), round(a, 12));
    assert.deepEqual((await read(a, 'game_treats')).me, { rank: 1, score: 12 });
  });

  it('ranks my friends and me among ourselves', async () => {
    const [me, f1, f2, stranger] = (await players('fr', 4)) as [string, string, string, string];
    await db.kysely
      .insertInto('friendships')
      .values([
        { player_id: me, friend_id: f1, created_at: nowMs },
        { player_id: f1, friend_id: me, created_at: nowMs },
        { player_id: me, friend_id: f2, created_at: nowMs },
        { player_id: f2, friend_id: me, created_at: nowMs },
      ])
      .execute();
    await apply(streak(stranger, 50), streak(f1, 30), streak(me, 20), streak(f2, 10));
    const friends = await read(me, 'streak', { scope: 'friends' });
    assert.deepEqual(friends.entries.map((e) => [e.playerId, e.rank]), [[f1, 1], [me, 2], [f2, 3]]);
    assert.deepEqual(friends.me, { rank: 2, score: 20 });
    assert.equal(friends.total, 3);
    assert.deepEqual((await read(me, 'streak')).me, { rank: 3, score: 20 });
    // A friend's view has their own friends: me only.
    assert.deepEqual((await read(f2, 'streak', { scope: 'friends' })).entries.map((e) => e.playerId), [me, f2]);
  });

  it('keeps weekly boards per UTC game week (Monday to Sunday) beside the all-time one', async () => {
    const [a, b] = (await players('wk', 2)) as [string, string];
    nowMs = SUNDAY_LAST_S;
    await apply(streak(a, 9, SUNDAY_LAST_S), round(a, 40, false, SUNDAY_LAST_S));
    assert.equal(leaderboardWeek(MONDAY / 1000), leaderboardWeek(SUNDAY_LAST_S / 1000) + 1);
    assert.deepEqual(await ranks(a, 'streak', { period: 'weekly' }), [`${a}:1:9`]);
    // One second later the new week starts empty; the all-time board keeps everything.
    nowMs = MONDAY;
    assert.deepEqual((await read(a, 'streak', { period: 'weekly' })).entries, []);
    assert.equal((await read(a, 'streak', { period: 'weekly' })).me, null);
    await apply(streak(b, 3, MONDAY), round(a, 10, false, MONDAY));
    assert.deepEqual(await ranks(a, 'streak', { period: 'weekly' }), [`${b}:1:3`]);
    assert.deepEqual(await ranks(a, 'game_treats', { period: 'weekly' }), [`${a}:1:10`]);
    assert.deepEqual(await ranks(a, 'streak'), [`${a}:1:9`, `${b}:2:3`]);
    assert.deepEqual(await ranks(a, 'game_treats'), [`${a}:1:40`]);
    const weekKeys = await db.kysely.selectFrom('leaderboard_scores').select('period_key').distinct().where('board', '=', 'streak').orderBy('period_key').execute();
    assert.deepEqual(weekKeys.map((r) => r.period_key), [ALL_TIME_KEY, leaderboardWeek(SUNDAY_LAST_S / 1000), leaderboardWeek(MONDAY / 1000)]);
    await assertCountsConsistent();
  });

  it('ranks pets by age in days and counts achievements, all-time only', async () => {
    const [old, young] = (await players('age', 2)) as [string, string];
    await db.kysely.insertInto('player_achievements').values([
      { player_id: young, achievement_id: 'first_pet', awarded_at: nowMs },
      { player_id: young, achievement_id: 'first_care', awarded_at: nowMs },
    ]).execute();
    await apply(
      event(old, 'adopt', { petId: 'p1', species: 'cat' }, nowMs - 10 * DAY_MS),
      event(young, 'adopt', { petId: 'p2', species: 'cat' }, nowMs - 2 * DAY_MS),
      // A second, younger pet does not make the oldest younger.
      event(old, 'adopt', { petId: 'p3', species: 'cat' }, nowMs),
      event(young, 'achievement', { achievementId: 'first_pet', coins: 0 }),
      event(young, 'achievement', { achievementId: 'first_care', coins: 0 }),
      event(young, 'achievement', { achievementId: 'first_care', coins: 0 }),
    );
    assert.deepEqual(await ranks(old, 'pet_age'), [`${old}:1:10`, `${young}:2:2`]);
    // Ages grow with the clock, without a write.
    nowMs += 3 * DAY_MS;
    assert.deepEqual(await ranks(old, 'pet_age'), [`${old}:1:13`, `${young}:2:5`]);
    assert.deepEqual(await ranks(old, 'achievements'), [`${young}:1:2`]);
    await assert.rejects(read(old, 'pet_age', { period: 'weekly' }), (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED');
    await assert.rejects(read(old, 'achievements', { period: 'weekly' }), (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED');
  });

  it('hides excluded and banned players from every board, closes the ranks up, and restores them', async () => {
    const [a, b, c, me] = (await players('ex', 4)) as [string, string, string, string];
    await apply(streak(a, 30), streak(b, 20), streak(c, 20), streak(me, 10), round(a, 50), round(me, 5));
    assert.deepEqual((await read(me, 'streak')).me, { rank: 4, score: 10 });

    await lb.setExcluded(a, true);
    assert.deepEqual(await ranks(me, 'streak'), [`${b}:1:20`, `${c}:1:20`, `${me}:3:10`]);
    assert.deepEqual(await ranks(me, 'game_treats'), [`${me}:1:5`]);
    assert.equal((await read(a, 'streak')).me, null);
    assert.equal((await read(me, 'streak')).total, 3);
    assert.notEqual((await db.kysely.selectFrom('players').select('leaderboard_excluded_at').where('id', '=', a).executeTakeFirstOrThrow()).leaderboard_excluded_at, null);
    // Scores made while excluded are kept, hidden.
    await apply(streak(a, 40, nowMs + 1));
    assert.deepEqual(await ranks(me, 'streak', { period: 'weekly' }), [`${b}:1:20`, `${c}:1:20`, `${me}:3:10`]);
    await assertCountsConsistent();

    // A ban (the admin code sets banned_at, then refreshes) hides b too.
    await db.kysely.updateTable('players').set({ banned_at: nowMs }).where('id', '=', b).execute();
    await lb.refreshVisibility(b);
    assert.deepEqual(await ranks(me, 'streak'), [`${c}:1:20`, `${me}:2:10`]);

    // Back: a with the streak made while away, b once unbanned.
    await lb.setExcluded(a, false);
    assert.deepEqual(await ranks(me, 'streak'), [`${a}:1:40`, `${c}:2:20`, `${me}:3:10`]);
    await db.kysely.updateTable('players').set({ banned_at: null }).where('id', '=', b).execute();
    await lb.refreshVisibility(b);
    assert.deepEqual(await ranks(me, 'streak'), [`${a}:1:40`, `${b}:2:20`, `${c}:2:20`, `${me}:4:10`]);
    assert.deepEqual(await ranks(me, 'game_treats'), [`${a}:1:50`, `${me}:2:5`]);
    // Un-excluding a banned player leaves them hidden until the ban ends.
    await db.kysely.updateTable('players').set({ banned_at: nowMs }).where('id', '=', c).execute();
    await lb.setExcluded(c, true);
    await lb.setExcluded(c, false);
    assert.equal((await read(c, 'streak')).me, null);
    await assertCountsConsistent();
  });

  it('applies a replayed event once (every update is a max or a recount)', async () => {
    const [a] = (await players('replay', 1)) as [string];
    const e = streak(a, 7);
    await apply(e, e, e);
    assert.deepEqual((await read(a, 'streak')).me, { rank: 1, score: 7 });
    await assertCountsConsistent();
  });
});

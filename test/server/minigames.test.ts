import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { MAX_COINS_PER_DAY, MAX_COINS_PER_GAME, MAX_METER_POINTS_PER_GAME, type MinigameKind } from '../../shared/minigames.js';
import { MSG_TAP, ROOM_MESSAGE_BUDGET } from '../../shared/protocol.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { fixedSchedule, localDay } from '../../shared/local-day.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { preAwardAchievements } from '../helpers/economy.js';
import { minigameDriver } from '../helpers/minigames.js';
import { joinHome, nextMessage, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Rounds run on a clock the test moves: the app's wall clock is `now`, and each step ticks
 * the minigame host by hand, so a 30-second round takes milliseconds and taps land exactly.
 */
describeEachDialect('minigames in the home room', (dialect) => {
  let s: TestServer;
  // Frozen at the test clocks' start: only `step` moves it.
  let now = TEST_START_MS;
  const ann = { id: 7001, firstName: 'Ann' };
  const bob = { id: 7002, firstName: 'Bob' };
  let annId: string;
  let petId: string;
  let owner: Room<any>;

  // Set up in `before`, once the server exists: `step` moves the frozen clock and ticks the host.
  let drive: ReturnType<typeof minigameDriver>;
  const step = (ms: number) => drive.step(ms);
  const playPerfectly = (gameId: string, playerId: string) => drive.playPerfectly(gameId, playerId);
  const startGame = (room: Room<any>, kind: MinigameKind) => drive.start(room, petId, kind);

  before(async () => {
    s = await startTestServer({ dialect, now: () => now });
    drive = minigameDriver(s, (ms) => {
      now += ms;
    });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id;
    // Coins here are game payouts only: achievements (first pet, first game) are tested elsewhere.
    await preAwardAchievements(s.app.db.kysely, annId);
    petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Player', species: 'dog' })).body.id;
    const code = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code });
    owner = await joinHome(s, ann);
    await waitFor(() => petView(owner, petId), 'pet');
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('pays a perfect round of Catch the treats its score, capped per game, exactly once', async () => {
    const hungerBefore = petView(owner, petId).hunger as number;
    const over = nextMessage(owner, 'gameOver');
    const gameId = await startGame(owner, 'treats');
    await waitFor(() => owner.state.game.targets.size > 0 || (step(100), false), 'treats to fall');
    const game = playPerfectly(gameId, annId);
    const message = await over;
    assert.equal(message.gameId, gameId);
    assert.equal(message.reason, 'time');
    assert.equal(message.score, message.maxScore);
    assert.ok(message.score >= 20, `score ${message.score}`);
    assert.equal(message.rewards.coins, Math.min(message.score, MAX_COINS_PER_GAME));
    assert.equal(message.rewards.meter, 'hunger');
    assert.equal(message.rewards.careBonus, 1);
    assert.equal(message.rewards.capped, message.score > MAX_COINS_PER_GAME || 2 * message.score > MAX_METER_POINTS_PER_GAME);
    assert.equal(message.rewards.dailyCapReached, false);
    await waitFor(() => owner.state.coins === message.rewards.coins, 'coins in the room');
    await waitFor(() => petView(owner, petId).hunger > hungerBefore, 'hunger to rise');
    assert.equal(message.rewards.meterPoints, Math.min(MAX_METER_POINTS_PER_GAME, 100 - hungerBefore) > 0 ? message.rewards.meterPoints : 0);
    assert.equal(await s.app.minigames.finish(game), false, 'a second end pays nothing');
    const row = await s.app.db.kysely.selectFrom('minigame_sessions').selectAll().where('id', '=', gameId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'finished');
    assert.equal(row.score, message.score);
    assert.equal(row.suspicious, 0);
    const me = (await s.api(ann, 'GET', '/api/v1/me')).body;
    assert.equal(me.coins, message.rewards.coins);
  });

  it('scores nothing for a 1,000-taps-a-second bot, replays and empty taps, counts them, and drops what goes over the budget', async () => {
    const gameId = await startGame(owner, 'bubbles');
    step(1000);
    const results: any[] = [];
    const errors: string[] = [];
    owner.onMessage('tapResult', (r) => results.push(r));
    owner.onMessage('error', (e: { code: string }) => errors.push(e.code));
    // Within the room's tap budget (a burst of 30), every tap is answered...
    const burst = ROOM_MESSAGE_BUDGET.perType[MSG_TAP]!.burst - 5;
    for (let seq = 0; seq < burst; seq++) owner.send('tap', { gameId, seq, x: (seq % 10) / 10, y: 0.05 });
    owner.send('tap', { gameId, seq: 5, x: 0.5, y: 0.5 });
    await waitFor(() => results.length >= burst + 1, 'every tap answered');
    assert.ok(results.every((r) => r.outcome !== 'hit'), 'nothing to hit at the top of a bubble bath');
    assert.ok(results.some((r) => r.outcome === 'too_fast'));
    assert.equal(results.at(-1).outcome, 'duplicate');
    // ...and a flood beyond it is dropped before the game sees it, with a RATE_LIMITED notice.
    for (let seq = burst; seq < burst + 300; seq++) owner.send('tap', { gameId, seq, x: 0.5, y: 0.05 });
    await waitFor(() => errors.includes('RATE_LIMITED'), 'a RATE_LIMITED notice');
    // The budget refills at its rate: after a pause the quit gets through.
    await new Promise((r) => setTimeout(r, 2500));
    const over = nextMessage(owner, 'gameOver');
    owner.send('gameQuit', { gameId });
    const message = await over;
    assert.equal(message.reason, 'quit');
    assert.equal(message.score, 0);
    assert.equal(message.rewards.coins, 0);
    const row = await s.app.db.kysely.selectFrom('minigame_sessions').selectAll().where('id', '=', gameId).executeTakeFirstOrThrow();
    assert.equal(row.taps, results.length);
    assert.equal(row.suspicious, results.length);
    assert.ok(row.taps < burst + 301, `${row.taps} taps reached the game of ${burst + 301} sent`);
  });

  it('refuses taps after the end with GAME_OVER', async () => {
    const gameId = await startGame(owner, 'treats');
    const over = nextMessage(owner, 'gameOver');
    owner.send('gameQuit', { gameId });
    await over;
    const error = nextMessage(owner, 'error');
    owner.send('tap', { gameId, seq: 1, x: 0.5, y: 0.5 });
    assert.equal((await error).code, 'GAME_OVER');
  });

  it('lets a friend watch the game live but not tap or start one', async () => {
    const spectator = await joinHome(s, bob, annId);
    const gameId = await startGame(owner, 'ball');
    step(1500);
    await waitFor(() => spectator.state.game?.id === gameId && spectator.state.game.targets.size === 1, 'the ball for the spectator');
    const error = nextMessage(spectator, 'error');
    spectator.send('tap', { gameId, seq: 1, x: 0.5, y: 1.3 });
    assert.equal((await error).code, 'FORBIDDEN');
    const again = nextMessage(spectator, 'error');
    spectator.send('gameStart', { petId, kind: 'treats' });
    assert.equal((await again).code, 'FORBIDDEN');
    const busy = nextMessage(owner, 'error');
    owner.send('gameStart', { petId, kind: 'treats' });
    assert.equal((await busy).code, 'GAME_IN_PROGRESS');
    const over = nextMessage(spectator, 'gameOver');
    owner.send('gameQuit', { gameId });
    assert.equal((await over).gameId, gameId);
    await spectator.leave();
  });

  it('ends a round the player walks away from, paying what was scored once', async () => {
    const cleo = { id: 7003, firstName: 'Cleo' };
    await preAwardAchievements(s.app.db.kysely, (await s.api(cleo, 'GET', '/api/v1/me')).body.id);
    const cleoPet = (await s.api(cleo, 'POST', '/api/v1/pets', { name: 'Left' })).body;
    const room = await joinHome(s, cleo);
    room.send('gameStart', { petId: cleoPet.id, kind: 'treats' });
    await waitFor(() => room.state.game?.status === 'running', 'start');
    const gameId = room.state.game.id as string;
    step(3000);
    const game = s.app.games.get(gameId);
    assert.ok(game);
    const { Position } = s.app.games.world.components;
    const eid = [...game.session.targets][0] as number;
    s.app.minigames.tap(cleoPet.ownerId, gameId, 1, Position.x[eid] as number, Position.y[eid] as number);
    await room.leave();
    await waitFor(() => !s.app.games.get(gameId), 'the round to end');
    await s.app.minigames.settled();
    const row = await s.app.db.kysely.selectFrom('minigame_sessions').selectAll().where('id', '=', gameId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'abandoned');
    assert.equal(row.score, 1);
    assert.equal(row.reward_coins, 1);
    assert.equal(await s.app.minigames.finish(game), false);
    assert.equal((await s.api(cleo, 'GET', '/api/v1/me')).body.coins, 1);
  });

  it('caps coins per day', async () => {
    const day = localDay(fixedSchedule(0), s.app.sim.clock);
    const earlier = await s.app.db.kysely
      .selectFrom('minigame_sessions')
      .select((eb) => eb.fn.sum<number>('reward_coins').as('coins'))
      .where('player_id', '=', annId)
      .where('game_day', '=', day)
      .executeTakeFirstOrThrow();
    const used = MAX_COINS_PER_DAY - 5 - Number(earlier.coins ?? 0);
    await s.app.db.kysely
      .insertInto('minigame_sessions')
      .values({
        id: 'earlier-today', player_id: annId, pet_id: petId, kind: 'treats', seed: 1, status: 'finished', score: used, taps: used,
        suspicious: 0, reward_coins: used, reward_points: 0, reward_bonus: 1, game_day: day, started_at: now, ended_at: now,
      })
      .execute();
    const coinsBefore = (await s.api(ann, 'GET', '/api/v1/me')).body.coins;
    const over = nextMessage(owner, 'gameOver');
    const gameId = await startGame(owner, 'treats');
    playPerfectly(gameId, annId);
    const message = await over;
    assert.ok(message.score > 5);
    assert.equal(message.rewards.coins, 5);
    assert.equal(message.rewards.capped, true);
    assert.equal(message.rewards.dailyCapReached, true);
    assert.equal(message.rewards.careBonus, 0, 'two offsets a day at most');
    assert.equal((await s.api(ann, 'GET', '/api/v1/me')).body.coins, coinsBefore + 5);
  });

  it('will not start a game while the pet sleeps', async () => {
    // The night comes to the pet: the clock moves on to 23:00 (the owner is at UTC+0).
    now += ((23 * 3600 - (s.app.sim.clock % 86400) + 86400) % 86400) * 1000;
    await waitFor(() => petView(owner, petId).asleep === true || (s.app.sim.tick(), false), 'the pet to fall asleep');
    const error = nextMessage(owner, 'error');
    owner.send('gameStart', { petId, kind: 'treats' });
    assert.equal((await error).code, 'PET_ASLEEP');
  });

  it('refuses malformed game messages', async () => {
    // A connection of its own: its message budget is untouched by the rounds before.
    const probe = await joinHome(s, ann);
    for (const [type, payload] of [
      ['gameStart', { petId, kind: 'chess' }],
      ['tap', { gameId: 'x', seq: -1, x: 0, y: 0 }],
      ['tap', { gameId: 'x', seq: 1, x: 9, y: 0 }],
      ['gameQuit', {}],
    ] as const) {
      const error = nextMessage(probe, 'error');
      probe.send(type, payload);
      assert.equal((await error).code, 'BAD_MESSAGE', `${type} ${JSON.stringify(payload)}`);
    }
    const error = nextMessage(probe, 'error');
    probe.send('tap', { gameId: 'no-such-game', seq: 1, x: 0.5, y: 0.5 });
    assert.equal((await error).code, 'GAME_NOT_FOUND');
    await probe.leave();
  });
});

import assert from 'node:assert/strict';
import { BALL, MAX_TAPS_PER_SECOND, MINIGAMES, MINIGAME_KINDS, MINIGAME_TICK_HZ, type MinigameKind } from '../../shared/minigames.js';
import { createGameWorld, startSession, tapAt, tickGames, TARGET_BALL, type GameSession, type GameWorld } from '../../sim/minigames/index.js';

const DT = 1 / MINIGAME_TICK_HZ;

/** Runs a whole round; `player` may tap between ticks (at `world.time + offset`). */
function playRound(kind: MinigameKind, seed: number, player: (world: GameWorld, session: GameSession) => void): GameSession {
  const world = createGameWorld();
  const session = startSession(world, kind, seed);
  for (let i = 0; !session.ended && i < 10_000; i++) {
    tickGames(world, DT);
    player(world, session);
  }
  assert.ok(session.ended, 'the round ends by itself');
  return session;
}

/** Taps every target where it is, right after each tick; the ball only inside the hit zone. */
function perfectPlayer(): (world: GameWorld, session: GameSession) => void {
  let seq = 0;
  return (world, session) => {
    const { Position, Target } = world.components;
    for (const eid of [...session.targets]) {
      const y = Position.y[eid] as number;
      if (Target.kind[eid] === TARGET_BALL && (y < BALL.zoneTop || y > BALL.zoneBottom || (world.components.Velocity.y[eid] as number) < 0)) continue;
      tapAt(world, session, seq++, Position.x[eid] as number, y, world.time + 0.01);
    }
  };
}

describe('minigames (sim)', () => {
  for (const kind of MINIGAME_KINDS) {
    it(`${kind}: a scripted perfect player scores the maximum`, () => {
      const session = playRound(kind, 7, perfectPlayer());
      assert.ok(session.maxScore >= 10, `a round has something to catch (max ${session.maxScore})`);
      assert.equal(session.score, session.maxScore);
      assert.equal(session.suspicious, 0);
      assert.equal(session.ended, 'time');
    });
  }

  it('spawns the same round for the same seed and a different one for another', () => {
    const spawns = (seed: number) => {
      const world = createGameWorld();
      const session = startSession(world, 'treats', seed);
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        tickGames(world, DT);
        for (const eid of session.targets) seen.push(`${world.components.Target.publicId[eid]}:${(world.components.Position.x[eid] as number).toFixed(6)}`);
      }
      return seen.join(',');
    };
    assert.equal(spawns(1), spawns(1));
    assert.notEqual(spawns(1), spawns(2));
  });

  it('a bot tapping 1,000 times a second everywhere earns no more than a perfect player', () => {
    const perfect = playRound('treats', 11, perfectPlayer()).score;
    let seq = 0;
    const bot = playRound('treats', 11, (world, session) => {
      // 50 taps per tick at 20 Hz: a grid over the whole field.
      for (let i = 0; i < 50; i++) tapAt(world, session, seq++, (i % 10) / 10 + 0.05, Math.floor(i / 10) * 0.3 + 0.1, world.time + i / 1000);
    });
    assert.ok(bot.score <= perfect, `bot ${bot.score} vs perfect ${perfect}`);
    assert.ok(bot.suspicious > bot.taps * 0.9, 'almost every tap is suspicious');
    const legit = MAX_TAPS_PER_SECOND * MINIGAMES.treats.durationS;
    assert.ok(bot.taps - bot.suspicious <= legit);
  });

  it('scores nothing for taps on empty space, replays and taps after the end', () => {
    const world = createGameWorld();
    const session = startSession(world, 'treats', 3);
    for (let i = 0; i < 40; i++) tickGames(world, DT);
    const eid = [...session.targets][0] as number;
    const { Position } = world.components;
    const x = Position.x[eid] as number;
    const y = Position.y[eid] as number;
    assert.deepEqual(tapAt(world, session, 1, 0.99, 1.59, world.time), { kind: 'miss', reason: 'empty' });
    const hit = tapAt(world, session, 2, x, y, world.time);
    assert.equal(hit.kind, 'hit');
    assert.deepEqual(tapAt(world, session, 2, x, y, world.time), { kind: 'miss', reason: 'duplicate' });
    assert.equal(session.score, 1);
    while (!session.ended) tickGames(world, DT);
    assert.deepEqual(tapAt(world, session, 3, 0.5, 0.5, world.time), { kind: 'over' });
    assert.equal(session.score, 1);
    assert.equal(session.suspicious, 3);
  });

  it('accepts a tap that arrives a little after the target moved on', () => {
    const world = createGameWorld();
    const session = startSession(world, 'treats', 5);
    for (let i = 0; i < 30; i++) tickGames(world, DT);
    const eid = [...session.targets][0] as number;
    const { Position } = world.components;
    // The player tapped where the treat was; the tap reaches the server 150 ms later.
    const result = tapAt(world, session, 1, Position.x[eid] as number, Position.y[eid] as number, world.time + 0.15);
    assert.equal(result.kind, 'hit');
  });

  it('counts ball combos and only inside the hit zone', () => {
    const session = playRound('ball', 9, perfectPlayer());
    assert.ok(session.combo >= 3, `combo ${session.combo}`);
  });

  it('never lets a ball score pass the maximum, even with hits just above the zone', () => {
    // Taps as early as the tolerance allows: above the zone's top edge on the way down.
    for (const seed of [1, 2, 3, 4, 5]) {
      let seq = 0;
      const session = playRound('ball', seed, (world, s) => {
        const { Position, Velocity } = world.components;
        for (const eid of [...s.targets]) {
          const y = Position.y[eid] as number;
          if ((Velocity.y[eid] as number) > 0 && y > BALL.zoneTop - 0.05 && y < BALL.zoneBottom) {
            tapAt(world, s, seq++, Position.x[eid] as number, y, world.time);
          }
        }
      });
      assert.ok(session.score <= session.maxScore, `seed ${seed}: ${session.score} > ${session.maxScore}`);
      assert.ok(session.score > 0);
    }
  });
});

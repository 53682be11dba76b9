import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { BALL, type MinigameKind } from '../../shared/minigames.js';
import { TARGET_BALL } from '../../sim/minigames/index.js';
import { waitFor } from './rooms.js';
import type { TestServer } from './test-server.js';

/**
 * Drives minigame rounds on a test server whose wall clock the test moves: `advance(ms)`
 * moves that clock; each 50 ms step ticks the minigame host by hand, so a round takes
 * milliseconds and taps land exactly.
 */
export function minigameDriver(s: TestServer, advance: (ms: number) => void) {
  const step = (ms: number) => {
    for (let left = ms; left > 0; left -= 50) {
      advance(Math.min(50, left));
      s.app.games.tick();
    }
  };

  /** Starts a round from the owner's room and resolves with its id once it runs. */
  const start = async (room: Room<any>, petId: string, kind: MinigameKind): Promise<string> => {
    const previous = room.state.game?.id ?? '';
    room.send('gameStart', { petId, kind });
    await waitFor(() => room.state.game?.id && room.state.game.id !== previous && room.state.game.status === 'running', 'the game to start');
    return room.state.game.id as string;
  };

  /** Plays the running round to its end, tapping every target exactly where it is. */
  const playPerfectly = (gameId: string, playerId: string) => {
    let seq = 0;
    const host = s.app.games;
    const game = host.get(gameId);
    assert.ok(game, 'the game runs');
    while (host.get(gameId)) {
      step(50);
      if (!host.get(gameId)) break;
      const { Position, Target, Velocity } = host.world.components;
      for (const eid of [...game.session.targets]) {
        const y = Position.y[eid] as number;
        if (Target.kind[eid] === TARGET_BALL && (y < BALL.zoneTop || y > BALL.zoneBottom || (Velocity.y[eid] as number) < 0)) continue;
        s.app.minigames.tap(playerId, gameId, seq++, Position.x[eid] as number, y);
      }
    }
    return game;
  };

  return { step, start, playPerfectly };
}

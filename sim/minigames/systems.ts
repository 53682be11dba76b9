/**
 * Minigame systems, run at a fixed rate: spawn targets from each session's seeded RNG, move
 * them, expire what was missed, and end sessions whose time is up.
 */
import { query } from 'bitecs';
import { BALL, BUBBLES, FIELD_HEIGHT, FIELD_WIDTH, TREATS } from '../../shared/minigames.js';
import {
  TARGET_BALL,
  TARGET_BUBBLE,
  TARGET_TREAT,
  addTarget,
  endSession,
  removeTarget,
  type GameSession,
  type GameWorld,
} from './game-world.js';

const between = (session: GameSession, lo: number, hi: number) => lo + (hi - lo) * session.rng.next();

/** Targets are not spawned this close to the end: nobody could catch them. */
const LAST_SPAWN_MARGIN_S = 0.75;

/** Spawns what each running session's schedule says is due by `until`, placed exactly in time. */
function spawnTargets(world: GameWorld, until: number): void {
  for (const session of world.sessions.values()) {
    if (session.ended) continue;
    if (session.kind === 'ball') {
      if (session.targets.size === 0 && session.ballRespawnAt <= until) spawnBall(world, session, session.ballRespawnAt, until);
      continue;
    }
    const spec = session.kind === 'treats' ? TREATS : BUBBLES;
    while (session.nextSpawnAt <= until && session.nextSpawnAt <= session.endTime - LAST_SPAWN_MARGIN_S) {
      const at = session.nextSpawnAt;
      const age = until - at;
      if (session.kind === 'treats') {
        const vy = between(session, TREATS.speedMin, TREATS.speedMax);
        addTarget(world, session, TARGET_TREAT, at, between(session, TREATS.xMin, TREATS.xMax), -TREATS.radius + vy * age, 0, vy, TREATS.radius, 0, Infinity);
      } else {
        const vy = -between(session, BUBBLES.riseMin, BUBBLES.riseMax);
        const r = BUBBLES.radiusStart + BUBBLES.growthPerS * age;
        addTarget(world, session, TARGET_BUBBLE, at, between(session, BUBBLES.xMin, BUBBLES.xMax), FIELD_HEIGHT - 0.05 + vy * age, 0, vy, r, BUBBLES.growthPerS, at + BUBBLES.lifeS);
      }
      session.maxScore += 1;
      session.nextSpawnAt = at + between(session, spec.spawnEveryMinS, spec.spawnEveryMaxS);
    }
  }
}

function spawnBall(world: GameWorld, session: GameSession, at: number, now: number): void {
  const side = session.rng.next() < 0.5 ? -1 : 1;
  const vx = side * between(session, BALL.sideSpeedMin, BALL.sideSpeedMax);
  const age = now - at;
  addTarget(world, session, TARGET_BALL, at, 0.5 + vx * age, BALL.startY + 0.5 * BALL.gravity * age * age, vx, BALL.gravity * age, BALL.radius, 0, Infinity);
  session.ballRespawnAt = Infinity;
}

/**
 * Moves every target by `dt`: straight lines for treats and bubbles (bubbles grow), a
 * parabola with wall bounces for the ball. A ball entering the hit zone adds what a perfect
 * player would score there to the session's maximum.
 */
function moveTargets(world: GameWorld, dt: number): void {
  const { Target, Position, Velocity, Radius } = world.components;
  const eids = query(world, [Target, Position]);
  for (let k = 0; k < eids.length; k++) {
    const eid = eids[k] as number;
    const x = Position.x[eid] as number;
    const y = Position.y[eid] as number;
    const vy = Velocity.y[eid] as number;
    if (Target.kind[eid] !== TARGET_BALL) {
      Position.x[eid] = x + (Velocity.x[eid] as number) * dt;
      Position.y[eid] = y + vy * dt;
      Radius.r[eid] = (Radius.r[eid] as number) + (Radius.dr[eid] as number) * dt;
      continue;
    }
    const r = Radius.r[eid] as number;
    let nx = x + (Velocity.x[eid] as number) * dt;
    if (nx < r) {
      nx = 2 * r - nx;
      Velocity.x[eid] = Math.abs(Velocity.x[eid] as number);
    } else if (nx > FIELD_WIDTH - r) {
      nx = 2 * (FIELD_WIDTH - r) - nx;
      Velocity.x[eid] = -Math.abs(Velocity.x[eid] as number);
    }
    const ny = y + vy * dt + 0.5 * BALL.gravity * dt * dt;
    Position.x[eid] = nx;
    Position.y[eid] = ny;
    Velocity.y[eid] = vy + BALL.gravity * dt;
    if (y < BALL.zoneTop && ny >= BALL.zoneTop) {
      const session = world.sessions.get(Target.session[eid] as number);
      if (session) countBallPass(session);
    }
  }
}

/**
 * Adds a pass of the ball through the hit zone to what a perfect player scores, once per
 * pass: when the ball enters the zone, or earlier if it is hit just above it (taps have a
 * tolerance), so a score can never exceed `maxScore`.
 */
export function countBallPass(session: GameSession): void {
  if (session.ballPassCounted) return;
  session.ballPassCounted = true;
  session.perfectCombo += 1;
  session.maxScore += Math.min(session.perfectCombo, BALL.maxComboPoints);
}

/** Removes targets that were missed: treats and balls that fell out, bubbles that burst. */
function expireTargets(world: GameWorld): void {
  const { Target, Position, Radius } = world.components;
  for (const session of world.sessions.values()) {
    if (session.ended) continue;
    for (const eid of [...session.targets]) {
      const kind = Target.kind[eid] as number;
      const below = (Position.y[eid] as number) - (Radius.r[eid] as number) > FIELD_HEIGHT;
      if (kind === TARGET_BUBBLE ? world.time >= (Target.expiresAt[eid] as number) : below) {
        removeTarget(world, session, eid);
        if (kind === TARGET_BALL) {
          session.combo = 0;
          session.ballRespawnAt = world.time + BALL.respawnDelayS;
          session.ballPassCounted = false;
        }
      } else if (kind === TARGET_BUBBLE && (Position.y[eid] as number) + (Radius.r[eid] as number) < 0) {
        removeTarget(world, session, eid);
      }
    }
  }
}

/** Ends the sessions whose time is up. */
function endExpiredSessions(world: GameWorld): void {
  for (const session of world.sessions.values()) {
    if (!session.ended && world.time >= session.endTime) endSession(world, session, 'time');
  }
}

/** One fixed-rate step of every game: spawn, move, expire, end. */
export function tickGames(world: GameWorld, dtSeconds: number): void {
  if (!(dtSeconds > 0)) return;
  const until = world.time + dtSeconds;
  moveTargets(world, dtSeconds);
  world.time = until;
  spawnTargets(world, until);
  expireTargets(world);
  endExpiredSessions(world);
}

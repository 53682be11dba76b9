/**
 * Tap validation: a tap scores only if a target of the tapper's session was where the tap
 * landed at the time the server received it, allowing for the tap's trip over the network.
 * Replayed taps, taps faster than a human can tap, taps on nothing and taps after the end
 * score nothing and are counted as suspicious.
 */
import {
  BALL,
  FIELD_WIDTH,
  MAX_TAPS_PER_SECOND,
  TAP_LATENCY_ALLOWANCE_S,
  TAP_TOLERANCE,
} from '../../shared/minigames.js';
import { TARGET_BALL, removeTarget, type GameSession, type GameWorld } from './game-world.js';
import { countBallPass } from './systems.js';

export type TapOutcome =
  | { kind: 'hit'; targetId: number; points: number; score: number; combo: number }
  | { kind: 'miss'; reason: 'empty' | 'too_fast' | 'duplicate' | 'out_of_zone' }
  | { kind: 'over' };

interface Point {
  x: number;
  y: number;
}

/** Where target `eid` is `dt` seconds after the world's current time (negative: before). */
function positionAt(world: GameWorld, eid: number, dt: number, out: Point): Point {
  const { Target, Position, Velocity } = world.components;
  const gravity = Target.kind[eid] === TARGET_BALL ? BALL.gravity : 0;
  out.x = (Position.x[eid] as number) + (Velocity.x[eid] as number) * dt;
  out.y = (Position.y[eid] as number) + (Velocity.y[eid] as number) * dt + 0.5 * gravity * dt * dt;
  return out;
}

const a: Point = { x: 0, y: 0 };
const b: Point = { x: 0, y: 0 };

/** Distance from p to segment ab and the parameter (0..1) of the closest point. */
function segmentDistance(px: number, py: number, s: Point, e: Point): { distance: number; u: number } {
  const dx = e.x - s.x;
  const dy = e.y - s.y;
  const len2 = dx * dx + dy * dy;
  let u = len2 > 0 ? ((px - s.x) * dx + (py - s.y) * dy) / len2 : 0;
  u = u < 0 ? 0 : u > 1 ? 1 : u;
  const cx = s.x + u * dx;
  const cy = s.y + u * dy;
  return { distance: Math.hypot(px - cx, py - cy), u };
}

/**
 * Handles a tap of `session` at field point (x, y), received at game-world time `at`
 * (usually a little after the last tick). Mutates the session and its targets.
 */
export function tapAt(world: GameWorld, session: GameSession, seq: number, x: number, y: number, at: number): TapOutcome {
  if (session.ended) {
    session.suspicious += 1;
    return { kind: 'over' };
  }
  session.taps += 1;
  if (seq <= session.lastSeq) {
    session.suspicious += 1;
    return { kind: 'miss', reason: 'duplicate' };
  }
  session.lastSeq = seq;
  const recent = session.recentTaps;
  recent.push(at);
  while (recent.length > 0 && (recent[0] as number) <= at - 1) recent.shift();
  if (recent.length > MAX_TAPS_PER_SECOND) {
    // Keep the window bounded: a flood stays throttled without growing memory.
    if (recent.length > 4 * MAX_TAPS_PER_SECOND) recent.splice(0, recent.length - 4 * MAX_TAPS_PER_SECOND);
    session.suspicious += 1;
    return { kind: 'miss', reason: 'too_fast' };
  }

  const { Target, Radius } = world.components;
  let best = -1;
  let bestDistance = Infinity;
  let bestInZone = false;
  for (const eid of session.targets) {
    const from = Math.max(Target.bornAt[eid] as number, at - TAP_LATENCY_ALLOWANCE_S);
    if (from > at) continue;
    positionAt(world, eid, from - world.time, a);
    positionAt(world, eid, at - world.time, b);
    const radius = Math.max(0, (Radius.r[eid] as number) + (Radius.dr[eid] as number) * (at - world.time));
    const { distance, u } = segmentDistance(x, y, a, b);
    if (distance > radius + TAP_TOLERANCE || distance >= bestDistance) continue;
    best = eid;
    bestDistance = distance;
    const cy = a.y + u * (b.y - a.y);
    bestInZone = Target.kind[eid] !== TARGET_BALL || (cy >= BALL.zoneTop - TAP_TOLERANCE && cy <= BALL.zoneBottom + TAP_TOLERANCE);
  }
  if (best < 0) {
    session.suspicious += 1;
    return { kind: 'miss', reason: 'empty' };
  }
  if (!bestInZone) return { kind: 'miss', reason: 'out_of_zone' };

  const targetId = Target.publicId[best] as number;
  if (Target.kind[best] !== TARGET_BALL) {
    removeTarget(world, session, best);
    session.score += 1;
    return { kind: 'hit', targetId, points: 1, score: session.score, combo: session.combo };
  }
  countBallPass(session);
  session.combo += 1;
  const points = Math.min(session.combo, BALL.maxComboPoints);
  session.score += points;
  kickBall(world, session, best, at);
  // Kicked back up: its next way down is a new pass.
  session.ballPassCounted = false;
  return { kind: 'hit', targetId, points, score: session.score, combo: session.combo };
}

/** Sends the ball back up from where it was hit, in a seeded direction. */
function kickBall(world: GameWorld, session: GameSession, eid: number, at: number): void {
  const { Position, Velocity, Radius } = world.components;
  positionAt(world, eid, at - world.time, a);
  const r = Radius.r[eid] as number;
  const rng = session.rng;
  const side = rng.next() < 0.5 ? -1 : 1;
  Position.x[eid] = Math.min(Math.max(a.x, r), FIELD_WIDTH - r);
  Position.y[eid] = Math.min(a.y, BALL.zoneBottom);
  Velocity.x[eid] = side * (BALL.sideSpeedMin + (BALL.sideSpeedMax - BALL.sideSpeedMin) * rng.next());
  Velocity.y[eid] = -(BALL.kickSpeedMin + (BALL.kickSpeedMax - BALL.kickSpeedMin) * rng.next());
}

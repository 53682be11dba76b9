/**
 * The minigame world: a bitECS world of game sessions and the moving targets they spawn
 * (treats, bubbles, the ball). Positions, velocities and radii are typed-array components
 * on the world; per-session bookkeeping (score, combo, anti-cheat counters, the seeded RNG)
 * lives in a session record keyed by the session's entity id. Time is real seconds since
 * the world was created; the host ticks it at `MINIGAME_TICK_HZ`.
 */
import { addComponent, addEntity, createWorld, removeEntity, type World } from 'bitecs';
import { MINIGAMES, type MinigameKind } from '../../shared/minigames.js';
import { createRng, type Rng } from '../rng.js';

/** Target kinds as stored on the world: indices into shared/minigames.ts's `TARGET_KINDS`. */
export const TARGET_TREAT = 0;
export const TARGET_BUBBLE = 1;
export const TARGET_BALL = 2;

function createComponents(capacity: number) {
  return {
    /** Tag: the entity is a game session. */
    Session: {},
    Target: {
      kind: new Uint8Array(capacity),
      /** Entity id of the session the target belongs to. */
      session: new Uint32Array(capacity),
      /** Id shown to clients, unique within its session. */
      publicId: new Uint32Array(capacity),
      bornAt: new Float64Array(capacity),
      /** Bubbles burst at this time; Infinity for the others. */
      expiresAt: new Float64Array(capacity),
    },
    Position: { x: new Float64Array(capacity), y: new Float64Array(capacity) },
    Velocity: { x: new Float64Array(capacity), y: new Float64Array(capacity) },
    /** Radius and its growth per second. */
    Radius: { r: new Float64Array(capacity), dr: new Float64Array(capacity) },
  };
}

type GameComponents = ReturnType<typeof createComponents>;

export type GameEndReason = 'time' | 'quit' | 'left';

export interface GameSession {
  eid: number;
  kind: MinigameKind;
  rng: Rng;
  startTime: number;
  endTime: number;
  score: number;
  /** Consecutive ball hits. */
  combo: number;
  /** The combo a perfect player would have (ball), to compute `maxScore`. */
  perfectCombo: number;
  /** What a perfect player would have scored so far. */
  maxScore: number;
  taps: number;
  suspicious: number;
  /** Highest tap sequence number seen; lower or equal ones are replays. */
  lastSeq: number;
  /** Server times of the most recent taps, for the rate limit. */
  recentTaps: number[];
  nextSpawnAt: number;
  /** Ball: when the next ball appears after one was dropped (Infinity while one is in play). */
  ballRespawnAt: number;
  /** Ball: whether the current pass through the hit zone has been added to `maxScore`. */
  ballPassCounted: boolean;
  nextPublicId: number;
  targets: Set<number>;
  ended: GameEndReason | null;
}

interface GameWorldContext {
  time: number;
  capacity: number;
  components: GameComponents;
  sessions: Map<number, GameSession>;
  /** Sessions that ended during the last tick (drained by the host). */
  ended: GameSession[];
}

export type GameWorld = World<GameWorldContext>;

export function createGameWorld(options: { capacity?: number; startTime?: number } = {}): GameWorld {
  const capacity = Math.max(64, options.capacity ?? 4096);
  return createWorld<GameWorldContext>({
    time: options.startTime ?? 0,
    capacity,
    components: createComponents(capacity),
    sessions: new Map(),
    ended: [],
  });
}

type NumberArray = Float64Array | Uint32Array | Uint8Array;

function grow(store: Record<string, NumberArray>, length: number): void {
  for (const key of Object.keys(store)) {
    const arr = store[key] as NumberArray;
    const next = new (arr.constructor as new (n: number) => NumberArray)(length);
    next.set(arr);
    store[key] = next;
  }
}

function ensureGameCapacity(world: GameWorld, eid: number): void {
  if (eid < world.capacity) return;
  let length = world.capacity * 2;
  while (eid >= length) length *= 2;
  const c = world.components;
  for (const store of [c.Target, c.Position, c.Velocity, c.Radius]) grow(store, length);
  world.capacity = length;
}

/** Starts a session of `kind` now, seeded so the same seed gives the same round. */
export function startSession(world: GameWorld, kind: MinigameKind, seed: number): GameSession {
  const eid = addEntity(world);
  ensureGameCapacity(world, eid);
  addComponent(world, eid, world.components.Session);
  const session: GameSession = {
    eid,
    kind,
    rng: createRng(seed),
    startTime: world.time,
    endTime: world.time + MINIGAMES[kind].durationS,
    score: 0,
    combo: 0,
    perfectCombo: 0,
    maxScore: 0,
    taps: 0,
    suspicious: 0,
    lastSeq: -1,
    recentTaps: [],
    nextSpawnAt: world.time,
    ballRespawnAt: world.time,
    ballPassCounted: false,
    nextPublicId: 1,
    targets: new Set(),
    ended: null,
  };
  world.sessions.set(eid, session);
  return session;
}

/** Adds a target to a session at time `at` (spawns between ticks are placed exactly). */
export function addTarget(
  world: GameWorld,
  session: GameSession,
  kind: number,
  at: number,
  x: number,
  y: number,
  vx: number,
  vy: number,
  r: number,
  dr: number,
  expiresAt: number,
): number {
  const eid = addEntity(world);
  ensureGameCapacity(world, eid);
  const { Target, Position, Velocity, Radius } = world.components;
  addComponent(world, eid, Target);
  addComponent(world, eid, Position);
  addComponent(world, eid, Velocity);
  addComponent(world, eid, Radius);
  Target.kind[eid] = kind;
  Target.session[eid] = session.eid;
  Target.publicId[eid] = session.nextPublicId++;
  Target.bornAt[eid] = at;
  Target.expiresAt[eid] = expiresAt;
  Position.x[eid] = x;
  Position.y[eid] = y;
  Velocity.x[eid] = vx;
  Velocity.y[eid] = vy;
  Radius.r[eid] = r;
  Radius.dr[eid] = dr;
  session.targets.add(eid);
  return eid;
}

export function removeTarget(world: GameWorld, session: GameSession, eid: number): void {
  session.targets.delete(eid);
  removeEntity(world, eid);
}

/** Ends a session (idempotent): its targets go, it is reported once in `world.ended`. */
export function endSession(world: GameWorld, session: GameSession, reason: GameEndReason): void {
  if (session.ended) return;
  session.ended = reason;
  for (const eid of session.targets) removeEntity(world, eid);
  session.targets.clear();
  world.ended.push(session);
}

/** Forgets an ended session entirely. */
export function dropSession(world: GameWorld, session: GameSession): void {
  endSession(world, session, session.ended ?? 'left');
  world.sessions.delete(session.eid);
  removeEntity(world, session.eid);
}

/**
 * The minigame host owns this process's game world: it ticks every running session at
 * `MINIGAME_TICK_HZ` (only while there are sessions), timestamps taps with the time the
 * server received them, tells subscribers (home rooms) after each tick, and hands ended
 * sessions to whoever pays them out.
 */
import type { Logger } from 'pino';
import { MINIGAME_TICK_HZ, TARGET_KINDS, type MinigameKind } from '../../shared/minigames.js';
import type { TargetView } from '../../shared/room-state.js';
import { KeyedListeners } from '../util/listeners.js';
import {
  createGameWorld,
  dropSession,
  endSession,
  startSession,
  tapAt,
  tickGames,
  type GameEndReason,
  type GameSession,
  type GameWorld,
  type TapOutcome,
} from '../../sim/minigames/index.js';

export interface HostedGame {
  id: string;
  ownerId: string;
  playerId: string;
  petId: string;
  kind: MinigameKind;
  /** The player's local day the round counts in (daily caps), fixed when it starts. */
  gameDay: number;
  session: GameSession;
  /** Wall-clock ms of the start and the planned end. */
  startedAt: number;
  endsAt: number;
}

export interface GameListener {
  /** After every tick while the owner's game runs (and once when it ends). */
  onGameTick(game: HostedGame): void;
}

export type EndedHandler = (game: HostedGame) => void;

export class MinigameHost {
  readonly world: GameWorld;
  private readonly games = new Map<string, HostedGame>();
  private readonly byOwner = new Map<string, HostedGame>();
  private readonly bySession = new Map<number, HostedGame>();
  private readonly listeners = new KeyedListeners<string, GameListener>();
  private timer: NodeJS.Timeout | null = null;
  /** Wall-clock ms that `world.time` corresponds to. */
  private worldAt: number;
  private readonly now: () => number;
  private onEnded: EndedHandler = () => undefined;
  lastTickMs = 0;

  constructor(private readonly deps: { logger: Logger; now?: () => number }) {
    this.now = deps.now ?? Date.now;
    this.worldAt = this.now();
    this.world = createGameWorld();
  }

  /** Who pays out ended games (set once by the composition root). */
  setEndedHandler(handler: EndedHandler): void {
    this.onEnded = handler;
  }

  get runningCount(): number {
    return this.games.size;
  }

  /** The owner's running game, if any. */
  gameOf(ownerId: string): HostedGame | undefined {
    return this.byOwner.get(ownerId);
  }

  get(gameId: string): HostedGame | undefined {
    return this.games.get(gameId);
  }

  start(game: Omit<HostedGame, 'session' | 'startedAt' | 'endsAt'>, seed: number): HostedGame {
    this.catchUp();
    const session = startSession(this.world, game.kind, seed);
    const hosted: HostedGame = {
      ...game,
      session,
      startedAt: this.worldAt,
      endsAt: this.worldAt + (session.endTime - session.startTime) * 1000,
    };
    this.games.set(hosted.id, hosted);
    this.byOwner.set(hosted.ownerId, hosted);
    this.bySession.set(session.eid, hosted);
    this.ensureTicking();
    return hosted;
  }

  /** A tap of the game's player, timed when the server received it. */
  tap(game: HostedGame, seq: number, x: number, y: number): TapOutcome {
    const receivedAt = this.world.time + Math.max(0, (this.now() - this.worldAt) / 1000);
    return tapAt(this.world, game.session, seq, x, y, receivedAt);
  }

  /** Ends a game early (quit, the player left); paid like a finished one, once. */
  end(game: HostedGame, reason: GameEndReason): void {
    endSession(this.world, game.session, reason);
    this.drainEnded();
  }

  subscribe(ownerId: string, listener: GameListener): () => void {
    return this.listeners.add(ownerId, listener);
  }

  /** The targets of a game as they are now (positions at the last tick, velocities to extrapolate). */
  targets(game: HostedGame): TargetView[] {
    const { Target, Position, Velocity, Radius } = this.world.components;
    const out: TargetView[] = [];
    for (const eid of game.session.targets) {
      out.push({
        id: String(Target.publicId[eid]),
        kind: TARGET_KINDS[Target.kind[eid] as number] ?? 'treat',
        x: Position.x[eid] as number,
        y: Position.y[eid] as number,
        vx: Velocity.x[eid] as number,
        vy: Velocity.y[eid] as number,
        r: Radius.r[eid] as number,
        dr: Radius.dr[eid] as number,
      });
    }
    return out;
  }

  /** Wall-clock ms that the positions from `targets()` refer to. */
  get sampledAt(): number {
    return this.worldAt;
  }

  private ensureTicking(): void {
    if (this.timer) return;
    this.worldAt = this.now();
    this.timer = setInterval(() => this.tick(), 1000 / MINIGAME_TICK_HZ);
  }

  /** Advances the game world to the wall clock in fixed steps (at most a second's worth). */
  private catchUp(): void {
    const step = 1 / MINIGAME_TICK_HZ;
    const nowMs = this.now();
    let behind = (nowMs - this.worldAt) / 1000;
    if (this.games.size === 0) {
      this.worldAt = nowMs;
      return;
    }
    let steps = 0;
    while (behind >= step && steps < MINIGAME_TICK_HZ) {
      tickGames(this.world, step);
      this.worldAt += step * 1000;
      behind -= step;
      steps++;
    }
    // After a long stall, skip ahead rather than replay: the round's clock is real time.
    if (behind >= step) {
      tickGames(this.world, behind);
      this.worldAt = nowMs;
    }
  }

  tick(): void {
    const started = performance.now();
    this.catchUp();
    for (const game of this.games.values()) this.notify(game);
    this.drainEnded();
    if (this.games.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.lastTickMs = performance.now() - started;
  }

  private notify(game: HostedGame): void {
    this.listeners.each(
      game.ownerId,
      (listener) => listener.onGameTick(game),
      (err) => this.deps.logger.error({ err }, 'game listener failed'),
    );
  }

  private drainEnded(): void {
    const ended = this.world.ended.splice(0);
    for (const session of ended) {
      const game = this.bySession.get(session.eid);
      if (!game) continue;
      this.games.delete(game.id);
      if (this.byOwner.get(game.ownerId) === game) this.byOwner.delete(game.ownerId);
      this.bySession.delete(session.eid);
      dropSession(this.world, session);
      this.notify(game);
      try {
        this.onEnded(game);
      } catch (err) {
        this.deps.logger.error({ err, gameId: game.id }, 'ending a game failed');
      }
    }
  }

  /** Ends every running game (shutdown), paying them like quits. */
  stopAll(): void {
    for (const game of [...this.games.values()]) endSession(this.world, game.session, 'left');
    this.drainEnded();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

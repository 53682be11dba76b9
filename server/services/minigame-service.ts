/**
 * Minigames: starting a round for one of the player's pets, taps, quitting, and paying a
 * round out exactly once with its caps (per game and per local game day): coins to the
 * player, points to the game's meter and, for a good result, an offset of a care mistake.
 * A round counts in the player's local day when it starts (shared/local-day.ts: a time zone
 * change waits for the end of the day, so it gives no second day of caps).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  COINS_PER_POINT,
  MAX_CARE_BONUS_PER_DAY,
  MAX_COINS_PER_DAY,
  MAX_COINS_PER_GAME,
  MAX_METER_POINTS_PER_GAME,
  METER_POINTS_PER_POINT,
  MINIGAMES,
  type MinigameKind,
} from '../../shared/minigames.js';
import { AppError } from '../../shared/errors.js';
import type { GameOverMessage, GameRewards } from '../../shared/protocol.js';
import { rewardPet } from '../../sim/index.js';
import type { TapOutcome } from '../../sim/minigames/index.js';
import type { MinigamesRepository } from '../repositories/minigames-repository.js';
import type { HostedGame, MinigameHost } from '../sim-host/minigame-host.js';
import type { SimHost } from '../sim-host/sim-host.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import type { InventoryService } from './inventory-service.js';

interface MinigameServiceDeps {
  repo: MinigamesRepository;
  host: MinigameHost;
  sim: SimHost;
  inventory: InventoryService;
  logger: Logger;
  /** The player's local day now (the player service's). */
  localDay: (playerId: string) => Promise<number>;
  /** Where a finished round is announced (the owner's home room). */
  bus: OwnerBus;
  now?: () => number;
}

/** How long an ended game's id is remembered, so late taps get GAME_OVER rather than GAME_NOT_FOUND. */
const ENDED_MEMORY_MS = 120_000;

export class MinigameService {
  private readonly recentlyEnded = new Map<string, number>();
  private readonly finishing = new Set<Promise<void>>();
  /** Players whose round is being started (its session row being written). */
  private readonly starting = new Set<string>();
  private readonly now: () => number;
  /** Told of every paid round with anomalies (the anti-fraud review); must not throw. */
  onSuspicious: ((playerId: string, evidence: { gameId: string; kind: string; score: number; taps: number; suspicious: number }) => void) | null = null;

  constructor(private readonly deps: MinigameServiceDeps) {
    this.now = deps.now ?? Date.now;
    deps.host.setEndedHandler((game) => {
      const done: Promise<void> = this.finish(game)
        .then(
          () => undefined,
          (err: unknown) => deps.logger.error({ err, gameId: game.id }, 'minigame payout failed'),
        )
        .finally(() => this.finishing.delete(done));
      this.finishing.add(done);
    });
  }

  /** Starts a round for one of the player's loaded pets in their home. */
  async start(playerId: string, petId: string, kind: MinigameKind): Promise<HostedGame> {
    const pet = this.deps.sim.live(petId);
    if (!pet) throw new AppError('PET_NOT_FOUND');
    if (pet.ownerId !== playerId) throw new AppError('FORBIDDEN', 'Only the owner can play with this pet');
    if (this.deps.host.gameOf(playerId) || this.starting.has(playerId)) throw new AppError('GAME_IN_PROGRESS');
    if (pet.asleep) throw new AppError('PET_ASLEEP', 'The pet is asleep: wake it to play');
    // Claimed before the first write: a burst of starts writes one session, not one each.
    this.starting.add(playerId);
    try {
      return await this.startClaimed(playerId, petId, kind);
    } finally {
      this.starting.delete(playerId);
    }
  }

  private async startClaimed(playerId: string, petId: string, kind: MinigameKind): Promise<HostedGame> {
    const seed = randomInt(2 ** 31);
    const id = randomUUID();
    const gameDay = await this.deps.localDay(playerId);
    await this.deps.repo.insert({
      id,
      player_id: playerId,
      pet_id: petId,
      kind,
      seed,
      status: 'running',
      score: 0,
      taps: 0,
      suspicious: 0,
      reward_coins: 0,
      reward_points: 0,
      reward_bonus: 0,
      game_day: gameDay,
      started_at: this.now(),
      ended_at: null,
    });
    if (this.deps.host.gameOf(playerId)) {
      // Another start won the race while this one was writing: this session never ran.
      await this.deps.repo.finish(id, playerId, emptyOutcome(this.now()));
      throw new AppError('GAME_IN_PROGRESS');
    }
    return this.deps.host.start({ id, ownerId: playerId, playerId, petId, kind, gameDay }, seed);
  }

  tap(playerId: string, gameId: string, seq: number, x: number, y: number): TapOutcome {
    const game = this.runningGame(gameId);
    if (game.playerId !== playerId) throw new AppError('FORBIDDEN', 'Only the player of this game can tap');
    return this.deps.host.tap(game, seq, x, y);
  }

  quit(playerId: string, gameId: string): void {
    const game = this.runningGame(gameId);
    if (game.playerId !== playerId) throw new AppError('FORBIDDEN');
    this.deps.host.end(game, 'quit');
  }

  /** Ends the owner's running game, if any, because the player left. */
  leave(ownerId: string): void {
    const game = this.deps.host.gameOf(ownerId);
    if (game) this.deps.host.end(game, 'left');
  }

  private runningGame(gameId: string): HostedGame {
    const game = this.deps.host.get(gameId);
    if (game) return game;
    const endedAt = this.recentlyEnded.get(gameId);
    if (endedAt !== undefined && this.now() - endedAt < ENDED_MEMORY_MS) throw new AppError('GAME_OVER');
    throw new AppError('GAME_NOT_FOUND');
  }

  /** Resolves when every payout in flight is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }

  /** Pays a round out (once: the repository's status guard makes repeats no-ops) and announces it. */
  async finish(game: HostedGame): Promise<boolean> {
    const nowMs = this.now();
    this.recentlyEnded.set(game.id, nowMs);
    for (const [id, at] of this.recentlyEnded) if (nowMs - at > ENDED_MEMORY_MS) this.recentlyEnded.delete(id);

    const session = game.session;
    const def = MINIGAMES[game.kind];
    // The day the round started in: a round that ends after midnight is capped with the day it was recorded in.
    const used = await this.deps.repo.dailyTotals(game.playerId, game.gameDay);
    const earnedCoins = session.score * COINS_PER_POINT;
    const earnedPoints = session.score * METER_POINTS_PER_POINT;
    const coins = Math.max(0, Math.min(earnedCoins, MAX_COINS_PER_GAME, MAX_COINS_PER_DAY - used.coins));
    const points = Math.min(earnedPoints, MAX_METER_POINTS_PER_GAME);
    const good = session.score >= def.goodScore;
    const bonus = good && used.bonus < MAX_CARE_BONUS_PER_DAY ? 1 : 0;
    const dailyCapReached = coins < Math.min(earnedCoins, MAX_COINS_PER_GAME) || (good && bonus === 0);
    const paid = await this.deps.repo.finish(game.id, game.playerId, {
      status: session.ended === 'left' ? 'abandoned' : 'finished',
      score: session.score,
      taps: session.taps,
      suspicious: session.suspicious,
      rewardCoins: coins,
      rewardPoints: points,
      rewardBonus: bonus,
      endedAt: nowMs,
    });
    if (!paid) return false;

    let meterPoints = 0;
    if (points > 0 || bonus > 0) {
      try {
        await this.deps.sim.touch(game.ownerId);
        const applied = await this.deps.sim.command(
          game.petId,
          (world, eid) => rewardPet(world, eid, { [def.meter]: points }, bonus),
          () => true,
        );
        meterPoints = Math.round((applied[def.meter] ?? 0) * 10) / 10;
      } catch (err) {
        // Coins are paid; a pet that vanished meanwhile just misses its meter points.
        this.deps.logger.warn({ err, gameId: game.id }, 'minigame meter reward not applied');
      }
    }
    if (coins > 0) this.deps.inventory.changed(game.playerId);
    const rewards: GameRewards = {
      coins,
      meter: def.meter,
      meterPoints,
      careBonus: bonus,
      capped: coins < earnedCoins || points < earnedPoints,
      dailyCapReached,
    };
    const message: GameOverMessage = {
      gameId: game.id,
      kind: game.kind,
      petId: game.petId,
      score: session.score,
      maxScore: session.maxScore,
      reason: session.ended ?? 'time',
      rewards,
    };
    this.deps.logger.info(
      { gameId: game.id, playerId: game.playerId, kind: game.kind, score: session.score, suspicious: session.suspicious, coins },
      'minigame ended',
    );
    this.deps.bus.publish(game.ownerId, { kind: 'game_over', message });
    if (session.suspicious > 0) {
      this.onSuspicious?.(game.playerId, { gameId: game.id, kind: game.kind, score: session.score, taps: session.taps, suspicious: session.suspicious });
    }
    return true;
  }
}

function emptyOutcome(endedAt: number) {
  return { status: 'abandoned' as const, score: 0, taps: 0, suspicious: 0, rewardCoins: 0, rewardPoints: 0, rewardBonus: 0, endedAt };
}

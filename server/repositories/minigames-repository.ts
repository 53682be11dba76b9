import type { Insertable, Kysely } from 'kysely';
import type { Database, MinigameSessionsTable } from '../db/schema.js';
import type { LedgerRepository } from './ledger-repository.js';
import type { MinigameKind } from '../../shared/minigames.js';
import { appendEvents } from './events-repository.js';

type NewMinigameSession = Insertable<MinigameSessionsTable>;

interface MinigameOutcome {
  status: 'finished' | 'abandoned';
  score: number;
  taps: number;
  suspicious: number;
  rewardCoins: number;
  rewardPoints: number;
  rewardBonus: number;
  endedAt: number;
}

export class MinigamesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ledger: LedgerRepository,
  ) {}

  async insert(row: NewMinigameSession): Promise<void> {
    await this.db.insertInto('minigame_sessions').values(row).execute();
  }

  /**
   * Records the end of a running session and credits its coins through the ledger, in one
   * transaction. Only the first call for a session does anything (the status guard, and the
   * ledger's idempotency key per session behind it), so a game can never be paid twice,
   * however many times its end is reported. Returns whether this call paid.
   */
  async finish(sessionId: string, playerId: string, outcome: MinigameOutcome): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('minigame_sessions')
        .set({
          status: outcome.status,
          score: outcome.score,
          taps: outcome.taps,
          suspicious: outcome.suspicious,
          reward_coins: outcome.rewardCoins,
          reward_points: outcome.rewardPoints,
          reward_bonus: outcome.rewardBonus,
          ended_at: outcome.endedAt,
        })
        .where('id', '=', sessionId)
        .where('status', '=', 'running')
        .returning(['id', 'kind'])
        .execute();
      const session = updated[0];
      if (!session) return false;
      if (outcome.rewardCoins > 0) {
        await this.ledger.post(trx, {
          idempotencyKey: `minigame:${sessionId}`,
          reason: 'minigame_reward',
          playerId,
          meta: { sessionId, score: outcome.score },
          postings: await this.ledger.creditPostings(trx, playerId, outcome.rewardCoins),
          nowMs: outcome.endedAt,
        });
      }
      await appendEvents(trx, [
        {
          kind: 'minigame',
          playerId,
          at: outcome.endedAt,
          payload: {
            sessionId,
            game: session.kind as MinigameKind,
            status: outcome.status,
            score: outcome.score,
            coins: outcome.rewardCoins,
            meterPoints: outcome.rewardPoints,
            suspicious: outcome.suspicious > 0,
          },
        },
      ]);
      return true;
    });
  }

  /** Coins and care offsets already paid to the player on a local game day (daily caps). */
  async dailyTotals(playerId: string, gameDay: number): Promise<{ coins: number; bonus: number }> {
    const row = await this.db
      .selectFrom('minigame_sessions')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('reward_coins'), eb.lit(0)).as('coins'), eb.fn.coalesce(eb.fn.sum<number>('reward_bonus'), eb.lit(0)).as('bonus')])
      .where('player_id', '=', playerId)
      .where('game_day', '=', gameDay)
      .executeTakeFirstOrThrow();
    return { coins: Number(row.coins), bonus: Number(row.bonus) };
  }

  findById(id: string) {
    return this.db.selectFrom('minigame_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Marks sessions left running by a process that stopped without ending them (a crash) as
   * abandoned, without pay: their rounds are gone with that process.
   */
  async abandonRunning(nowMs: number): Promise<number> {
    const rows = await this.db
      .updateTable('minigame_sessions')
      .set({ status: 'abandoned', ended_at: nowMs })
      .where('status', '=', 'running')
      .returning('id')
      .execute();
    return rows.length;
  }
}

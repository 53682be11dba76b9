/**
 * Leaderboards (ADR 0015). Scores live in `leaderboard_scores`, one row per board, period and
 * player (all-time under period key 0, each UTC game week under its number), written only by
 * this service: its event-log consumer turns daily streaks, finished rounds (not suspicious),
 * achievements and adoptions into scores, and `setExcluded` / `refreshVisibility` hide or
 * show a banned or excluded player's rows. Each write also keeps `leaderboard_counts` (how many
 * visible players hold each score) in the same transaction, so a rank is one plus the counts
 * of the better scores: a short primary-key range, whatever the rank. Ties share a rank
 * (1, 2, 2, 4) and are listed by who got there first.
 */
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { LeaderboardDto, LeaderboardEntryDto, LeaderboardListDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import {
  ALL_TIME_KEY,
  LEADERBOARDS,
  leaderboardDef,
  leaderboardWeek,
  utcGameDay,
  type LeaderboardId,
  type LeaderboardPeriod,
  type LeaderboardScope,
} from '../../shared/leaderboards.js';
import { isMinigameKind } from '../../shared/minigames.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { GameEventPayloads } from '../events/event-kinds.js';
import type { EventConsumer } from '../events/relay.js';
import type { StoredEvent } from '../repositories/events-repository.js';
import { epochMsAt, gameClockAt } from '../sim-host/pet-rows.js';

export const LEADERBOARDS_CONSUMER = 'leaderboards';

type Executor = Kysely<Database> | Transaction<Database>;

interface LeaderboardServiceDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  logger: Logger;
  /** The game clock in seconds (the sim's). */
  clock: () => number;
  /** Game seconds per real second and the clock offset: to place an event's moment in a week. */
  timeScale: number;
  clockOffsetSeconds: number;
  /** Epoch ms. */
  now: () => number;
}

/** A score to record: `max` keeps the better of the stored and the new one, `set` replaces it. */
interface ScoreUpdate {
  board: LeaderboardId;
  periodKey: number;
  score: number;
  mode: 'max' | 'set';
}

export interface LeaderboardQuery {
  period: LeaderboardPeriod;
  scope: LeaderboardScope;
  limit: number;
  offset: number;
}

export class LeaderboardService {
  constructor(private readonly deps: LeaderboardServiceDeps) {}

  private get postgres(): boolean {
    return this.deps.dialect === 'postgres';
  }

  private gameClockAt(epochMs: number): number {
    return gameClockAt(epochMs, { timeScale: this.deps.timeScale, offsetSeconds: this.deps.clockOffsetSeconds });
  }

  /** Runs `fn` in `executor` when it is a transaction already, else in a new one. */
  private inTransaction<T>(executor: Executor | undefined, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (executor?.isTransaction) return fn(executor as Transaction<Database>);
    return (executor ?? this.deps.db).transaction().execute(fn);
  }

  // -------------------------------------------------------------------------------------
  // Writing

  /** The scores an event of the log makes (none for most events). */
  scoresOf(event: StoredEvent): ScoreUpdate[] {
    const week = leaderboardWeek(this.gameClockAt(event.at));
    const both = (board: LeaderboardId, score: number): ScoreUpdate[] => [
      { board, periodKey: ALL_TIME_KEY, score, mode: 'max' },
      { board, periodKey: week, score, mode: 'max' },
    ];
    switch (event.kind) {
      case 'streak': {
        const p = event.payload as GameEventPayloads['streak'];
        return p.period === 'daily' && p.streak > 0 ? both('streak', p.streak) : [];
      }
      case 'minigame': {
        const p = event.payload as GameEventPayloads['minigame'];
        if (p.status !== 'finished' || p.suspicious || p.score <= 0 || !isMinigameKind(p.game)) return [];
        return both(`game_${p.game}`, p.score);
      }
      case 'achievement':
        // The count is read from player_achievements when applied (a replay counts nothing twice).
        return [{ board: 'achievements', periodKey: ALL_TIME_KEY, score: 0, mode: 'set' }];
      case 'adopt':
        // Pets never die and all age at the game clock's pace: the oldest is the earliest born,
        // and its age in days is today's UTC game day less its birth day (stored negated: higher is older).
        return [{ board: 'pet_age', periodKey: ALL_TIME_KEY, score: -utcGameDay(this.gameClockAt(event.at)), mode: 'max' }];
      default:
        return [];
    }
  }

  /** The event-log consumer that keeps the boards (every update is idempotent: max, or a recount). */
  consumer(): EventConsumer {
    return {
      name: LEADERBOARDS_CONSUMER,
      handle: async (events) => {
        for (const event of events) {
          if (event.playerId === null) continue;
          const updates = this.scoresOf(event);
          if (updates.length > 0) await this.submit(event.playerId, updates, event.at);
        }
      },
    };
  }

  /** Records scores for a player in one transaction (or the caller's). */
  async submit(playerId: string, updates: readonly ScoreUpdate[], atMs: number, executor?: Executor): Promise<void> {
    await this.inTransaction(executor, async (trx) => {
      // The player's row first, shared: an exclusion (which updates it) waits for this, and this for it.
      let flags = trx.selectFrom('players').select(['banned_at', 'leaderboard_excluded_at']).where('id', '=', playerId);
      if (this.postgres) flags = flags.forShare();
      const player = await flags.executeTakeFirst();
      if (!player) return;
      const hidden = player.banned_at !== null || player.leaderboard_excluded_at !== null ? 1 : 0;
      const deltas = new CountDeltas();
      for (const u of updates) {
        const score =
          u.board === 'achievements'
            ? Number(
                (await trx.selectFrom('player_achievements').select((eb) => eb.fn.countAll<number>().as('n')).where('player_id', '=', playerId).executeTakeFirstOrThrow()).n,
              )
            : u.score;
        let current = trx
          .selectFrom('leaderboard_scores')
          .select(['score', 'hidden'])
          .where('board', '=', u.board)
          .where('period_key', '=', u.periodKey)
          .where('player_id', '=', playerId);
        if (this.postgres) current = current.forUpdate();
        const row = await current.executeTakeFirst();
        if (!row) {
          if (u.board === 'achievements' && score === 0) continue;
          await trx
            .insertInto('leaderboard_scores')
            .values({ board: u.board, period_key: u.periodKey, player_id: playerId, score, hidden, updated_at: atMs })
            .execute();
          if (hidden === 0) deltas.add(u.board, u.periodKey, score, 1);
          continue;
        }
        const next = u.mode === 'max' ? Math.max(row.score, score) : score;
        if (next === row.score) continue;
        await trx
          .updateTable('leaderboard_scores')
          .set({ score: next, updated_at: atMs })
          .where('board', '=', u.board)
          .where('period_key', '=', u.periodKey)
          .where('player_id', '=', playerId)
          .execute();
        if (row.hidden === 0) {
          deltas.add(u.board, u.periodKey, row.score, -1);
          deltas.add(u.board, u.periodKey, next, 1);
        }
      }
      await deltas.apply(trx);
    });
  }

  /**
   * Removes a player from every board (`excluded`: sets `players.leaderboard_excluded_at`) or
   * puts them back (clears it; a banned player stays hidden until unbanned). Their scores are
   * kept, and they keep being recorded while hidden, so putting them back restores every board
   * as if they had never left. Ranks close up at once. Pass the admin's transaction to make
   * it part of it.
   */
  async setExcluded(playerId: string, excluded: boolean, executor?: Executor): Promise<void> {
    const nowMs = this.deps.now();
    await this.inTransaction(executor, async (trx) => {
      await trx
        .updateTable('players')
        .set({ leaderboard_excluded_at: excluded ? sql<number>`coalesce(leaderboard_excluded_at, ${nowMs})` : null })
        .where('id', '=', playerId)
        .execute();
      await this.refreshVisibility(playerId, trx);
    });
    this.deps.logger.info({ playerId, excluded }, 'leaderboard exclusion changed');
  }

  /**
   * Hides or shows a player's rows as `players.banned_at` and `leaderboard_excluded_at` say
   * now. The ban and unban code calls it (in its transaction) after changing `banned_at`.
   */
  async refreshVisibility(playerId: string, executor?: Executor): Promise<void> {
    await this.inTransaction(executor, async (trx) => {
      let flags = trx.selectFrom('players').select(['banned_at', 'leaderboard_excluded_at']).where('id', '=', playerId);
      if (this.postgres) flags = flags.forUpdate();
      const player = await flags.executeTakeFirst();
      if (!player) return;
      const hidden = player.banned_at !== null || player.leaderboard_excluded_at !== null ? 1 : 0;
      const changed = await trx
        .updateTable('leaderboard_scores')
        .set({ hidden })
        .where('player_id', '=', playerId)
        .where('hidden', '<>', hidden)
        .returning(['board', 'period_key', 'score'])
        .execute();
      const deltas = new CountDeltas();
      for (const r of changed) deltas.add(r.board, r.period_key, r.score, hidden ? -1 : 1);
      await deltas.apply(trx);
    });
  }

  // -------------------------------------------------------------------------------------
  // Reading

  private periodKey(period: LeaderboardPeriod, clock: number): number {
    return period === 'weekly' ? leaderboardWeek(clock) : ALL_TIME_KEY;
  }

  /** The boards, their periods, and when the current week ends. */
  list(): LeaderboardListDto {
    const week = leaderboardWeek(this.deps.clock());
    // Week w starts on day 7w − 3 (progression.ts: weekOfDay).
    const endsAtClock = (week * 7 - 3 + 7) * 86400;
    return {
      boards: LEADERBOARDS.map((b) => ({ id: b.id, unit: b.unit, periods: [...b.periods] })),
      weekEndsAt: new Date(epochMsAt(endsAtClock, { timeScale: this.deps.timeScale, offsetSeconds: this.deps.clockOffsetSeconds })).toISOString(),
    };
  }

  /** How many visible players in the scope have a better score than `score` (null: all of them, the total). */
  private async better(board: LeaderboardId, periodKey: number, scope: LeaderboardScope, playerId: string, score: number | null): Promise<number> {
    if (scope === 'global') {
      let counts = this.deps.db
        .selectFrom('leaderboard_counts')
        .select((eb) => eb.fn.sum<number | string | null>('n').as('n'))
        .where('board', '=', board)
        .where('period_key', '=', periodKey);
      if (score !== null) counts = counts.where('score', '>', score);
      const row = await counts.executeTakeFirst();
      return Number(row?.n ?? 0);
    }
    let rows = this.deps.db
      .selectFrom('leaderboard_scores as s')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('s.board', '=', board)
      .where('s.period_key', '=', periodKey)
      .where('s.hidden', '=', 0)
      .where(friendsOrMe(playerId));
    if (score !== null) rows = rows.where('s.score', '>', score);
    const row = await rows.executeTakeFirstOrThrow();
    return Number(row.n);
  }


  /** A page of a board in a period and scope, and my own rank and score there. */
  async read(playerId: string, board: LeaderboardId, q: LeaderboardQuery): Promise<LeaderboardDto> {
    const def = leaderboardDef(board);
    if (!def.periods.includes(q.period)) throw new AppError('VALIDATION_FAILED', `The ${board} board has no ${q.period} period`, { board, period: q.period });
    const clock = this.deps.clock();
    const periodKey = this.periodKey(q.period, clock);
    const today = utcGameDay(clock);
    const shown = (score: number): number => (board === 'pet_age' ? Math.max(0, today + score) : score);

    let page = this.deps.db
      .selectFrom('leaderboard_scores as s')
      .innerJoin('players as p', 'p.id', 's.player_id')
      .select([
        's.player_id as player_id',
        's.score as score',
        'p.first_name as first_name',
        'p.username as username',
        sql<string | null>`(select name from pets where pets.owner_id = s.player_id order by pets.born_at, pets.id limit 1)`.as('pet_name'),
      ])
      .where('s.board', '=', board)
      .where('s.period_key', '=', periodKey)
      .where('s.hidden', '=', 0);
    if (q.scope === 'friends') page = page.where(friendsOrMe(playerId));
    const [rows, mine, total] = await Promise.all([
      page.orderBy('s.score', 'desc').orderBy('s.updated_at', 'asc').orderBy('s.player_id', 'asc').limit(q.limit).offset(q.offset).execute(),
      this.rankOf(playerId, board, periodKey, q.scope),
      this.better(board, periodKey, q.scope, playerId, null),
    ]);

    const entries: LeaderboardEntryDto[] = [];
    let rank = 0;
    let previous: number | null = null;
    for (const [i, r] of rows.entries()) {
      // The first of the page: one plus the better scores (none on the first page).
      if (previous === null) rank = q.offset === 0 ? 1 : (await this.better(board, periodKey, q.scope, playerId, r.score)) + 1;
      else if (r.score !== previous) rank = q.offset + i + 1;
      previous = r.score;
      const isMe = r.player_id === playerId;
      entries.push({
        rank,
        ...(isMe || q.scope === 'friends' ? { playerId: r.player_id } : {}),
        displayName: r.first_name,
        username: r.username,
        petName: r.pet_name,
        score: shown(r.score),
        isMe,
      });
    }
    const me = mine ? { rank: mine.rank, score: shown(mine.score) } : null;
    return { board, period: q.period, scope: q.scope, unit: def.unit, total, entries, me };
  }

  /** My rank and stored score on a board in a period and scope; null when I have none there (or am hidden). */
  async rankOf(playerId: string, board: LeaderboardId, periodKey: number, scope: LeaderboardScope): Promise<{ rank: number; score: number } | null> {
    if (scope === 'global') {
      // One round trip: my score and the counts above it.
      const row = await this.deps.db
        .selectFrom('leaderboard_scores as s')
        .select([
          's.score as score',
          sql<number | string | null>`(select sum(c.n) from leaderboard_counts c where c.board = s.board and c.period_key = s.period_key and c.score > s.score)`.as('better'),
        ])
        .where('s.board', '=', board)
        .where('s.period_key', '=', periodKey)
        .where('s.player_id', '=', playerId)
        .where('s.hidden', '=', 0)
        .executeTakeFirst();
      return row ? { rank: Number(row.better ?? 0) + 1, score: row.score } : null;
    }
    const mine = await this.deps.db
      .selectFrom('leaderboard_scores')
      .select('score')
      .where('board', '=', board)
      .where('period_key', '=', periodKey)
      .where('player_id', '=', playerId)
      .where('hidden', '=', 0)
      .executeTakeFirst();
    if (!mine) return null;
    return { rank: (await this.better(board, periodKey, scope, playerId, mine.score)) + 1, score: mine.score };
  }

}

/** The friends scope: rows of `s` (leaderboard_scores) of the player and their friends (friendships hold both directions). */
function friendsOrMe(playerId: string) {
  return sql<boolean>`(s.player_id = ${playerId} or s.player_id in (select friend_id from friendships where friendships.player_id = ${playerId}))`;
}

/** Changes to `leaderboard_counts`, applied in key order (two writers never lock them crosswise). */
class CountDeltas {
  private readonly byKey = new Map<string, { board: string; periodKey: number; score: number; delta: number }>();

  add(board: string, periodKey: number, score: number, delta: number): void {
    const key = `${board}\u0000${periodKey}\u0000${score}`;
    const entry = this.byKey.get(key);
    if (entry) entry.delta += delta;
    else this.byKey.set(key, { board, periodKey, score, delta });
  }

  async apply(trx: Transaction<Database>): Promise<void> {
    const ordered = [...this.byKey.values()]
      .filter((d) => d.delta !== 0)
      .sort((a, b) => (a.board < b.board ? -1 : a.board > b.board ? 1 : a.periodKey - b.periodKey || a.score - b.score));
    for (const d of ordered) {
      if (d.delta > 0) {
        await trx
          .insertInto('leaderboard_counts')
          .values({ board: d.board, period_key: d.periodKey, score: d.score, n: d.delta })
          .onConflict((oc) => oc.columns(['board', 'period_key', 'score']).doUpdateSet({ n: sql<number>`leaderboard_counts.n + ${d.delta}` }))
          .execute();
        continue;
      }
      await trx
        .updateTable('leaderboard_counts')
        .set({ n: sql<number>`n + ${d.delta}` })
        .where('board', '=', d.board)
        .where('period_key', '=', d.periodKey)
        .where('score', '=', d.score)
        .execute();
      // A score nobody holds any more leaves no row behind.
      await trx.deleteFrom('leaderboard_counts').where('board', '=', d.board).where('period_key', '=', d.periodKey).where('score', '=', d.score).where('n', '=', 0).execute();
    }
  }
}

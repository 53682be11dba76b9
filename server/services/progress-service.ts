/**
 * Progression: daily and weekly care streaks, quests and achievements, all driven by recorded
 * events. Recording an event is one database transaction: the event row (its key makes a
 * replay a no-op), the running totals and streaks, quest progress, achievements unlocked,
 * every reward in the ledger (keys per streak day, week, quest and achievement) and the
 * `streak`, `quest` and `achievement` events of the log (docs/events.md) for what changed,
 * so progress and rewards are never lost or doubled. Days are local game days: the game clock
 * with the player's UTC offset schedule (shared/local-day.ts: a changed offset waits for the
 * end of the day, and a day lasts at least 24 hours); a day counts only if it is later than
 * the last one that counted, so a changed clock or time zone cannot earn the same day twice.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { ADULT_FORMS, ITEMS, STAGE_ADULT, isItemId, type ItemDef, type ItemId } from '../../shared/balance.js';
import type { ProgressDto, QuestClaimDto, QuestDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import {
  ACHIEVEMENTS,
  STREAK_FREEZE_EVERY_DAYS,
  STREAK_FREEZE_ITEM,
  WEEKLY_STREAK_MIN_DAYS,
  dailyStreakReward,
  questTemplate,
  questsFor,
  weekOfDay,
  weeklyStreakReward,
  type ProgressEvent,
  type ProgressNotice,
  type ProgressStats,
} from '../../shared/progression.js';
import { dayEndsAt, dayOrdinal, dayStartsAt, fixedSchedule, localDay, type UtcOffsetSchedule } from '../../shared/local-day.js';
import type { Dialect } from '../db/database.js';
import type { Database, PlayerProgressTable, PlayerQuestsTable } from '../db/schema.js';
import type { GameEvent } from '../events/event-kinds.js';
import { appendEvents } from '../repositories/events-repository.js';
import { consumeItem, grantItems } from '../repositories/inventory-repository.js';
import { OFFSET_COLUMNS, utcOffsetScheduleOf } from '../repositories/players-repository.js';
import { walletAccount, type LedgerRepository } from '../repositories/ledger-repository.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import { epochMsAt, gameClockAt } from '../sim-host/pet-rows.js';
import type { InventoryService } from './inventory-service.js';

type ProgressRow = Selectable<PlayerProgressTable>;
type QuestRow = Selectable<PlayerQuestsTable>;

/** Where services report progress events (the progress service, or nothing in some tests). */
export interface ProgressSink {
  recordSafely(playerId: string, event: ProgressEvent): Promise<void>;
}

interface ProgressServiceDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  ledger: LedgerRepository;
  inventory: InventoryService;
  logger: Logger;
  /** The game clock in seconds (the sim's). */
  clock: () => number;
  /** Game seconds per real second and the clock offset: to turn day ends into real times. */
  timeScale: number;
  clockOffsetSeconds: number;
  /** Where the notices go (the owner's home room shows them as toasts). */
  bus: OwnerBus;
  now?: () => number;
}

/** Achievements whose progress needs the pets and skins counted (two more queries). */
const NEEDS_COUNTS = new Set(['first_pet', 'collector']);
/** Players whose quests of a day were made recently: the insert is skipped for them. */
const ENSURED_MEMORY = 10_000;

export class ProgressService {
  /** player id → the local day whose quests (and week's) exist. A cache: the insert is idempotent. */
  private readonly ensured = new Map<string, number>();

  constructor(private readonly deps: ProgressServiceDeps) {}

  private get nowMs(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Records an event, logging instead of throwing: progress must never fail the action itself. */
  async recordSafely(playerId: string, event: ProgressEvent): Promise<void> {
    try {
      await this.record(playerId, event);
    } catch (err) {
      this.deps.logger.error({ err, playerId, event: event.kind }, 'recording progress failed');
    }
  }

  /**
   * Records `event` once (by its key) and applies everything that follows from it. `atMs`:
   * when it happened (epoch ms; an event from the log is applied a moment later), so it counts
   * on the player's local day of that moment, whatever the clock says now; `stored`: the
   * player's UTC offset schedule as it stood then (kept with a log event), so an offset
   * change since does not move it either. Without it, the schedule as it stands now.
   */
  async record(playerId: string, event: ProgressEvent, atMs?: number, stored?: UtcOffsetSchedule | null): Promise<ProgressNotice[]> {
    const nowMs = this.nowMs;
    // The game clock of that moment, as the sim's clock runs.
    const clock = atMs === undefined ? this.deps.clock() : gameClockAt(Math.min(atMs, nowMs), { timeScale: this.deps.timeScale, offsetSeconds: this.deps.clockOffsetSeconds });
    const onCommit: Array<() => void> = [];
    const notices = await this.deps.db.transaction().execute(async (trx) => {
      const player = await trx.selectFrom('players').select(OFFSET_COLUMNS).where('id', '=', playerId).executeTakeFirst();
      if (!player) return null;
      const schedule = stored ?? utcOffsetScheduleOf(player);
      const day = localDay(schedule, clock);
      const { key: _key, kind, ...data } = event;
      const inserted = await trx
        .insertInto('progress_events')
        .values({ id: `${event.kind}:${event.key}`, player_id: playerId, kind, data: JSON.stringify(data), game_day: day, created_at: nowMs })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;

      const row = await this.lockProgress(trx, playerId, nowMs);
      const out: ProgressNotice[] = [];
      // What this changes, for the event log (appended below, in this transaction).
      const log: GameEvent[] = [];
      const events: ProgressEvent[] = [event];
      switch (event.kind) {
        case 'care':
          row.care_total += 1;
          events.push(...(await this.countDay(trx, playerId, row, day, day - dayOrdinal(schedule, clock), nowMs, out, log)));
          break;
        case 'game':
          row.games_finished += 1;
          row.coins_earned += event.coins;
          if (event.game === 'treats') row.best_treats_score = Math.max(row.best_treats_score, event.score);
          break;
        case 'purchase':
          row.purchases += 1;
          break;
        case 'stage':
          row.max_stage = Math.max(row.max_stage, event.stage);
          if (event.stage === STAGE_ADULT && ADULT_FORMS[event.adultForm] === 'radiant') row.radiant_adults += 1;
          break;
        default:
          break;
      }
      await this.advanceQuests(trx, playerId, day, events, nowMs, out, log, onCommit);
      await this.unlockAchievements(trx, playerId, row, nowMs, out, log);
      await appendEvents(trx, log);
      const { player_id: _id, ...values } = row;
      await trx.updateTable('player_progress').set({ ...values, updated_at: nowMs }).where('player_id', '=', playerId).execute();
      return out;
    });
    for (const done of onCommit) done();
    if (notices === null) return [];
    if (notices.length > 0) {
      this.deps.inventory.changed(playerId);
      this.deps.bus.publish(playerId, { kind: 'progress', notices });
    }
    return notices;
  }

  /** The player's totals row, created if needed and locked (Postgres) for this transaction. */
  private async lockProgress(trx: Transaction<Database>, playerId: string, nowMs: number): Promise<ProgressRow> {
    // One round trip: an upsert that updates takes the row lock on Postgres like SELECT … FOR UPDATE.
    return trx
      .insertInto('player_progress')
      .values({ player_id: playerId, updated_at: nowMs })
      .onConflict((oc) => oc.column('player_id').doUpdateSet({ updated_at: nowMs }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Care on a local day later than the last counted one extends the daily streak (a streak
   * freeze saves one missed day), pays the day's reward, and counts towards the week.
   * `skipped` is how many day numbers the player's time zone moves skipped so far: days
   * that never happened are not missed days. Returns the derived `streak_day` event for quests.
   * A streak that starts again at 1 after a missed day is `broken` in its log event.
   */
  private async countDay(
    trx: Transaction<Database>,
    playerId: string,
    row: ProgressRow,
    day: number,
    skipped: number,
    nowMs: number,
    out: ProgressNotice[],
    log: GameEvent[],
  ): Promise<ProgressEvent[]> {
    if (day <= row.daily_last_day) return [];
    // Accounts before the inventory (a streak freeze), like every transaction (no deadlocks).
    await this.deps.ledger.lockPlayer(trx, playerId, nowMs);
    const gap = day - skipped - (row.daily_last_day - row.daily_last_skipped);
    let frozen = false;
    let broken = false;
    if (row.daily_last_day >= 0 && gap === 2 && (await consumeItem(trx, playerId, STREAK_FREEZE_ITEM, nowMs))) {
      frozen = true;
      row.freezes_used += 1;
      row.daily_streak += 1;
    } else if (row.daily_last_day >= 0 && gap === 1) {
      row.daily_streak += 1;
    } else {
      broken = row.daily_last_day >= 0;
      row.daily_streak = 1;
    }
    row.daily_last_day = day;
    row.daily_last_skipped = skipped;
    row.daily_best = Math.max(row.daily_best, row.daily_streak);
    const reward = dailyStreakReward(row.daily_streak);
    const freezeGranted = row.daily_streak % STREAK_FREEZE_EVERY_DAYS === 0;
    await this.reward(trx, playerId, `streak:daily:${playerId}:${day}`, 'streak_reward', reward, freezeGranted ? { [STREAK_FREEZE_ITEM]: 1 } : {}, nowMs, { day, streak: row.daily_streak, frozen });
    row.coins_earned += reward;
    out.push({ kind: 'streak', days: row.daily_streak, rewardCoins: reward, frozen, freezeGranted });
    log.push({ kind: 'streak', playerId, at: nowMs, payload: { period: 'daily', periodKey: day, streak: row.daily_streak, frozen, broken, coins: reward } });

    const week = weekOfDay(day);
    if (week !== row.week) {
      row.week = week;
      row.week_days = 0;
    }
    row.week_days += 1;
    if (row.week_days === WEEKLY_STREAK_MIN_DAYS) {
      const weeklyBroken = row.weekly_last_week >= 0 && row.weekly_last_week !== week - 1;
      row.weekly_streak = row.weekly_last_week === week - 1 ? row.weekly_streak + 1 : 1;
      row.weekly_last_week = week;
      row.weekly_best = Math.max(row.weekly_best, row.weekly_streak);
      const weekly = weeklyStreakReward(row.weekly_streak);
      await this.reward(trx, playerId, `streak:weekly:${playerId}:${week}`, 'streak_reward', weekly, {}, nowMs, { week, streak: row.weekly_streak });
      row.coins_earned += weekly;
      out.push({ kind: 'weekly_streak', weeks: row.weekly_streak, rewardCoins: weekly });
      log.push({
        kind: 'streak',
        playerId,
        at: nowMs,
        payload: { period: 'weekly', periodKey: week, streak: row.weekly_streak, frozen: false, broken: weeklyBroken, coins: weekly },
      });
    }
    return [{ kind: 'streak_day', key: `${playerId}:${day}`, streak: row.daily_streak }];
  }

  /** Pays coins (debt first) and items under an idempotency key, inside `trx`. */
  private async reward(
    trx: Transaction<Database>,
    playerId: string,
    idempotencyKey: string,
    reason: string,
    coins: number,
    items: Partial<Record<ItemId, number>>,
    nowMs: number,
    meta: Record<string, unknown>,
  ): Promise<void> {
    if (coins > 0) {
      const posted = await this.deps.ledger.post(trx, {
        idempotencyKey,
        reason,
        playerId,
        meta: { ...meta, items },
        postings: await this.deps.ledger.creditPostings(trx, playerId, coins),
        nowMs,
      });
      if (!posted.applied) return;
    }
    await grantItems(trx, playerId, items, nowMs);
  }

  private async ensureQuests(trx: Transaction<Database>, playerId: string, day: number, nowMs: number, onCommit: Array<() => void>): Promise<void> {
    if (this.ensured.get(playerId) === day) return;
    const rows = (['daily', 'weekly'] as const).flatMap((period) => {
      const key = period === 'daily' ? day : weekOfDay(day);
      return questsFor(playerId, period, key).map((t) => ({
        id: randomUUID(),
        player_id: playerId,
        period,
        period_key: key,
        template_id: t.id,
        target: t.target,
        progress: 0,
        reward_coins: t.rewardCoins,
        completed_at: null,
        claimed_at: null,
        created_at: nowMs,
      }));
    });
    await trx
      .insertInto('player_quests')
      .values(rows)
      .onConflict((oc) => oc.columns(['player_id', 'period', 'period_key', 'template_id']).doNothing())
      .execute();
    // Remembered once the transaction that made them commits (a rollback must not leave a stale mark).
    onCommit.push(() => {
      this.ensured.delete(playerId);
      this.ensured.set(playerId, day);
      if (this.ensured.size > ENSURED_MEMORY) this.ensured.delete(this.ensured.keys().next().value as string);
    });
  }

  private currentQuests(db: Kysely<Database> | Transaction<Database>, playerId: string, day: number): Promise<QuestRow[]> {
    return db
      .selectFrom('player_quests')
      .selectAll()
      .where('player_id', '=', playerId)
      .where((eb) =>
        eb.or([
          eb.and([eb('period', '=', 'daily'), eb('period_key', '=', day)]),
          eb.and([eb('period', '=', 'weekly'), eb('period_key', '=', weekOfDay(day))]),
        ]),
      )
      .orderBy('period')
      .orderBy('template_id')
      .execute();
  }

  private async advanceQuests(
    trx: Transaction<Database>,
    playerId: string,
    day: number,
    events: readonly ProgressEvent[],
    nowMs: number,
    out: ProgressNotice[],
    log: GameEvent[],
    onCommit: Array<() => void>,
  ): Promise<void> {
    await this.ensureQuests(trx, playerId, day, nowMs, onCommit);
    for (const quest of await this.currentQuests(trx, playerId, day)) {
      if (quest.completed_at !== null) continue;
      const template = questTemplate(quest.template_id);
      if (!template) continue;
      const amount = events.reduce((sum, e) => sum + template.advance(e), 0);
      if (amount <= 0) continue;
      const progress = Math.min(quest.target, quest.progress + amount);
      const completed = progress >= quest.target;
      await trx
        .updateTable('player_quests')
        .set({ progress, completed_at: completed ? nowMs : null })
        .where('id', '=', quest.id)
        .execute();
      if (!completed) continue;
      out.push({ kind: 'quest_completed', questId: quest.id, templateId: quest.template_id, rewardCoins: quest.reward_coins });
      log.push({ kind: 'quest', playerId, at: nowMs, payload: { questId: quest.id, templateId: quest.template_id, status: 'completed', coins: quest.reward_coins } });
    }
  }

  private async stats(db: Kysely<Database> | Transaction<Database>, playerId: string, row: ProgressRow, counts = true): Promise<ProgressStats> {
    const [pets, owned] = counts
      ? await Promise.all([
          db.selectFrom('pets').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', playerId).executeTakeFirstOrThrow(),
          db.selectFrom('inventory').select('item_id').where('player_id', '=', playerId).where('quantity', '>', 0).execute(),
        ])
      : [{ n: 0 }, []];
    const skins = owned.filter((r) => isItemId(r.item_id) && (ITEMS[r.item_id] as ItemDef).kind === 'skin').length;
    return {
      pets: Number(pets.n),
      careTotal: row.care_total,
      gamesFinished: row.games_finished,
      bestTreatsScore: row.best_treats_score,
      coinsEarned: row.coins_earned,
      purchases: row.purchases,
      maxStage: row.max_stage,
      radiantAdults: row.radiant_adults,
      dailyBest: row.daily_best,
      skins,
    };
  }

  private async unlockAchievements(
    trx: Transaction<Database>,
    playerId: string,
    row: ProgressRow,
    nowMs: number,
    out: ProgressNotice[],
    log: GameEvent[],
  ): Promise<void> {
    const have = new Set(
      (await trx.selectFrom('player_achievements').select('achievement_id').where('player_id', '=', playerId).execute()).map((r) => r.achievement_id),
    );
    const open = ACHIEVEMENTS.filter((a) => !have.has(a.id));
    if (open.length === 0) return;
    const stats = await this.stats(trx, playerId, row, open.some((a) => NEEDS_COUNTS.has(a.id)));
    for (const a of open) {
      const [current, target] = a.progress(stats);
      if (current < target) continue;
      const awarded = await trx
        .insertInto('player_achievements')
        .values({ player_id: playerId, achievement_id: a.id, awarded_at: nowMs })
        .onConflict((oc) => oc.columns(['player_id', 'achievement_id']).doNothing())
        .returning('achievement_id')
        .executeTakeFirst();
      if (!awarded) continue;
      await this.reward(trx, playerId, `achievement:${playerId}:${a.id}`, 'achievement_reward', a.rewardCoins, a.rewardItems ?? {}, nowMs, { achievementId: a.id });
      row.coins_earned += a.rewardCoins;
      out.push({ kind: 'achievement', achievementId: a.id, rewardCoins: a.rewardCoins });
      log.push({ kind: 'achievement', playerId, at: nowMs, payload: { achievementId: a.id, coins: a.rewardCoins } });
    }
  }

  /** Claims a completed quest's reward, once. */
  async claim(playerId: string, questId: string): Promise<QuestClaimDto> {
    const nowMs = this.nowMs;
    const { quest, coins } = await this.deps.db.transaction().execute(async (trx) => {
      // The progress row first, as `record` takes it first: claims and records never deadlock.
      const row = await this.lockProgress(trx, playerId, nowMs);
      let query = trx.selectFrom('player_quests').selectAll().where('id', '=', questId).where('player_id', '=', playerId);
      if (this.deps.dialect === 'postgres') query = query.forUpdate();
      const found = await query.executeTakeFirst();
      if (!found) throw new AppError('QUEST_NOT_FOUND');
      if (found.completed_at === null) throw new AppError('QUEST_NOT_COMPLETE');
      if (found.claimed_at !== null) throw new AppError('ALREADY_CLAIMED');
      const posted = await this.deps.ledger.post(trx, {
        idempotencyKey: `quest:${questId}`,
        reason: 'quest_reward',
        playerId,
        meta: { questId, templateId: found.template_id },
        postings: await this.deps.ledger.creditPostings(trx, playerId, found.reward_coins),
        nowMs,
      });
      if (!posted.applied) throw new AppError('ALREADY_CLAIMED');
      await trx.updateTable('player_quests').set({ claimed_at: nowMs }).where('id', '=', questId).execute();
      await appendEvents(trx, [
        { kind: 'quest', playerId, at: nowMs, payload: { questId, templateId: found.template_id, status: 'claimed', coins: found.reward_coins } },
      ]);
      await trx.updateTable('player_progress').set({ coins_earned: row.coins_earned + found.reward_coins, updated_at: nowMs }).where('player_id', '=', playerId).execute();
      const wallet = posted.entries.find((e) => e.accountId === walletAccount(playerId))?.balanceAfter;
      return { quest: { ...found, claimed_at: nowMs }, coins: wallet ?? null };
    });
    this.deps.inventory.changed(playerId);
    const clock = this.deps.clock();
    const schedule = await this.scheduleOf(playerId);
    const balances = await this.deps.inventory.holdings(playerId);
    return { quest: this.toQuestDto(quest, schedule, clock), balances: { coins: coins ?? balances.coins, debt: balances.debt } };
  }

  private async scheduleOf(playerId: string): Promise<UtcOffsetSchedule> {
    const row = await this.deps.db.selectFrom('players').select(OFFSET_COLUMNS).where('id', '=', playerId).executeTakeFirst();
    return row ? utcOffsetScheduleOf(row) : fixedSchedule(0);
  }

  /** Real time (ISO) of a game clock value, for countdowns in the Mini App. */
  private clockIso(clock: number): string {
    return new Date(epochMsAt(clock, { timeScale: this.deps.timeScale, offsetSeconds: this.deps.clockOffsetSeconds })).toISOString();
  }

  private toQuestDto(q: QuestRow, schedule: UtcOffsetSchedule, clock: number): QuestDto {
    const day = localDay(schedule, clock);
    const endDay = q.period === 'daily' ? q.period_key + 1 : q.period_key * 7 - 3 + 7;
    const endsAt = endDay === day + 1 ? dayEndsAt(schedule, clock) : dayStartsAt(schedule, clock, endDay);
    return {
      id: q.id,
      templateId: q.template_id,
      period: q.period,
      target: q.target,
      progress: q.progress,
      rewardCoins: q.reward_coins,
      completed: q.completed_at !== null,
      claimed: q.claimed_at !== null,
      current: q.period === 'daily' ? q.period_key === day : q.period_key === weekOfDay(day),
      endsAt: this.clockIso(endsAt),
    };
  }

  /**
   * The daily streak's length when it breaks at the end of the player's current local day
   * unless they care today (not counted yet today, and no streak freeze left to save it);
   * null when nothing is at risk. For the evening reminder.
   */
  async streakAtRisk(playerId: string): Promise<number | null> {
    const clock = this.deps.clock();
    const [schedule, row, holdings] = await Promise.all([
      this.scheduleOf(playerId),
      this.deps.db.selectFrom('player_progress').select(['daily_streak', 'daily_last_day', 'daily_last_skipped']).where('player_id', '=', playerId).executeTakeFirst(),
      this.deps.inventory.holdings(playerId),
    ]);
    if (!row || row.daily_last_day < 0 || row.daily_streak <= 0 || row.daily_last_day === localDay(schedule, clock)) return null;
    const freezes = holdings.items[STREAK_FREEZE_ITEM] ?? 0;
    const gap = dayOrdinal(schedule, clock) - (row.daily_last_day - row.daily_last_skipped);
    return (gap === 1 && freezes === 0) || (gap === 2 && freezes > 0) ? row.daily_streak : null;
  }

  /** Streaks, today's and this week's quests, and achievements with their progress. */
  async view(playerId: string): Promise<ProgressDto> {
    const clock = this.deps.clock();
    const schedule = await this.scheduleOf(playerId);
    const day = localDay(schedule, clock);
    const nowMs = this.nowMs;
    const onCommit: Array<() => void> = [];
    await this.deps.db.transaction().execute((trx) => this.ensureQuests(trx, playerId, day, nowMs, onCommit));
    for (const done of onCommit) done();
    const [row, quests, awarded, holdings] = await Promise.all([
      this.deps.db.selectFrom('player_progress').selectAll().where('player_id', '=', playerId).executeTakeFirst(),
      this.currentQuests(this.deps.db, playerId, day),
      this.deps.db.selectFrom('player_achievements').select(['achievement_id', 'awarded_at']).where('player_id', '=', playerId).execute(),
      this.deps.inventory.holdings(playerId),
    ]);
    const progress: ProgressRow = row ?? {
      player_id: playerId, care_total: 0, games_finished: 0, best_treats_score: 0, coins_earned: 0, purchases: 0, max_stage: 0,
      radiant_adults: 0, daily_streak: 0, daily_best: 0, daily_last_day: -1, daily_last_skipped: 0, freezes_used: 0, weekly_streak: 0, weekly_best: 0,
      weekly_last_week: -1, week: -1, week_days: 0, updated_at: nowMs,
    };
    const stats = await this.stats(this.deps.db, playerId, progress);
    const freezes = holdings.items[STREAK_FREEZE_ITEM] ?? 0;
    const gap = dayOrdinal(schedule, clock) - (progress.daily_last_day - progress.daily_last_skipped);
    const alive = progress.daily_last_day >= 0 && (gap <= 1 || (gap === 2 && freezes > 0));
    const week = weekOfDay(day);
    const weeklyAlive = progress.weekly_last_week >= week - 1;
    const unlockedAt = new Map(awarded.map((a) => [a.achievement_id, a.awarded_at]));
    return {
      day,
      dayEndsAt: this.clockIso(dayEndsAt(schedule, clock)),
      weekEndsAt: this.clockIso(dayStartsAt(schedule, clock, week * 7 - 3 + 7)),
      streak: {
        daily: {
          current: alive ? progress.daily_streak : 0,
          best: progress.daily_best,
          countedToday: progress.daily_last_day === day,
          nextRewardCoins: dailyStreakReward(progress.daily_last_day === day ? progress.daily_streak + 1 : alive ? progress.daily_streak + 1 : 1),
          freezes,
          freezesUsed: progress.freezes_used,
        },
        weekly: {
          current: weeklyAlive ? progress.weekly_streak : 0,
          best: progress.weekly_best,
          daysThisWeek: progress.week === week ? progress.week_days : 0,
          daysNeeded: WEEKLY_STREAK_MIN_DAYS,
        },
      },
      quests: quests.map((q) => this.toQuestDto(q, schedule, clock)),
      achievements: ACHIEVEMENTS.map((a) => {
        const [current, target] = a.progress(stats);
        const at = unlockedAt.get(a.id);
        return {
          id: a.id,
          unlocked: at !== undefined,
          unlockedAt: at === undefined ? null : new Date(at).toISOString(),
          rewardCoins: a.rewardCoins,
          rewardItems: Object.entries(a.rewardItems ?? {}).map(([itemId, quantity]) => ({ itemId: itemId as ItemId, quantity: quantity ?? 0 })),
          current: Math.min(current, target),
          target,
        };
      }),
    };
  }
}

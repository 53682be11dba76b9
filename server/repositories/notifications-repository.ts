/**
 * Storage of bot notifications (migration 0012): what each player allows, whether they are in
 * the app, and the send ledger. A notification is claimed with one conditional update
 * (pending → sending) before the Bot API is called, on both dialects: whoever updates the row
 * sends it, and a row left in `sending` by a process that died is never sent again.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { NOTIFICATION_SWITCHES, type NotificationKind, type NotificationSwitch } from '../../shared/notifications.js';
import type { Database, NotificationsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { OFFSET_COLUMNS, utcOffsetScheduleOf } from './players-repository.js';
import type { UtcOffsetSchedule } from '../../shared/local-day.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** What a player allows (defaults for a player the bot has never heard of). */
export interface NotifyPrefs {
  allowed: boolean;
  muted: boolean;
  switchesOff: Set<NotificationSwitch>;
  unreachable: boolean;
  presentUntil: number;
  backAt: number;
}

/** A player as the sender needs them: where to write, in which language, their local time. */
export interface NotifyTarget extends NotifyPrefs {
  playerId: string;
  chatId: number;
  languageCode: string;
  schedule: UtcOffsetSchedule;
}

/** A notification to schedule. */
export interface NewNotification {
  playerId: string;
  kind: NotificationKind;
  petId: string | null;
  dedupeKey: string;
  dueAt: number;
  detail?: Record<string, string | number>;
}

const switchesOf = (json: string): Set<NotificationSwitch> => {
  try {
    const value: unknown = JSON.parse(json);
    return new Set(Array.isArray(value) ? NOTIFICATION_SWITCHES.filter((s) => value.includes(s)) : []);
  } catch {
    return new Set();
  }
};

/** Kinds cancelled when the owner comes back: they are about what the owner now sees. */
const ABOUT_ABSENCE: readonly NotificationKind[] = ['pet_critical', 'pet_sick', 'pet_grows', 'streak'];

export class NotificationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async prefs(playerId: string): Promise<NotifyPrefs> {
    const row = await this.db.selectFrom('notify_players').selectAll().where('player_id', '=', playerId).executeTakeFirst();
    return {
      allowed: row?.allowed === 1,
      muted: row?.muted === 1,
      switchesOff: switchesOf(row?.switches_off ?? '[]'),
      unreachable: row?.unreachable_at !== null && row?.unreachable_at !== undefined,
      presentUntil: row?.present_until ?? 0,
      backAt: row?.back_at ?? 0,
    };
  }

  /** Creates or changes a player's row. */
  private async upsert(playerId: string, nowMs: number, set: Partial<{ allowed: number; muted: number; switches_off: string; unreachable_at: number | null; present_until: number; back_at: number }>): Promise<void> {
    await this.db
      .insertInto('notify_players')
      .values({ player_id: playerId, updated_at: nowMs, ...set })
      .onConflict((oc) => oc.column('player_id').doUpdateSet({ ...set, updated_at: nowMs }))
      .execute();
  }

  /** Telegram says the bot may write (allows_write_to_pm). Returns false when it already knew. */
  async allow(playerId: string, nowMs: number): Promise<boolean> {
    const result = await this.db
      .insertInto('notify_players')
      .values({ player_id: playerId, allowed: 1, updated_at: nowMs })
      .onConflict((oc) => oc.column('player_id').doUpdateSet({ allowed: 1, updated_at: nowMs }).where('notify_players.allowed', '=', 0))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** /start in the bot: allowed, on, reachable again. */
  started(playerId: string, nowMs: number): Promise<void> {
    return this.upsert(playerId, nowMs, { allowed: 1, muted: 0, unreachable_at: null });
  }

  setMuted(playerId: string, muted: boolean, nowMs: number): Promise<void> {
    return this.upsert(playerId, nowMs, { muted: muted ? 1 : 0 });
  }

  setSwitchesOff(playerId: string, off: ReadonlySet<NotificationSwitch>, nowMs: number): Promise<void> {
    return this.upsert(playerId, nowMs, { switches_off: JSON.stringify(NOTIFICATION_SWITCHES.filter((s) => off.has(s))) });
  }

  /** A send was refused with 403: the player blocked the bot. */
  markUnreachable(playerId: string, nowMs: number): Promise<void> {
    return this.upsert(playerId, nowMs, { unreachable_at: nowMs });
  }

  /** The owner is in the app (until `untilMs`, renewed while they stay); what was about their absence is cancelled. */
  async arrived(playerId: string, nowMs: number, untilMs: number): Promise<void> {
    await this.upsert(playerId, nowMs, { present_until: untilMs, back_at: nowMs });
    await this.db
      .updateTable('notifications')
      .set({ status: 'cancelled', reason: 'back', updated_at: nowMs })
      .where('player_id', '=', playerId)
      .where('status', '=', 'pending')
      .where('kind', 'in', ABOUT_ABSENCE)
      .execute();
  }

  /** Renews the presence of owners still in the app. */
  async stillPresent(playerIds: readonly string[], nowMs: number, untilMs: number): Promise<void> {
    // In chunks: SQLite bounds the parameters of one statement.
    for (let i = 0; i < playerIds.length; i += 500) {
      const chunk = playerIds.slice(i, i + 500);
      await this.db.updateTable('notify_players').set({ present_until: untilMs, updated_at: nowMs }).where('player_id', 'in', chunk).execute();
    }
  }

  async left(playerId: string, nowMs: number): Promise<void> {
    await this.upsert(playerId, nowMs, { present_until: 0 });
  }

  /** Schedules notifications; one already scheduled under the same key is kept as it is. Returns how many are new. */
  async schedule(items: readonly NewNotification[], nowMs: number): Promise<number> {
    if (items.length === 0) return 0;
    const result = await this.db
      .insertInto('notifications')
      .values(
        items.map((n) => ({
          id: randomUUID(),
          player_id: n.playerId,
          kind: n.kind,
          pet_id: n.petId,
          dedupe_key: n.dedupeKey,
          detail: JSON.stringify(n.detail ?? {}),
          due_at: n.dueAt,
          status: 'pending',
          created_at: nowMs,
          updated_at: nowMs,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  /** Pending notifications due by `nowMs`, oldest first. */
  due(nowMs: number, limit: number): Promise<NotificationRow[]> {
    return this.db.selectFrom('notifications').selectAll().where('status', '=', 'pending').where('due_at', '<=', nowMs).orderBy('due_at').limit(limit).execute();
  }

  /** The player's chat, language, local time and preferences; undefined for an unknown player. */
  async target(playerId: string): Promise<NotifyTarget | undefined> {
    const row = await this.db.selectFrom('players').select(['id', 'telegram_id', 'language_code', ...OFFSET_COLUMNS]).where('id', '=', playerId).executeTakeFirst();
    if (!row) return undefined;
    return { playerId, chatId: row.telegram_id, languageCode: row.language_code, schedule: utcOffsetScheduleOf(row), ...(await this.prefs(playerId)) };
  }

  /** Notifications sent (or being sent) to the player on a local day. */
  async sentOnDay(playerId: string, localDay: number): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('player_id', '=', playerId)
      .where('status', 'in', ['sent', 'sending'])
      .where('local_day', '=', localDay)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Whether this kind about this pet was already sent since the owner was last back. */
  async toldSince(playerId: string, kind: NotificationKind, petId: string | null, sinceMs: number): Promise<boolean> {
    let q = this.db.selectFrom('notifications').select('id').where('player_id', '=', playerId).where('kind', '=', kind).where('status', '=', 'sent').where('sent_at', '>', sinceMs);
    q = petId === null ? q.where('pet_id', 'is', null) : q.where('pet_id', '=', petId);
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }

  /** pending → sending for `holder`, on the player's local day: true when this caller won the row (it may now send it, once). */
  async claim(id: string, holder: string, nowMs: number, leaseUntil: number, localDay: number | null = null): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set({ status: 'sending', holder, lease_until: leaseUntil, local_day: localDay, updated_at: nowMs })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The end of a send this holder claimed. */
  async finish(id: string, holder: string, nowMs: number, outcome: { status: 'sent'; localDay: number; messageId: number } | { status: 'failed' | 'unreachable'; reason: string }): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set(
        outcome.status === 'sent'
          ? { status: 'sent', sent_at: nowMs, local_day: outcome.localDay, message_id: outcome.messageId, updated_at: nowMs }
          : { status: outcome.status, reason: outcome.reason, updated_at: nowMs },
      )
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('holder', '=', holder)
      .execute();
  }

  /** Telegram refused the send for now (429 after retries): not sent, so it may go again later. */
  async release(id: string, holder: string, dueAt: number, nowMs: number): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set({ status: 'pending', holder: null, lease_until: null, due_at: dueAt, updated_at: nowMs })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('holder', '=', holder)
      .execute();
  }

  /** A pending notification a rule held back (quiet hours): due later. */
  async postpone(id: string, dueAt: number, nowMs: number): Promise<void> {
    await this.db.updateTable('notifications').set({ due_at: dueAt, updated_at: nowMs }).where('id', '=', id).where('status', '=', 'pending').execute();
  }

  /** A pending notification a rule said no to. */
  async skip(id: string, reason: string, nowMs: number): Promise<void> {
    await this.db.updateTable('notifications').set({ status: 'skipped', reason, updated_at: nowMs }).where('id', '=', id).where('status', '=', 'pending').execute();
  }

  /**
   * Sends whose process died or stalled past the lease: Telegram may or may not have delivered
   * them, and sending again could say it twice, so they are closed as lost. Returns how many.
   */
  async closeLost(nowMs: number): Promise<number> {
    const result = await this.db
      .updateTable('notifications')
      .set({ status: 'lost', reason: 'process gone while sending', updated_at: nowMs })
      .where('status', '=', 'sending')
      .where('lease_until', '<', nowMs)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A player's notifications, newest first (tests, the admin panel). */
  ofPlayer(playerId: string, limit = 50): Promise<NotificationRow[]> {
    return this.db.selectFrom('notifications').selectAll().where('player_id', '=', playerId).orderBy('created_at', 'desc').orderBy(sql`id`).limit(limit).execute();
  }
}

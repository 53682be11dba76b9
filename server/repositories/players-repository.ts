import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { UtcOffsetSchedule } from '../../shared/local-day.js';
import type { PetUtcOffset } from '../../sim/index.js';
import type { Database, PlayersTable } from '../db/schema.js';

export type PlayerRow = Selectable<PlayersTable>;

/** The columns of a player's UTC offset and its planned change. */
export type PlayerOffsetColumns = Pick<
  PlayerRow,
  'utc_offset_minutes' | 'next_utc_offset_minutes' | 'utc_offset_changes_at' | 'utc_offset_last_day' | 'utc_offset_skipped_days'
>;

export const OFFSET_COLUMNS = [
  'utc_offset_minutes',
  'next_utc_offset_minutes',
  'utc_offset_changes_at',
  'utc_offset_last_day',
  'utc_offset_skipped_days',
] as const satisfies ReadonlyArray<keyof PlayerOffsetColumns>;

/** The player's UTC offset schedule (shared/local-day.ts) from their row. */
export function utcOffsetScheduleOf(row: PlayerOffsetColumns): UtcOffsetSchedule {
  const pending = row.next_utc_offset_minutes !== null && row.utc_offset_changes_at !== null && row.utc_offset_last_day !== null;
  return {
    utcOffsetMinutes: row.utc_offset_minutes,
    nextUtcOffsetMinutes: pending ? row.next_utc_offset_minutes : null,
    changesAt: pending ? row.utc_offset_changes_at : null,
    lastDay: pending ? row.utc_offset_last_day : null,
    skippedDays: row.utc_offset_skipped_days,
  };
}

function offsetColumnsOf(s: UtcOffsetSchedule): PlayerOffsetColumns {
  return {
    utc_offset_minutes: s.utcOffsetMinutes,
    next_utc_offset_minutes: s.nextUtcOffsetMinutes,
    utc_offset_changes_at: s.changesAt,
    utc_offset_last_day: s.lastDay,
    utc_offset_skipped_days: s.skippedDays,
  };
}

/** What a pet keeps of its owner's schedule: the offset in force and a planned change. */
export function petUtcOffsetOf(s: UtcOffsetSchedule): PetUtcOffset {
  return s.nextUtcOffsetMinutes !== null && s.changesAt !== null
    ? { utcOffsetMinutes: s.utcOffsetMinutes, nextUtcOffsetMinutes: s.nextUtcOffsetMinutes, changesAt: s.changesAt }
    : { utcOffsetMinutes: s.utcOffsetMinutes, nextUtcOffsetMinutes: s.utcOffsetMinutes, changesAt: Infinity };
}

export interface PlayerProfile {
  telegramId: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  languageCode: string;
}

// No 0/O or 1/I: codes are read aloud and typed by hand.
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const INVITE_LENGTH = 8;

function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < INVITE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

export class PlayersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<PlayerRow | undefined> {
    return this.db.selectFrom('players').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByTelegramId(telegramId: number): Promise<PlayerRow | undefined> {
    return this.db.selectFrom('players').selectAll().where('telegram_id', '=', telegramId).executeTakeFirst();
  }

  findByInviteCode(code: string): Promise<PlayerRow | undefined> {
    return this.db.selectFrom('players').selectAll().where('invite_code', '=', code.toUpperCase()).executeTakeFirst();
  }

  /**
   * Inserts the player unless one with the same Telegram id exists; returns the stored row
   * and whether this call created it. Safe under concurrent first sights.
   */
  async insertIfAbsent(profile: PlayerProfile, nowMs: number): Promise<{ row: PlayerRow; created: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomUUID();
      try {
        const inserted = await this.db
          .insertInto('players')
          .values({
            id,
            telegram_id: profile.telegramId,
            first_name: profile.firstName,
            last_name: profile.lastName,
            username: profile.username,
            language_code: profile.languageCode,
            invite_code: newInviteCode(),
            created_at: nowMs,
            updated_at: nowMs,
          })
          .onConflict((oc) => oc.column('telegram_id').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { row: inserted, created: true };
        const existing = await this.findByTelegramId(profile.telegramId);
        if (existing) return { row: existing, created: false };
      } catch (err) {
        // An invite code collision violates the other unique constraint: draw a new code.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new Error('could not create player after 5 attempts');
  }

  /**
   * Replaces the player's UTC offset schedule with what `plan` makes of the stored one, in
   * one transaction holding the player's row, so concurrent changes apply one after the
   * other. `plan` is told whether anything of the player counts per day yet: a pet, or a
   * recorded progress event. Returns the row before and after, or undefined for no player.
   */
  async changeUtcOffset(
    id: string,
    plan: (current: UtcOffsetSchedule, countsDays: boolean) => UtcOffsetSchedule,
    nowMs: number,
  ): Promise<{ before: PlayerRow; after: PlayerRow } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // An update first: on Postgres it holds the row until commit, like SELECT … FOR UPDATE.
      const before = await trx.updateTable('players').set({ updated_at: nowMs }).where('id', '=', id).returningAll().executeTakeFirst();
      if (!before) return undefined;
      const [pet, event] = await Promise.all([
        trx.selectFrom('pets').select('id').where('owner_id', '=', id).limit(1).executeTakeFirst(),
        trx.selectFrom('progress_events').select('id').where('player_id', '=', id).limit(1).executeTakeFirst(),
      ]);
      const next = offsetColumnsOf(plan(utcOffsetScheduleOf(before), pet !== undefined || event !== undefined));
      const after = await trx.updateTable('players').set(next).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return { before, after };
    });
  }

  async updateProfile(id: string, profile: PlayerProfile, nowMs: number): Promise<void> {
    await this.db
      .updateTable('players')
      .set({
        first_name: profile.firstName,
        last_name: profile.lastName,
        username: profile.username,
        language_code: profile.languageCode,
        updated_at: nowMs,
      })
      .where('id', '=', id)
      .execute();
  }
}

function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

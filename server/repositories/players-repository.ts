import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PlayersTable } from '../db/schema.js';

export type PlayerRow = Selectable<PlayersTable>;

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

export function newInviteCode(): string {
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

  async setUtcOffset(id: string, utcOffsetMinutes: number, nowMs: number): Promise<void> {
    await this.db.updateTable('players').set({ utc_offset_minutes: utcOffsetMinutes, updated_at: nowMs }).where('id', '=', id).execute();
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

export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

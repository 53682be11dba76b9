/** Pets' public share codes (migration 0020; ADR 0018). */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** 12 URL-safe characters (72 random bits): unguessable, short enough for a link. */
export const SHARE_CODE_PATTERN = '^[A-Za-z0-9_-]{12}$';

export function newShareCode(): string {
  return randomBytes(9).toString('base64url');
}

export class ShareCodesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async codeOf(petId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('pet_share_codes').select('code').where('pet_id', '=', petId).executeTakeFirst();
    return row?.code;
  }

  async petOf(code: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('pet_share_codes').select('pet_id').where('code', '=', code).executeTakeFirst();
    return row?.pet_id;
  }

  /**
   * The pet's code, given now when it has none. Two first shares at once both insert "if
   * absent" (one wins by the primary key) and both read the winner's code back. A code that
   * collides with another pet's (72 random bits: practically never) is drawn again.
   */
  async ensure(petId: string, nowMs: number, draw: () => string = newShareCode): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.codeOf(petId);
      if (existing !== undefined) return existing;
      try {
        await this.db
          .insertInto('pet_share_codes')
          .values({ pet_id: petId, code: draw(), created_at: nowMs })
          .onConflict((oc) => oc.column('pet_id').doNothing())
          .execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new Error(`could not give pet ${petId} a share code`);
  }
}

function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

import type { Kysely } from 'kysely';

/**
 * Share codes (ADR 0018): one random URL-safe code per pet, given the first time its owner
 * shares it and stable afterwards; the public page `/p/:shareCode` finds the pet by it.
 * A table of its own (not a column of `pets`, whose rows snapshot flushes rewrite all the
 * time): the pet is the primary key (one code per pet), the code is unique.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pet_share_codes')
    .addColumn('pet_id', 'text', (c) => c.primaryKey().references('pets.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pet_share_codes').execute();
}

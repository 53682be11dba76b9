import type { Kysely } from 'kysely';

/** The skin (cosmetic coat) a pet wears: 'default' or the skin of a skin item its owner holds. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('pets')
    .addColumn('skin', 'text', (c) => c.notNull().defaultTo('default'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pets').dropColumn('skin').execute();
}

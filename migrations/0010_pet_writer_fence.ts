import { sql, type Kysely } from 'kysely';

/**
 * One writer per pet: the process that loads an owner takes the next number of
 * `players.sim_fence` and stamps it on the owner's pets (`pets.writer_fence`). A snapshot
 * carries the fence its writer took; a write with an older fence than the stored one is a
 * stale process's and changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('players')
    .addColumn('sim_fence', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`sim_fence >= 0`))
    .execute();
  await db.schema
    .alterTable('pets')
    .addColumn('writer_fence', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`writer_fence >= 0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pets').dropColumn('writer_fence').execute();
  await db.schema.alterTable('players').dropColumn('sim_fence').execute();
}

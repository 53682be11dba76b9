import { sql, type Kysely } from 'kysely';

// Dialect-portable: text ids, bigint epoch milliseconds, 0/1 integers for booleans.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('players')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('telegram_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('username', 'text')
    .addColumn('language_code', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('invite_code', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  const meter = (name: string) => sql`${sql.ref(name)} >= 0 and ${sql.ref(name)} <= 100`;
  await db.schema
    .createTable('pets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('players.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('species', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull().defaultTo(0).check(sql`stage >= 0 and stage <= 4`))
    .addColumn('hunger', 'double precision', (c) => c.notNull().check(meter('hunger')))
    .addColumn('mood', 'double precision', (c) => c.notNull().check(meter('mood')))
    .addColumn('cleanliness', 'double precision', (c) => c.notNull().check(meter('cleanliness')))
    .addColumn('health', 'double precision', (c) => c.notNull().check(meter('health')))
    .addColumn('sick', 'integer', (c) => c.notNull().defaultTo(0).check(sql`sick in (0, 1)`))
    .addColumn('age_seconds', 'double precision', (c) => c.notNull().defaultTo(0).check(sql`age_seconds >= 0`))
    .addColumn('stage_seconds', 'double precision', (c) => c.notNull().defaultTo(0).check(sql`stage_seconds >= 0`))
    .addColumn('feed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('play_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clean_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('heal_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overfeed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cooldowns', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('born_at', 'bigint', (c) => c.notNull())
    .addColumn('last_snapshot_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pets_owner_created_idx').on('pets').columns(['owner_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('friendships')
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id').onDelete('cascade'))
    .addColumn('friend_id', 'text', (c) => c.notNull().references('players.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('friendships_pk', ['player_id', 'friend_id'])
    .addCheckConstraint('friendships_not_self', sql`player_id <> friend_id`)
    .execute();
  await db.schema.createIndex('friendships_friend_idx').on('friendships').column('friend_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('friendships').execute();
  await db.schema.dropTable('pets').execute();
  await db.schema.dropTable('players').execute();
}

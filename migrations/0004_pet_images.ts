import { sql, type Kysely } from 'kysely';

/**
 * Generated pet images (the bytes, base64, are the source of truth) with their status and
 * metadata, and a record of every generation attempt (experiments).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pet_images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pet_id', 'text', (c) => c.notNull().references('pets.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('variant', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skin', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('preset', 'text', (c) => c.notNull())
    // One image per (pet, stage, variant, skin, seed, preset): a repeated request is a no-op.
    .addColumn('image_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'ready', 'failed')`))
    .addColumn('reason', 'text')
    .addColumn('provider', 'text')
    .addColumn('model', 'text')
    .addColumn('mime', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('etag', 'text')
    .addColumn('image_b64', 'text')
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('negative_prompt', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('pet_images_pet_stage_idx').on('pet_images').columns(['pet_id', 'stage', 'created_at']).execute();
  await db.schema.createIndex('pet_images_owner_status_idx').on('pet_images').columns(['owner_id', 'status']).execute();

  await db.schema
    .createTable('image_experiments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('image_id', 'text', (c) => c.notNull().references('pet_images.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('preset', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('negative_prompt', 'text', (c) => c.notNull())
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('image_experiments_image_idx').on('image_experiments').columns(['image_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('image_experiments').execute();
  await db.schema.dropTable('pet_images').execute();
}

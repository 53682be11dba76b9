import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateAllDown, migrateToLatest, migrationStatus } from '../../server/db/migrator.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';
import { loadConfig } from '../../server/config.js';

const ALL_TABLES = ['friendships', 'image_experiments', 'inventory', 'minigame_sessions', 'pet_events', 'pet_images', 'pets', 'players'];

async function tables(db: Db): Promise<string[]> {
  const rows =
    db.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db.kysely)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.kysely);
  return rows.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_')).sort();
}

describeEachDialect('migrations', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;

  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
  });

  after(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('runs up, down and up again', async () => {
    await migrateToLatest(db.kysely);
    assert.deepEqual(await tables(db), ALL_TABLES);
    await migrateAllDown(db.kysely);
    assert.deepEqual(await tables(db), []);
    await migrateToLatest(db.kysely);
    assert.deepEqual(await tables(db), ALL_TABLES);
  });

  it('reports every migration as applied', async () => {
    const status = await migrationStatus(db.kysely);
    assert.deepEqual(status.map((m) => m.name), Object.keys(MIGRATIONS));
    assert.ok(status.every((m) => m.executedAt !== null));
  });

  it('enforces meter ranges and unique Telegram ids in the schema', async () => {
    const now = Date.now();
    await db.kysely
      .insertInto('players')
      .values({ id: 'p1', telegram_id: 1, first_name: 'A', last_name: null, username: null, language_code: 'en', invite_code: 'AAAA1111', created_at: now, updated_at: now })
      .execute();
    await assert.rejects(
      db.kysely
        .insertInto('players')
        .values({ id: 'p2', telegram_id: 1, first_name: 'B', last_name: null, username: null, language_code: 'en', invite_code: 'BBBB2222', created_at: now, updated_at: now })
        .execute(),
    );
    const pet = {
      id: 'x', owner_id: 'p1', name: 'n', species: 'cat', stage: 0, hunger: 101, mood: 1, cleanliness: 1, health: 1, sick: 0,
      age_seconds: 0, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0,
      cooldowns: '{}', care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0,
      good_care_s: 0, adult_form: 0, awake_until: 0, utc_offset_minutes: 0,
      born_at: now, last_snapshot_at: now, created_at: now, updated_at: now,
    };
    await assert.rejects(db.kysely.insertInto('pets').values(pet).execute());
    await db.kysely.insertInto('pets').values({ ...pet, hunger: 100 }).execute();
    await assert.rejects(
      db.kysely.insertInto('inventory').values({ player_id: 'p1', item_id: 'kibble', quantity: -1, updated_at: now }).execute(),
    );
    await assert.rejects(db.kysely.updateTable('players').set({ coins: -5 }).where('id', '=', 'p1').execute());
  });

  it('records a stage event once per pet and stage', async () => {
    const now = Date.now();
    const event = { pet_id: 'x', owner_id: 'p1', kind: 'stage', stage: 1, data: '{}', game_clock: 1, created_at: now };
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e1' }).execute();
    await assert.rejects(db.kysely.insertInto('pet_events').values({ ...event, id: 'e2' }).execute());
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e3', kind: 'sick', stage: null }).execute();
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e4', kind: 'sick', stage: null }).execute();
  });
});

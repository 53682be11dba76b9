import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../../server/db/database.js';
import { migrateAllDown, migrateDown, migrateToLatest, migrationStatus } from '../../server/db/migrator.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { describeEachDialect, useScratchDb } from '../helpers/dialects.js';

const ALL_TABLES = [
  'admin_accounts', 'admin_audit', 'admin_sessions', 'analytics_daily', 'analytics_ui_events', 'collection_claims', 'event_cursors', 'event_deliveries', 'events',
  'fraud_flags', 'friendships', 'image_experiments', 'inventory', 'job_runs', 'leaderboard_counts', 'leaderboard_scores', 'ledger_accounts',
  'ledger_entries', 'ledger_transactions', 'minigame_sessions', 'name_attempts', 'notifications', 'notify_players', 'pet_events', 'pet_images',
  'pet_reports', 'pet_share_codes', 'pets', 'player_achievements', 'player_progress', 'player_quests', 'players', 'progress_events', 'promotions', 'purchases',
  'referrals', 'star_orders', 'star_payments',
];

async function tables(db: Db): Promise<string[]> {
  const rows =
    db.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db.kysely)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.kysely);
  return rows.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_')).sort();
}

describeEachDialect('migrations', (dialect) => {
  const scratchDb = useScratchDb(dialect);
  let db: Db;
  beforeEach(() => {
    db = scratchDb();
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
    const now = TEST_START_MS;
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
  });

  it('keeps a planned UTC offset change whole: offset, time and day together or none', async () => {
    const player = db.kysely.updateTable('players').where('id', '=', 'p1');
    await assert.rejects(player.set({ next_utc_offset_minutes: 60 }).execute());
    await assert.rejects(player.set({ next_utc_offset_minutes: 900, utc_offset_changes_at: 1, utc_offset_last_day: 0 }).execute());
    await player.set({ next_utc_offset_minutes: 60, utc_offset_changes_at: 1.9e9, utc_offset_last_day: 21990 }).execute();
    await assert.rejects(player.set({ utc_offset_last_day: null }).execute());
    await player.set({ next_utc_offset_minutes: null, utc_offset_changes_at: null, utc_offset_last_day: null }).execute();
    await assert.rejects(player.set({ utc_offset_skipped_days: -1 }).execute());
    const pet = db.kysely.updateTable('pets').where('id', '=', 'x');
    await assert.rejects(pet.set({ utc_offset_changes_at: 1.9e9 }).execute());
    await pet.set({ next_utc_offset_minutes: -300, utc_offset_changes_at: 1.9e9 }).execute();
  });

  it('records a stage event once per pet and stage', async () => {
    const now = TEST_START_MS;
    const event = { pet_id: 'x', owner_id: 'p1', kind: 'stage', stage: 1, data: '{}', game_clock: 1, created_at: now };
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e1' }).execute();
    await assert.rejects(db.kysely.insertInto('pet_events').values({ ...event, id: 'e2' }).execute());
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e3', kind: 'sick', stage: null }).execute();
    await db.kysely.insertInto('pet_events').values({ ...event, id: 'e4', kind: 'sick', stage: null }).execute();
  });
});

/** Reverts migrations until `name` is the latest one applied. */
async function downTo(db: Db, name: string): Promise<void> {
  for (;;) {
    const applied = (await migrationStatus(db.kysely)).filter((m) => m.executedAt !== null);
    if (applied.at(-1)?.name === name) return;
    await migrateDown(db.kysely);
  }
}

describeEachDialect('economy migration', (dialect) => {
  const scratchDb = useScratchDb(dialect);
  let db: Db;
  const now = TEST_START_MS;
  const player = (id: string, telegramId: number) => ({
    id, telegram_id: telegramId, first_name: id, last_name: null, username: null, language_code: 'en', invite_code: `CODE${telegramId}`,
    created_at: now, updated_at: now,
  });

  beforeEach(() => {
    db = scratchDb();
  });

  it('moves players.coins into ledger wallets and back', async () => {
    await migrateToLatest(db.kysely);
    await downTo(db, '0004_pet_images'); // players.coins exists again
    await sql`insert into players (id, telegram_id, first_name, language_code, invite_code, created_at, updated_at, coins)
      values ('rich', 10, 'R', 'en', 'RICH0001', ${now}, ${now}, 75), ('poor', 11, 'P', 'en', 'POOR0001', ${now}, ${now}, 0)`.execute(db.kysely);
    await migrateToLatest(db.kysely);

    const accounts = await db.kysely.selectFrom('ledger_accounts').selectAll().where('kind', '=', 'wallet').execute();
    assert.deepEqual(accounts.map((a) => [a.player_id, a.balance]), [['rich', 75]]);
    const entries = await db.kysely.selectFrom('ledger_entries').select(['account_id', 'amount']).orderBy('seq').execute();
    assert.deepEqual(entries, [
      { account_id: 'system:issuance:coins', amount: -75 },
      { account_id: 'wallet:rich:coins', amount: 75 },
    ]);

    await downTo(db, '0004_pet_images');
    const rows = await sql<{ id: string; coins: number }>`select id, coins from players order by id`.execute(db.kysely);
    assert.deepEqual(rows.rows.map((r) => [r.id, Number(r.coins)]), [['poor', 0], ['rich', 75]]);
    await migrateToLatest(db.kysely);
  });

  it('keeps wallets at or above zero, debts at or below, system accounts without a balance', async () => {
    await db.kysely.insertInto('players').values(player('p9', 99)).execute();
    const account = (id: string, kind: 'wallet' | 'debt' | 'system', balance: number) =>
      db.kysely.insertInto('ledger_accounts').values({ id, player_id: kind === 'system' ? null : 'p9', currency: 'coins', kind, balance, created_at: now }).execute();
    await assert.rejects(account('wallet:p9:coins', 'wallet', -1));
    await assert.rejects(account('debt:p9:coins', 'debt', 1));
    await assert.rejects(account('system:x:coins', 'system', 5));
    await account('wallet:p9:coins', 'wallet', 0);
    await assert.rejects(account('wallet:p9:coins-again', 'wallet', 0), 'one wallet per player and currency');
  });

  it('refuses to change or delete ledger rows', async () => {
    const tx = await db.kysely.selectFrom('ledger_transactions').select('id').executeTakeFirstOrThrow();
    await assert.rejects(db.kysely.updateTable('ledger_entries').set({ amount: 1000 }).where('transaction_id', '=', tx.id).execute(), /append-only/);
    await assert.rejects(db.kysely.deleteFrom('ledger_entries').where('transaction_id', '=', tx.id).execute(), /append-only/);
    await assert.rejects(db.kysely.updateTable('ledger_transactions').set({ reason: 'x' }).where('id', '=', tx.id).execute(), /append-only/);
    await assert.rejects(db.kysely.deleteFrom('ledger_transactions').where('id', '=', tx.id).execute(), /append-only/);
    await assert.rejects(
      db.kysely.insertInto('ledger_transactions').values({ id: 'dup', idempotency_key: 'opening:rich', reason: 'x', player_id: null, request_hash: null, meta: '{}', created_at: now }).execute(),
      'idempotency keys are unique',
    );
  });
});

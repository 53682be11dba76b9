import type { Kysely } from 'kysely';

/**
 * Admin accounts, their sign-in sessions, the audit log, and bans (docs/admin.md).
 *
 * - `admin_accounts`: a name, a role (`admin` or `moderator`) and a scrypt hash.
 * - `admin_sessions`: one row per refresh token (only its SHA-256 is stored). A refresh
 *   rotates it: the row is revoked and a new one names it as its parent; presenting a
 *   revoked token again revokes every session of the account (a stolen token replayed).
 * - `admin_audit`: append-only, one row per admin action with the state before and after.
 * - `players.banned_at` / `ban_reason`: a banned player is refused everywhere;
 *   `leaderboard_excluded_at`: removed from the leaderboards by a moderator.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .addColumn('last_login_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('admin_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('admin_accounts.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('parent_id', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admin_sessions_account_idx').on('admin_sessions').columns(['account_id', 'revoked_at']).execute();

  await db.schema
    .createTable('admin_audit')
    // Time-ordered ids (see AdminRepository): paging by (at, id) is stable within a millisecond.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('reason', 'text')
    // JSON of the state before and after (null when there was none).
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('admin_audit_at_idx').on('admin_audit').columns(['at', 'id']).execute();
  await db.schema.createIndex('admin_audit_actor_idx').on('admin_audit').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('admin_audit_action_idx').on('admin_audit').columns(['action', 'at']).execute();
  await db.schema.createIndex('admin_audit_target_idx').on('admin_audit').columns(['target_id', 'at']).execute();

  await db.schema.alterTable('players').addColumn('banned_at', 'bigint').execute();
  await db.schema.alterTable('players').addColumn('ban_reason', 'text').execute();
  await db.schema.alterTable('players').addColumn('leaderboard_excluded_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('players').dropColumn('leaderboard_excluded_at').execute();
  await db.schema.alterTable('players').dropColumn('ban_reason').execute();
  await db.schema.alterTable('players').dropColumn('banned_at').execute();
  await db.schema.dropTable('admin_audit').execute();
  await db.schema.dropTable('admin_sessions').execute();
  await db.schema.dropTable('admin_accounts').execute();
}

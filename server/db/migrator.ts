/** Runs the migrations in `migrations/` (the only way the schema changes). */
import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import type { Database } from './schema.js';

// Migrations see an untyped database: they run against every past schema.
const untyped = (db: Kysely<Database>) => db as unknown as Kysely<unknown>;
import { MIGRATIONS } from '../../migrations/index.js';

async function createMigrator(db: Kysely<Database>): Promise<Migrator> {
  // On Postgres, keep the bookkeeping tables in the schema the app works in (search_path),
  // not wherever Kysely first finds a table of that name.
  const schema = await currentPostgresSchema(db);
  return new Migrator({
    db: untyped(db),
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

async function currentPostgresSchema(db: Kysely<Database>): Promise<string | null> {
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    return rows[0]?.schema ?? null;
  } catch {
    return null; // SQLite has no current_schema()
  }
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(JSON.stringify(result.error));
    err.message = `migration ${failed?.migrationName ?? '(unknown)'} failed: ${err.message}`;
    throw err;
  }
  return result;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  return check(await (await createMigrator(db)).migrateToLatest());
}

/** Applies the next migration only (tests walk the migrations one at a time). */
export async function migrateUp(db: Kysely<Database>): Promise<MigrationResultSet> {
  return check(await (await createMigrator(db)).migrateUp());
}

export async function migrateDown(db: Kysely<Database>): Promise<MigrationResultSet> {
  return check(await (await createMigrator(db)).migrateDown());
}

/** Rolls back every migration (tests use it for up → down → up). */
export async function migrateAllDown(db: Kysely<Database>): Promise<void> {
  const migrator = await createMigrator(db);
  for (;;) {
    const result = check(await migrator.migrateDown());
    if (!result.results || result.results.length === 0) return;
  }
}

export async function migrationStatus(db: Kysely<Database>): Promise<Array<{ name: string; executedAt: Date | null }>> {
  const migrations = await (await createMigrator(db)).getMigrations();
  return migrations.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

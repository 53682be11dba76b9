/**
 * Every migration's `down` restores the schema it found, exactly: on each dialect the
 * migrations are applied one at a time from the empty schema, the catalog dumped after each,
 * then reverted one at a time, and the catalog after reverting migration N must equal the
 * dump taken after N-1 (the empty schema after reverting the first).
 *
 * What a dump holds. Postgres: columns (type, nullability, default, identity, generated),
 * constraints (every kind, by name, with pg_get_constraintdef: checks, keys, foreign keys
 * and their actions), key columns, indexes (their definitions), triggers, functions, views,
 * sequences and enum types of the schema. SQLite: the normalised `sql` of every table, index,
 * trigger and view in sqlite_master, and per table `table_info`, `index_list`/`index_info`
 * and `foreign_key_list`. Kysely's own bookkeeping tables are left out (they exist once the
 * migrator has run). A column's position is left out on both: a `down` that adds back a
 * column an `up` dropped can only append it (Postgres cannot reorder columns), and nothing
 * in the app depends on column order.
 */
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.js';
import { migrateDown, migrateUp, migrationStatus } from '../../server/db/migrator.js';
import type { Database } from '../../server/db/schema.js';
import { describeEachDialect, useScratchDb } from '../helpers/dialects.js';

type Dump = Record<string, string[]>;

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
};

/** One row as a stable line: keys in order, values as text. */
const line = (row: Record<string, unknown>): string =>
  Object.keys(row)
    .sort()
    .map((k) => `${k}=${text(row[k])}`)
    .join(' | ');

const sorted = (rows: Array<Record<string, unknown>>): string[] => rows.map(line).sort();

const isOwn = (table: string): boolean => !table.startsWith('kysely_') && !table.startsWith('sqlite_');

/** SQL text without formatting differences: one space, no space next to punctuation, no identifier quotes. */
const normaliseSql = (text: string | null): string =>
  (text ?? '')
    .replace(/["`]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=])\s*/g, '$1')
    .trim();

async function postgresDump(db: Kysely<Database>): Promise<Dump> {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows as Array<Record<string, unknown>>;
  const schemaRow = await q(sql`select current_schema() as schema`);
  const schema = String(schemaRow[0]?.schema);
  const own = (rows: Array<Record<string, unknown>>, key = 'table_name') => rows.filter((r) => isOwn(String(r[key])));
  const unschema = (text: unknown) => String(text).split(`${schema}.`).join('');
  return {
    columns: sorted(
      own(
        await q(sql`select table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length,
          numeric_precision, numeric_scale, is_identity, identity_generation, is_generated, generation_expression, collation_name
          from information_schema.columns where table_schema = current_schema()`),
      ).map((r) => ({ ...r, column_default: r.column_default === null ? null : unschema(r.column_default) })),
    ),
    tables: sorted(own(await q(sql`select table_name, table_type from information_schema.tables where table_schema = current_schema()`))),
    tableConstraints: sorted(
      own(
        await q(sql`select table_name, constraint_name, constraint_type, is_deferrable, initially_deferred
          from information_schema.table_constraints where table_schema = current_schema() and constraint_type <> 'CHECK'`),
      ),
    ),
    keyColumns: sorted(
      own(
        await q(sql`select table_name, constraint_name, column_name, ordinal_position, position_in_unique_constraint
          from information_schema.key_column_usage where table_schema = current_schema()`),
      ),
    ),
    // Every constraint with its full definition: checks (named or not), keys, foreign keys with their actions.
    constraints: sorted(
      own(
        await q(sql`select c.relname as table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) as definition, k.condeferrable, k.convalidated
          from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = current_schema()`),
      ).map((r) => ({ ...r, definition: unschema(r.definition) })),
    ),
    indexes: sorted(
      own(await q(sql`select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema()`), 'tablename').map((r) => ({
        ...r,
        indexdef: unschema(r.indexdef),
      })),
    ),
    triggers: sorted(
      own(
        await q(sql`select event_object_table, trigger_name, event_manipulation, action_timing, action_orientation, action_statement
          from information_schema.triggers where trigger_schema = current_schema()`),
        'event_object_table',
      ).map((r) => ({ ...r, action_statement: unschema(r.action_statement) })),
    ),
    functions: sorted(
      (
        await q(sql`select p.proname, pg_get_function_identity_arguments(p.oid) as args, pg_get_functiondef(p.oid) as definition
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema()`)
      ).map((r) => ({ ...r, definition: unschema(r.definition) })),
    ),
    views: sorted(own(await q(sql`select table_name, view_definition from information_schema.views where table_schema = current_schema()`))),
    sequences: sorted(
      own(
        await q(sql`select sequence_name, data_type, start_value, increment, maximum_value from information_schema.sequences where sequence_schema = current_schema()`),
        'sequence_name',
      ),
    ),
    types: sorted(
      await q(sql`select t.typname, t.typtype, coalesce(string_agg(e.enumlabel, ',' order by e.enumsortorder), '') as labels
        from pg_type t join pg_namespace n on n.oid = t.typnamespace left join pg_enum e on e.enumtypid = t.oid
        where n.nspname = current_schema() and t.typtype in ('e', 'd') group by t.typname, t.typtype`),
    ),
  };
}

async function sqliteDump(db: Kysely<Database>): Promise<Dump> {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows as Array<Record<string, unknown>>;
  const master = (await q(sql`select type, name, tbl_name, sql from sqlite_master`)).filter((r) => isOwn(String(r.tbl_name)) && isOwn(String(r.name)));
  const dump: Dump = { master: sorted(master.map((r) => ({ ...r, sql: normaliseSql(r.sql as string | null) }))) };
  const tables = master.filter((r) => r.type === 'table').map((r) => String(r.name));
  const columns: Array<Record<string, unknown>> = [];
  const indexes: Array<Record<string, unknown>> = [];
  const foreignKeys: Array<Record<string, unknown>> = [];
  for (const table of tables) {
    for (const { cid: _cid, ...column } of await q(sql`select * from pragma_table_info(${table})`)) columns.push({ table, ...column });
    for (const index of await q(sql`select name, "unique", origin, partial from pragma_index_list(${table})`)) {
      const parts = (await q(sql`select seqno, name from pragma_index_info(${String(index.name)})`))
        .sort((a, b) => Number(a.seqno) - Number(b.seqno))
        .map((p) => p.name)
        .join(',');
      indexes.push({ table, ...index, columns: parts });
    }
    for (const { id: _id, ...fk } of await q(sql`select * from pragma_foreign_key_list(${table})`)) foreignKeys.push({ table, ...fk });
  }
  dump.columns = sorted(columns);
  dump.indexes = sorted(indexes);
  dump.foreignKeys = sorted(foreignKeys);
  return dump;
}

/** What differs between two dumps, section by section, for a readable failure. */
function differences(actual: Dump, expected: Dump): string {
  const out: string[] = [];
  for (const section of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = new Set(actual[section] ?? []);
    const e = new Set(expected[section] ?? []);
    for (const row of e) if (!a.has(row)) out.push(`  missing  ${section}: ${row}`);
    for (const row of a) if (!e.has(row)) out.push(`  extra    ${section}: ${row}`);
  }
  return out.join('\n');
}

describeEachDialect('every migration down restores the schema before it', (dialect) => {
  const scratchDb = useScratchDb(dialect);

  it('walks up one migration at a time, then down, comparing catalog dumps', async function () {
    this.timeout(120_000);
    const kysely = scratchDb().kysely;
    const dump = dialect === 'postgres' ? postgresDump : sqliteDump;
    const names = Object.keys(MIGRATIONS);
    assert.ok(names.length > 0);

    // dumps[i]: the schema with the first i migrations applied (dumps[0]: empty).
    const dumps: Dump[] = [await dump(kysely)];
    assert.ok(Object.values(dumps[0] ?? {}).every((rows) => rows.length === 0), 'starts from the empty schema');
    for (const name of names) {
      const result = await migrateUp(kysely);
      assert.deepEqual(result.results?.map((r) => r.migrationName), [name]);
      dumps.push(await dump(kysely));
    }
    assert.ok((await migrationStatus(kysely)).every((m) => m.executedAt !== null));
    // The dump sees the schema: every kind of object the migrations make is in it.
    const latest = dumps.at(-1) ?? {};
    const expected = dialect === 'postgres' ? ['columns', 'tables', 'tableConstraints', 'keyColumns', 'constraints', 'indexes', 'triggers', 'functions'] : ['master', 'columns', 'indexes', 'foreignKeys'];
    for (const section of expected) assert.ok((latest[section]?.length ?? 0) > 0, `the dump has ${section}`);

    // The first wrong down is the one to fix: every schema after it differs as well.
    for (let i = names.length; i >= 1; i--) {
      const result = await migrateDown(kysely);
      assert.deepEqual(result.results?.map((r) => r.migrationName), [names[i - 1]]);
      const diff = differences(await dump(kysely), dumps[i - 1] ?? {});
      if (diff !== '') assert.fail(`${names[i - 1]} down does not restore the schema of ${names[i - 2] ?? 'the empty database'} (${dialect}):\n${diff}`);
    }
    assert.ok(Object.values(await dump(kysely)).every((rows) => rows.length === 0), 'ends with the empty schema');
  });
});

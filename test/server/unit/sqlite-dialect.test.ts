import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { sqliteDialect, withStatementCache } from '../../../server/db/sqlite-dialect.js';

describe('SQLite dialect', () => {
  let raw: SQLite.Database;
  beforeEach(() => {
    raw = new SQLite(':memory:');
    raw.exec('create table t (id integer primary key, v text)');
  });
  afterEach(() => {
    if (raw.open) raw.close();
  });

  it('hands out the same statement for the same SQL and keeps at most `max`, least recently used out', () => {
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select 1');
    assert.equal(db.prepare('select 1'), a);
    const b = db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    // `select 2` was the least recently used of three: it was dropped, `select 1` kept.
    assert.equal(db.prepare('select 1'), a);
    assert.notEqual(db.prepare('select 2'), b);
  });

  it('never hands out a statement that is still being iterated', () => {
    const db = withStatementCache(raw);
    raw.exec("insert into t (v) values ('a'), ('b')");
    const first = db.prepare('select v from t');
    const rows = first.iterate([])[Symbol.iterator]();
    assert.equal((rows.next().value as { v: string }).v, 'a');
    const second = db.prepare('select v from t');
    assert.notEqual(second, first);
    assert.deepEqual(second.all([]), [{ v: 'a' }, { v: 'b' }]);
    rows.return?.();
    assert.equal(db.prepare('select v from t'), first);
  });

  it('runs Kysely queries and schema changes as before, and closes the database', async () => {
    const kysely = new Kysely<{ t: { id: number; v: string; w?: string | null } }>({ dialect: sqliteDialect(raw) });
    await kysely.insertInto('t').values({ id: 1, v: 'x' }).execute();
    const select = () => kysely.selectFrom('t').selectAll().execute();
    assert.deepEqual(await select(), [{ id: 1, v: 'x' }]);
    await sql`alter table t add column w text`.execute(kysely);
    // The kept statement of `select *` sees the new column.
    assert.deepEqual(await select(), [{ id: 1, v: 'x', w: null }]);
    await kysely.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ v: 'y' }).where('id', '=', 1).execute();
    });
    assert.equal((await select())[0]?.v, 'y');
    await kysely.destroy();
    assert.equal(raw.open, false);
  });

  it('serves queued queries in order, each transaction whole, and goes on after a failed one', async () => {
    const kysely = new Kysely<{ t: { id: number; v: string } }>({ dialect: sqliteDialect(raw) });
    const order: number[] = [];
    const runs = Array.from({ length: 200 }, (_, i) =>
      i % 50 === 7
        ? kysely.transaction().execute(async (trx) => {
            await trx.insertInto('t').values({ id: 10_000 + i, v: 'doomed' }).execute();
            throw new Error('rolled back');
          })
        : kysely.transaction().execute(async (trx) => {
            await trx.insertInto('t').values({ id: i, v: String(i) }).execute();
            // Another query waits meanwhile; this transaction still sees only its own rows.
            await new Promise<void>((resolve) => setImmediate(resolve));
            const count = await trx.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
            order.push(i);
            return count.n;
          }),
    );
    const results = await Promise.allSettled(runs);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 4);
    // In the order they were asked for, each counting the rows of those before it and its own.
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    const counts = results.flatMap((r) => (r.status === 'fulfilled' ? [Number(r.value)] : []));
    assert.deepEqual(counts, counts.map((_, k) => k + 1));
    assert.equal(Number((await kysely.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 196);
    await kysely.destroy();
  });
});

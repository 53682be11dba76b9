/**
 * Statements marked PREPARED go to Postgres as named prepared statements (parsed and planned
 * once per connection); everything else as before.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../server/db/database.js';
import { PREPARED, preparedName } from '../../server/db/prepared.js';
import { createPostgresScratch, needService, type ScratchDatabase } from '../helpers/services.js';

describe('prepared statements', () => {
  it('names a marked text by its text, and leaves unmarked texts alone', () => {
    const text = `${PREPARED} select $1::int as n`;
    const name = preparedName(text);
    assert.match(name ?? '', /^prepared_[0-9a-f]{20}$/);
    assert.equal(preparedName(text), name);
    assert.notEqual(preparedName(`${PREPARED} select $1::int as m`), name);
    assert.equal(preparedName('select $1::int as n'), null);
  });

  describe('on Postgres', () => {
    let scratch: ScratchDatabase;
    let db: Db;

    before(async function () {
      await needService(this, 'postgres');
      scratch = await createPostgresScratch();
      db = openDatabase({ dialect: 'postgres', url: scratch.url });
      await sql`create table counters (id text primary key, n integer not null)`.execute(db.kysely);
      await sql`insert into counters values ('a', 1), ('b', 2)`.execute(db.kysely);
    });

    after(async () => {
      await db?.close();
      await scratch?.drop();
    });

    const prepared = (rows: { name: string }[]) => rows.map((r) => r.name).filter((n) => n.startsWith('prepared_'));

    it('prepares a marked statement once per connection and runs it with each call’s values, also after the table changes', async () => {
      const marked = (id: string) => sql<{ n: number }>`${sql.raw(PREPARED)} select n from counters where id = ${id}`;
      await db.kysely.connection().execute(async (conn) => {
        assert.deepEqual((await marked('a').execute(conn)).rows, [{ n: 1 }]);
        assert.deepEqual((await marked('b').execute(conn)).rows, [{ n: 2 }]);
        await sql`select n from counters where id = ${'a'}`.execute(conn);
        const names = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(conn);
        assert.deepEqual(prepared(names.rows), [preparedName(marked('a').compile(db.kysely).sql)]);

        await sql`alter table counters add column note text`.execute(conn);
        assert.deepEqual((await marked('b').execute(conn)).rows, [{ n: 2 }]);
      });
    });
  });
});

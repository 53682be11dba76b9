import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { loadConfig } from '../../server/config.js';
import { JobRunsRepository } from '../../server/repositories/job-runs-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';

const MINUTE = 60_000;

describeEachDialect('job runs: one run per interval across processes', (dialect) => {
  let scratch: ScratchDatabase;
  let dbs: Db[] = [];
  let runs: JobRunsRepository[] = [];

  before(async () => {
    scratch = await createScratch(dialect);
    const config = loadConfig({ DATABASE_URL: scratch.url }).database;
    // Three "processes": three connections (pools) to one database.
    dbs = [openDatabase(config), openDatabase(config), openDatabase(config)];
    await migrateToLatest(dbs[0]!.kysely);
    runs = dbs.map((db) => new JobRunsRepository(db.kysely));
  });

  after(async () => {
    for (const db of dbs) await db.close();
    await scratch?.drop();
  });

  it('lets exactly one of many simultaneous claims win, and records who', async () => {
    const t0 = 1_000 * MINUTE;
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => runs[i % runs.length]!.claim('stars_reconcile', `host:${i}`, t0, 10 * MINUTE)),
    );
    assert.equal(claims.filter(Boolean).length, 1);
    const winner = claims.indexOf(true);
    assert.deepEqual(await runs[0]!.last('stars_reconcile'), { lastStartedAt: t0, holder: `host:${winner}` });
  });

  it('refuses another run before the gap has passed, and allows one after it (once)', async () => {
    const last = (await runs[0]!.last('stars_reconcile'))!.lastStartedAt;
    assert.equal(await runs[1]!.claim('stars_reconcile', 'early', last + 9 * MINUTE, 10 * MINUTE), false);
    assert.equal((await runs[0]!.last('stars_reconcile'))!.lastStartedAt, last);
    const later = last + 10 * MINUTE;
    const claims = await Promise.all(runs.map((r, i) => r.claim('stars_reconcile', `late:${i}`, later, 10 * MINUTE)));
    assert.equal(claims.filter(Boolean).length, 1);
    assert.equal((await runs[2]!.last('stars_reconcile'))!.lastStartedAt, later);
  });

  it('keeps jobs apart by name', async () => {
    assert.equal(await runs[0]!.claim('another_job', 'host:0', 5 * MINUTE, 10 * MINUTE), true);
    assert.equal(await runs[0]!.last('never_run'), undefined);
  });
});

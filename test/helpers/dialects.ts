import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { createScratch, needService, type DialectName, type ScratchDatabase } from './services.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Declares the suite once per database dialect; Postgres suites require the real service. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, function () {
      if (dialect === 'postgres') {
        before(async function () {
          await needService(this, 'postgres');
        });
      }
      body(dialect);
    });
  }
}

/** A fresh, unmigrated database of the dialect for the enclosing suite, dropped after it. */
export function useScratchDb(dialect: DialectName): () => Db {
  let scratch: ScratchDatabase | undefined;
  let db: Db | undefined;
  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });
  return () => {
    if (!db) throw new Error('the scratch database is opened in before()');
    return db;
  };
}

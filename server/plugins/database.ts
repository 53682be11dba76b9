/** The database (SQLite file or Postgres), migrated to the latest schema before anything uses it. */
import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export const databasePlugin = fp(
  async (app) => {
    const { config } = app.core;
    const db = openDatabase(config.database, config.deadlines.database);
    try {
      await db.withoutDeadlines(migrateToLatest);
    } catch (err) {
      await db.close();
      throw err;
    }
    app.decorate('db', db);
    // Closed last: every other plugin's close hook runs before (onClose runs in reverse order).
    app.addHook('onClose', () => db.close());
  },
  { name: 'database', dependencies: ['core'] },
);

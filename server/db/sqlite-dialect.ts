/**
 * The embedded SQLite database as Kysely sees it, with two costs of Kysely's stock SQLite
 * driver taken out (both grow with load, and both showed in bench:rooms at 10,000 players):
 * - it prepares every query's SQL again on each execution, and better-sqlite3's `prepare`
 *   (parsing and planning) costs more than running most of the game's queries. Statements are
 *   kept by SQL text here, the least recently used dropped past `max` (queries with a variable
 *   number of parameters make new texts); a statement still being iterated (a streamed query)
 *   is never handed out twice;
 * - its one connection is guarded by a mutex whose waiters all wake on every release and all
 *   but one go back to sleep: n queued queries cost n² wake-ups (10,000 homes closing at
 *   shutdown spent seconds there). Waiters queue here in order instead, one woken per release.
 */
import type SQLite from 'better-sqlite3';
import {
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDatabase,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';

export const SQLITE_STATEMENT_CACHE_SIZE = 500;

/** `db` for Kysely, keeping up to `max` prepared statements. */
export function withStatementCache(db: SQLite.Database, max = SQLITE_STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const kept = statements.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = db.prepare(sql);
      if (!kept) {
        statements.set(sql, statement);
        if (statements.size > max) statements.delete(statements.keys().next().value as string);
      }
      return statement;
    },
  };
}

/** Kysely's SQLite driver with its one connection handed to waiters in order, one at a time. */
class QueuedSqliteDriver implements Driver {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy = true;
    // The inner driver's mutex is free: only the holder of this queue gets this far.
    return this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      // The next waiter, if any, holds the connection now; `busy` stays set for it.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint?.(connection, name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, name, compileQuery);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class QueuedSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new QueuedSqliteDriver(super.createDriver());
  }
}

/** The dialect the game opens SQLite with: kept statements, waiters served in order. */
export function sqliteDialect(db: SQLite.Database): SqliteDialect {
  return new QueuedSqliteDialect({ database: withStatementCache(db) });
}

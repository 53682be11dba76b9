/**
 * Opens the database named by the configuration: Postgres through `pg` or an embedded
 * SQLite file through better-sqlite3, both behind Kysely.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = DatabaseConfig['dialect'];

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;

const int8AsNumber = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

export function openDatabase(config: DatabaseConfig): Db {
  if (config.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 10,
      connectionTimeoutMillis: 5000,
      // Telegram ids and epoch milliseconds fit in 2^53; parse them as numbers.
      types: { getTypeParser: int8AsNumber },
    });
    // An idle client erroring (database restart) must not crash the process.
    pool.on('error', () => undefined);
    // Neither may a client in use when its connection drops: pg emits 'error' on it besides
    // rejecting its query, and nothing else listens to a checked-out client. The query's
    // rejection reaches the caller; the pool discards the broken client on release.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return wrap(kysely, 'postgres');
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
  const sqlite = new SQLite(config.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return wrap(kysely, 'sqlite');
}

function wrap(kysely: Kysely<Database>, dialect: Dialect): Db {
  let closed = false;
  return {
    kysely,
    dialect,
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      });
      try {
        await Promise.race([sql`select 1`.execute(kysely), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

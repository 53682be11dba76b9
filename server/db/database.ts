/**
 * Opens the database named by the configuration: Postgres through `pg` or an embedded
 * SQLite file through better-sqlite3, both behind Kysely.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig, DatabaseDeadlines } from '../config.js';
import { withDeadline } from '../util/deadline.js';
import { preparedName } from './prepared.js';
import type { Database } from './schema.js';
import { sqliteDialect } from './sqlite-dialect.js';

export type Dialect = DatabaseConfig['dialect'];

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Runs `work` on a database handle without the statement deadlines (a migration may take
   * minutes): a one-connection pool of its own on Postgres, the same handle on SQLite.
   */
  withoutDeadlines<T>(work: (kysely: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * A handle for batch writes (snapshot flushes of many pets) with the longer batch deadline:
   * two connections of their own on Postgres, so a long flush never holds a request's
   * connection; the same handle on SQLite.
   */
  batch: Kysely<Database>;
  close(): Promise<void>;
}

const INT8_OID = 20;

const int8AsNumber = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

/** Opening a connection when no deadlines are given (tools, benchmarks, migrations). */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * `deadlines` bound every Postgres call (the server and the worker pass them); without them
 * only opening a connection is bounded.
 */
export function openDatabase(config: DatabaseConfig, deadlines?: DatabaseDeadlines): Db {
  if (config.dialect === 'postgres') {
    const kysely = postgres(config.url, 10, deadlines);
    const batch = deadlines
      ? postgres(config.url, 2, { ...deadlines, statementTimeoutMs: deadlines.batchTimeoutMs, queryTimeoutMs: deadlines.batchTimeoutMs + 1000 })
      : kysely;
    const unbounded = deadlines ? () => openDatabase(config) : null;
    return wrap(kysely, batch, 'postgres', unbounded);
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
  const sqlite = new SQLite(config.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: sqliteDialect(sqlite) });
  return wrap(kysely, kysely, 'sqlite', null);
}

/**
 * A Kysely handle on a pool of `max` Postgres connections. `deadlines` bound every call (the
 * server and the worker pass them); without them only opening a connection is bounded.
 */
function postgres(url: string, max: number, deadlines: DatabaseDeadlines | undefined): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: deadlines?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(deadlines
      ? {
          statement_timeout: deadlines.statementTimeoutMs,
          query_timeout: deadlines.queryTimeoutMs,
          idle_in_transaction_session_timeout: deadlines.idleInTransactionTimeoutMs,
          keepAlive: true,
          keepAliveInitialDelayMillis: deadlines.keepAliveDelayMs,
        }
      : {}),
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
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingUnanswered(pool) }) });
}

/**
 * The pool as Kysely uses it, but a client whose query got no answer within `query_timeout`
 * (a half-open connection) is destroyed on release: back in the pool, every later query on
 * it would wait behind the unanswered one until it timed out too. A statement marked
 * `PREPARED` is sent as a named prepared statement (prepared.ts).
 */
function discardingUnanswered(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let unanswered = false;
      const query = (...args: unknown[]): unknown => {
        const [text, values] = args;
        const name = typeof text === 'string' ? preparedName(text) : null;
        const result = (client.query as (...a: unknown[]) => unknown)(...(name === null ? args : [{ name, text, values }]));
        if (result instanceof Promise) {
          result.catch((err: unknown) => {
            if (err instanceof Error && err.message === QUERY_READ_TIMEOUT) unanswered = true;
          });
        }
        return result;
      };
      return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy === true || unanswered) };
    },
    end: () => pool.end(),
  };
}

/** What pg says when `query_timeout` passes. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

function wrap(kysely: Kysely<Database>, batch: Kysely<Database>, dialect: Dialect, unbounded: (() => Db) | null): Db {
  let closed = false;
  return {
    kysely,
    batch,
    dialect,
    async withoutDeadlines(work) {
      if (!unbounded) return work(kysely);
      const own = unbounded();
      try {
        return await work(own.kysely);
      } finally {
        await own.close();
      }
    },
    async ping(timeoutMs = 2000) {
      await withDeadline(sql`select 1`.execute(kysely), timeoutMs, () => new Error(`database ping timed out after ${timeoutMs} ms`));
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      if (batch !== kysely) await batch.destroy();
    },
  };
}

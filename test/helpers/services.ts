/**
 * Real services for integration tests: Postgres and Redis from TEST_DATABASE_URL /
 * TEST_REDIS_URL (local defaults). Under CI=true a missing service fails the run; locally
 * the suites that need it are skipped with a message.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const IN_CI = process.env.CI === 'true';

let postgresUp: Promise<boolean> | undefined;
let redisUp: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  postgresUp ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresUp;
}

export function redisAvailable(): Promise<boolean> {
  redisUp ??= (async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  })();
  return redisUp;
}

/**
 * Call in a `before` hook: skips the suite when the service is down locally, fails it in CI.
 */
export async function needService(ctx: Mocha.Context, name: 'postgres' | 'redis'): Promise<void> {
  const up = name === 'postgres' ? await postgresAvailable() : await redisAvailable();
  if (up) return;
  const where = name === 'postgres' ? TEST_DATABASE_URL : TEST_REDIS_URL;
  if (IN_CI) throw new Error(`${name} is required under CI=true but is not reachable at ${where}`);
  console.warn(`  (skipping: ${name} not reachable at ${where}; CI=true makes this a failure)`);
  ctx.skip();
}

/** Deletes every Redis key under `prefix:` (a test's own queue or limit prefix). */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface ScratchDatabase {
  /** DATABASE_URL for the app. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty Postgres schema used through search_path: one per test file. */
export async function createPostgresScratch(): Promise<ScratchDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** A fresh SQLite file in a temp directory. */
export function createSqliteScratch(): ScratchDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-'));
  return {
    url: `sqlite:${path.join(dir, 'test.db')}`,
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type DialectName = 'sqlite' | 'postgres';

export async function createScratch(dialect: DialectName): Promise<ScratchDatabase> {
  return dialect === 'postgres' ? createPostgresScratch() : createSqliteScratch();
}

/**
 * Starts the real app (Fastify + Colyseus on one port) on a free port against a fresh
 * database, for integration, room and browser tests.
 */
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { buildApp, type App } from '../../server/app.js';
import { signInitData } from '../../server/auth/init-data.js';
import { loadConfig } from '../../server/config.js';
import { epochSeconds, testClock } from './clock.js';
import { createScratch, type DialectName, type ScratchDatabase } from './services.js';

export interface TestUser {
  id: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
  startParam?: string;
  /** Telegram's allows_write_to_pm in the signed user. */
  allowsWriteToPm?: boolean;
}

export interface TestServer {
  app: App;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  database: ScratchDatabase;
  /** The app's wall clock (epoch ms): a test clock unless the test passed its own `now`. */
  now: () => number;
  /** Validly signed initData for a test user (auth_date the app's now unless given). */
  initData(user: TestUser, authDate?: number): string;
  /** fetch with `Authorization: tma <initData>` for the user. */
  api(user: TestUser | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: any }>;
  /** Stops the app gracefully (flushes pets); keeps the database unless `dropDatabase`. */
  stop(options?: { dropDatabase?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  dialect?: DialectName;
  /** Reuse an existing scratch database (e.g. to restart a server on the same data). */
  database?: ScratchDatabase;
  env?: Record<string, string>;
  /** Fixed bot token (so initData stays valid across restarts). */
  botToken?: string;
  /**
   * The app's wall clock (epoch ms). Default: a test clock (test/helpers/clock.ts) that starts
   * at a fixed instant and runs at real speed, so the app sees the same dates on any day.
   */
  now?: () => number;
  /** The app's logger (default: silent, or TEST_LOG_LEVEL), for tests that read its lines. */
  logger?: Logger;
}

export const TEST_BOT_TOKEN = '123456789:TEST_token_for_integration_tests_only';

/**
 * A `SIM_CLOCK_OFFSET_S` that puts the game clock at noon UTC at `nowMs` (the app's clock at
 * start), so that pets of players at UTC+0 are awake for the next game hours.
 */
export function noonClockOffset(timeScale: number, nowMs: number): number {
  const clock = (nowMs / 1000) * timeScale;
  return 12 * 3600 - (clock % 86400);
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createScratch(options.dialect ?? 'sqlite'));
  const botToken = options.botToken === undefined ? TEST_BOT_TOKEN : options.botToken;
  const now = options.now ?? testClock();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    SNAPSHOT_INTERVAL_S: '1',
    SIM_CLOCK_OFFSET_S: String(noonClockOffset(Number(options.env?.SIM_TIME_SCALE ?? 1), now())),
    ...(botToken ? { TELEGRAM_BOT_TOKEN: botToken } : {}),
    // Rate-limit counters of servers on a shared Redis stay apart unless a test shares them on purpose.
    RATE_LIMIT_PREFIX: `test-${randomBytes(6).toString('hex')}:rate-limit:`,
    ...options.env,
  });
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildApp(config, { logger, now });
  const port = await app.start();
  const url = `http://127.0.0.1:${port}`;
  // Signed at the app's own time: the app must not see its users' sign-ins from the future or the past.
  const initData = (user: TestUser, authDate = epochSeconds(now())) =>
    signInitData(
      {
        user: {
          id: user.id,
          first_name: user.firstName ?? `User${user.id}`,
          ...(user.username ? { username: user.username } : {}),
          ...(user.languageCode ? { language_code: user.languageCode } : {}),
          ...(user.allowsWriteToPm !== undefined ? { allows_write_to_pm: user.allowsWriteToPm } : {}),
        },
        authDate,
        startParam: user.startParam ?? null,
      },
      app.botToken,
    );
  return {
    app,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    database,
    now,
    initData,
    async api(user, method, path, body, extraHeaders = {}) {
      const headers: Record<string, string> = { ...extraHeaders };
      if (user) headers.authorization = `tma ${initData(user)}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: Object.fromEntries(res.headers), body: parsed };
    },
    async stop({ dropDatabase = false } = {}) {
      await app.stop();
      if (dropDatabase) await database.drop();
    },
  };
}

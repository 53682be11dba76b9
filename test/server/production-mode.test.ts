/**
 * Production mode (NODE_ENV=production): the app with every production setting on a real
 * Postgres has no dev sign-in and no fake Bot API, and says at start which mode it runs in; a
 * process with missing settings does not start at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import { signInitData } from '../../server/auth/init-data.js';
import { loadDevBotApi } from '../../server/telegram/dev-bot-api.js';
import { epochSeconds, testClock } from '../helpers/clock.js';
import { clockEnv } from '../helpers/process.js';
import { createPostgresScratch, needService, type ScratchDatabase } from '../helpers/services.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const BOT_TOKEN = '123456789:PROD_mode_token_for_tests_only_x';

/** The fake Bot API's routes, for the bot token in use: there in development, absent in production. */
const fakeBotApiRoutes = (token: string) =>
  [
    ['GET', `/dev/bot-api/bot${token}/getMe`],
    ['POST', `/dev/bot-api/bot${token}/getWebhookInfo`],
  ] as const;

async function statusOf(url: string, method: string): Promise<number> {
  const res = await fetch(url, { method });
  await res.arrayBuffer();
  return res.status;
}

/** A pino destination that keeps every line, for assertions on what the app logged. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('production mode', function () {
  let database: ScratchDatabase | undefined;
  let telegram: FakeBotApi | undefined;
  let server: TestServer | undefined;
  let logs: ReturnType<typeof capturedLogger>;

  before(async function () {
    await needService(this, 'postgres');
    database = await createPostgresScratch();
    // Telegram itself, outside the server (the server is pointed at it like at api.telegram.org).
    telegram = new FakeBotApi({ token: BOT_TOKEN, now: testClock() });
    const apiRoot = await telegram.listen();
    logs = capturedLogger();
    server = await startTestServer({
      database,
      botToken: BOT_TOKEN,
      logger: logs.logger,
      env: {
        NODE_ENV: 'production',
        TELEGRAM_WEBHOOK_SECRET: 'prod_webhook_secret_0123456789',
        JWT_SECRET: randomBytes(32).toString('hex'),
        ADMIN_PASSWORD: 'a long production password',
        PUBLIC_URL: 'https://pets.example.test',
        TELEGRAM_API_ROOT: apiRoot,
        STARS_RECONCILE_INTERVAL_S: '0',
      },
    });
  });

  after(async () => {
    await server?.stop();
    await telegram?.close();
    await database?.drop();
  });

  const s = () => {
    if (!server) throw new Error('started in before()');
    return server;
  };

  it('runs in production mode on Postgres with neither dev sign-in nor the fake Bot API', async () => {
    const { app } = s();
    assert.equal(app.config.mode, 'production');
    assert.equal(app.db.dialect, 'postgres');
    assert.equal(app.devSignIn, false);
    assert.equal(app.devBotApi, null);
    const config = await s().api(null, 'GET', '/api/v1/client-config');
    assert.equal(config.status, 200);
    assert.equal(config.body.devSignIn, false);
    assert.equal(config.body.devPaymentsPath, null);
  });

  it('says which mode it runs in, in one structured line', () => {
    const lines = logs.lines().filter((l) => l.msg === 'telepets mode production');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.mode, 'production');
    assert.equal(lines[0]?.database, 'postgres');
    assert.equal(lines[0]?.cluster, false);
    assert.equal(lines[0]?.devSignIn, false);
    assert.equal(lines[0]?.fakeBotApi, false);
  });

  it('has no dev sign-in route: initData comes only from Telegram', async () => {
    const dev = await s().api(null, 'POST', '/api/v1/dev/init-data', { telegramId: 42 });
    assert.equal(dev.status, 404);
    const openapi = await s().api(null, 'GET', '/openapi.json');
    assert.equal(openapi.status, 200);
    assert.ok(!Object.keys(openapi.body.paths as object).some((p) => p.includes('/dev/')), 'no dev route in the OpenAPI document');
  });

  it('refuses initData that is not signed with the bot token (what a dev sign-in would make): 401', async () => {
    const devSigned = signInitData({ user: { id: 42, first_name: 'Mallory' }, authDate: epochSeconds(s().now()), startParam: null }, '1:not_the_bot_token_xxxxxxxxxxxxxxxx');
    const forged = await s().api(null, 'GET', '/api/v1/me', undefined, { authorization: `tma ${devSigned}` });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'AUTH_INVALID');
    // The web client's ?user=<n> picks a dev user: on a production server it signs nobody in.
    const byQuery = await s().api(null, 'GET', '/api/v1/me?user=42');
    assert.equal(byQuery.status, 401);
    // The same player, signed by Telegram (the bot token), gets in.
    const real = await s().api({ id: 42 }, 'GET', '/api/v1/me');
    assert.equal(real.status, 200);
  });

  it('has no fake Bot API routes: 404', async () => {
    for (const [method, path] of [...fakeBotApiRoutes(BOT_TOKEN), ['GET', '/dev/bot-api/_dev/invoices/x'] as const]) {
      assert.equal(await statusOf(`${s().url}${path}`, method), 404, `${method} ${path}`);
    }
  });

  it('never loads the fake Bot API module in production', async () => {
    await assert.rejects(loadDevBotApi({ token: BOT_TOKEN }, 'production'), /never loaded in production/);
  });
});

// The same probes on a development server answer, so the 404s above are production's doing.
describe('development mode (the contrast)', () => {
  let server: TestServer | undefined;
  let logs: ReturnType<typeof capturedLogger>;

  before(async () => {
    logs = capturedLogger();
    server = await startTestServer({ botToken: '', logger: logs.logger });
  });

  after(async () => {
    await server?.stop({ dropDatabase: true });
  });

  it('has dev sign-in and the fake Bot API, and says so', async () => {
    if (!server) throw new Error('started in before()');
    assert.equal(server.app.config.mode, 'development');
    const dev = await server.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: 42 });
    assert.equal(dev.status, 200);
    const me = await server.api(null, 'GET', '/api/v1/me', undefined, { authorization: `tma ${dev.body.initData as string}` });
    assert.equal(me.status, 200);
    for (const [method, path] of fakeBotApiRoutes(server.app.botToken)) {
      assert.equal(await statusOf(`${server.url}${path}`, method), 200, `${method} ${path}`);
    }
    const line = logs.lines().find((l) => l.msg === 'telepets mode development');
    assert.deepEqual([line?.mode, line?.database, line?.cluster, line?.devSignIn, line?.fakeBotApi], ['development', 'sqlite', false, true, true]);
  });
});

describe('production mode without its settings', () => {
  it('does not start: exit code 2 and one plain-text line naming every missing setting', async function () {
    this.timeout(60_000);
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...clockEnv(), NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:1', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '', 'nothing started, nothing logged');
    const lines = stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, stderr);
    const line = lines[0] ?? '';
    assert.match(line, /^Invalid configuration for production \(NODE_ENV=production\): /);
    for (const name of ['DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'JWT_SECRET', 'ADMIN_PASSWORD', 'PUBLIC_URL', 'PUBLIC_ADDRESS']) {
      assert.match(line, new RegExp(`${name}: required in production`), name);
    }
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});

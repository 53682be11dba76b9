import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import { grantCoins } from '../helpers/economy.js';
import { waitFor } from '../helpers/rooms.js';
import { createPostgresScratch, needService, TEST_REDIS_URL, type ScratchDatabase } from '../helpers/services.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';
import { testClock } from '../helpers/clock.js';

const ADMIN_PASSWORD = 'admin-password-for-rate-limit-tests';
const WEBHOOK_SECRET = 'rate_limit_webhook_secret';
/** Every window outlasts any test by far: limits are reached by count, never by waiting. */
const LONG_WINDOW = { RATE_LIMIT_WINDOW_S: '3600', RATE_LIMIT_ADMIN_LOGIN_WINDOW_S: '3600' };

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines the test can read. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info', formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { lines, logger };
}

/** A request through the whole Fastify pipeline as if from `ip` (light-my-request sets the socket address). */
async function request(s: TestServer, ip: string, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await s.app.http.inject({ method, url, remoteAddress: ip, headers, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : null };
}

const login = (s: TestServer, ip: string, password: string) => request(s, ip, 'POST', '/admin/login', { password });

/** A sample of /metrics, 0 when the series has no sample yet. */
async function metric(s: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** The shape every 429 has: RATE_LIMITED in the error body, its wait in Retry-After too. */
function assertRateLimited(res: { status: number; headers: Record<string, unknown>; body: any }, windowSeconds: number): void {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'RATE_LIMITED');
  assert.equal(typeof res.body.error.message, 'string');
  const wait = res.body.error.retryAfterSeconds;
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= windowSeconds, `retryAfterSeconds ${wait}`);
  assert.equal(res.headers['retry-after'], String(wait));
  assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message', 'retryAfterSeconds']);
}

describe('rate limits', () => {
  describe('admin login (counters in this process)', () => {
    let s: TestServer;
    let lines: LogLine[];
    before(async () => {
      const captured = capturedLogger();
      lines = captured.lines;
      // The default budget (5 attempts per address), in a window no test outlasts.
      s = await startTestServer({ logger: captured.logger, env: { ...LONG_WINDOW, ADMIN_PASSWORD } });
    });
    after(async () => {
      await s?.stop({ dropDatabase: true });
    });

    it('answers 5 wrong passwords from one address with 401 and the 6th with 429, Retry-After and the error body', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await login(s, '198.51.100.1', `guess-${i}`)).status, 401);
      assertRateLimited(await login(s, '198.51.100.1', 'guess-5'), 3600);
    });

    it('refuses the right password too from an address that is locked out', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await login(s, '198.51.100.2', `guess-${i}`)).status, 401);
      assertRateLimited(await login(s, '198.51.100.2', ADMIN_PASSWORD), 3600);
    });

    it("lets the right password in from another address: nobody's failures lock the admin out elsewhere", async () => {
      for (let i = 0; i < 6; i++) await login(s, '198.51.100.3', `guess-${i}`);
      const res = await login(s, '198.51.100.4', ADMIN_PASSWORD);
      assert.equal(res.status, 200);
      assert.equal(typeof res.body.token, 'string');
    });

    it('logs each lockout once, as a warn line with the address, the attempts and the wait', async () => {
      for (let i = 0; i < 9; i++) await login(s, '198.51.100.5', `guess-${i}`);
      const lockouts = lines.filter((l) => l.msg === 'admin login locked out' && l.ip === '198.51.100.5');
      assert.equal(lockouts.length, 1, JSON.stringify(lockouts));
      const [line] = lockouts;
      assert.equal(line!.level, 'warn');
      assert.equal(line!.attempts, 6);
      assert.ok(Number.isInteger(line!.retryAfterSeconds) && (line!.retryAfterSeconds as number) >= 1);
    });

    it('counts lockouts and refusals in /metrics', async () => {
      const lockouts = await metric(s, 'admin_login_lockouts_total');
      const refused = await metric(s, 'rate_limited_requests_total', 'limit="admin-login"');
      for (let i = 0; i < 7; i++) await login(s, '198.51.100.6', `guess-${i}`);
      assert.equal(await metric(s, 'admin_login_lockouts_total'), lockouts + 1);
      assert.equal(await metric(s, 'rate_limited_requests_total', 'limit="admin-login"'), refused + 2);
    });

    it('gives an IPv6 /64 one budget, so an attacker cannot rotate addresses inside it', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await login(s, `2001:db8:7:7::${i + 1}`, `guess-${i}`)).status, 401);
      assertRateLimited(await login(s, '2001:db8:7:7:ffff:ffff:ffff:fffe', ADMIN_PASSWORD), 3600);
      assert.equal((await login(s, '2001:db8:7:8::1', ADMIN_PASSWORD)).status, 200, 'the next /64 is someone else');
    });

    it('ignores X-Forwarded-For from a client when no proxy is trusted: rotating it does not reset the budget', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await request(s, '198.51.100.7', 'POST', '/admin/login', { password: `guess-${i}` }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
        assert.equal(res.status, 401);
      }
      assertRateLimited(await request(s, '198.51.100.7', 'POST', '/admin/login', { password: ADMIN_PASSWORD }, { 'x-forwarded-for': '203.0.113.99' }), 3600);
    });
  });

  describe('admin login behind a trusted proxy', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ env: { ...LONG_WINDOW, ADMIN_PASSWORD, TRUST_PROXY: '10.1.1.1' } });
    });
    after(async () => {
      await s?.stop({ dropDatabase: true });
    });

    it("counts the client address the proxy forwards, not the proxy's", async () => {
      const via = (client: string, password: string) => request(s, '10.1.1.1', 'POST', '/admin/login', { password }, { 'x-forwarded-for': client });
      for (let i = 0; i < 5; i++) assert.equal((await via('203.0.113.10', `guess-${i}`)).status, 401);
      assertRateLimited(await via('203.0.113.10', ADMIN_PASSWORD), 3600);
      assert.equal((await via('203.0.113.11', ADMIN_PASSWORD)).status, 200);
    });
  });

  describe('player limits (counters in this process)', () => {
    let s: TestServer;
    let fake: FakeBotApi;
    let n = 0;
    const newUser = async (): Promise<{ user: TestUser; id: string }> => {
      const user = { id: 7_700_000 + ++n };
      const me = await s.api(user, 'GET', '/api/v1/me');
      assert.equal(me.status, 200);
      return { user, id: me.body.id as string };
    };
    const buy = (user: TestUser) => s.api(user, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 1 }, { 'idempotency-key': randomUUID() });

    before(async () => {
      fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
      const apiRoot = await fake.listen();
      s = await startTestServer({
        env: {
          ...LONG_WINDOW,
          TELEGRAM_API_ROOT: apiRoot,
          TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STARS_RECONCILE_INTERVAL_S: '0',
          RATE_LIMIT_API_MAX: '30',
          RATE_LIMIT_PUBLIC_API_MAX: '3',
          RATE_LIMIT_PURCHASES_MAX: '3',
          RATE_LIMIT_INVOICES_MAX: '2',
          RATE_LIMIT_FRIEND_ADDS_MAX: '2',
          RATE_LIMIT_IMAGE_REQUESTS_MAX: '2',
          // Only the route limit under test may refuse a picture request.
          IMAGE_MAX_IN_FLIGHT: '100',
          IMAGE_DAILY_BUDGET: '100',
        },
      });
      fake.setWebhookTarget(`${s.url}/telegram/webhook`, WEBHOOK_SECRET);
      await waitFor(() => s.app.telegram()?.ready === true, 'the bot to be ready');
    });
    after(async () => {
      await s?.stop({ dropDatabase: true });
      await fake?.close();
    });

    it('refuses a purchase past the per-player budget with 429, and only for that player', async () => {
      const buyer = await newUser();
      await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 1000);
      for (let i = 0; i < 3; i++) assert.equal((await buy(buyer.user)).status, 201);
      assertRateLimited(await buy(buyer.user), 3600);
      const other = await newUser();
      await grantCoins(s.app.db.kysely, s.app.ledger, other.id, 1000);
      assert.equal((await buy(other.user)).status, 201);
    });

    it('refuses a Stars invoice past the per-player budget', async () => {
      const payer = await newUser();
      for (let i = 0; i < 2; i++) assert.equal((await s.api(payer.user, 'POST', '/api/v1/stars/invoices', { productId: 'coins_250' })).status, 201);
      assertRateLimited(await s.api(payer.user, 'POST', '/api/v1/stars/invoices', { productId: 'coins_250' }), 3600);
    });

    it('counts every invite code tried, found or not, against the friend-add budget', async () => {
      const friend = await newUser();
      const code = (await s.api(friend.user, 'GET', '/api/v1/me')).body.inviteCode as string;
      const me = await newUser();
      assert.equal((await s.api(me.user, 'POST', '/api/v1/friends', { inviteCode: 'NOSUCHCODE' })).status, 404);
      assert.equal((await s.api(me.user, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
      assertRateLimited(await s.api(me.user, 'POST', '/api/v1/friends', { inviteCode: 'NOSUCHCODE2' }), 3600);
    });

    it('gives picture regenerations and re-runs one budget per player', async () => {
      const owner = await newUser();
      const pet = (await s.api(owner.user, 'POST', '/api/v1/pets', { name: 'Painted' })).body;
      const before = await metric(s, 'rate_limited_requests_total', 'limit="image-requests"');
      const first = await s.api(owner.user, 'POST', `/api/v1/pets/${pet.id}/images/regenerate`, {});
      assert.equal(first.status, 202);
      assert.equal((await s.api(owner.user, 'POST', `/api/v1/pets/${pet.id}/images/rerun`, { seed: first.body.seed })).status, 202);
      assertRateLimited(await s.api(owner.user, 'POST', `/api/v1/pets/${pet.id}/images/regenerate`, {}), 3600);
      assert.equal(await metric(s, 'rate_limited_requests_total', 'limit="image-requests"'), before + 1, 'refused by the route limit, not the image service');
    });

    it('limits every authenticated /api/v1 request per player', async () => {
      const busy = await newUser(); // one request
      const paths = ['/api/v1/me', '/api/v1/pets', '/api/v1/inventory', '/api/v1/friends', '/api/v1/progress', '/api/v1/shop'];
      for (let i = 1; i < 30; i++) assert.equal((await s.api(busy.user, 'GET', paths[i % paths.length]!)).status, 200, `request ${i + 1}`);
      assertRateLimited(await s.api(busy.user, 'GET', '/api/v1/me'), 3600);
      assertRateLimited(await s.api(busy.user, 'GET', '/api/v1/progress'), 3600);
      const calm = await newUser();
      assert.equal((await s.api(calm.user, 'GET', '/api/v1/progress')).status, 200);
    });

    it('limits unauthenticated /api/v1 requests per client address', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await request(s, '192.0.2.1', 'GET', '/api/v1/client-config')).status, 200);
      assertRateLimited(await request(s, '192.0.2.1', 'GET', '/api/v1/client-config'), 3600);
      assert.equal((await request(s, '192.0.2.2', 'GET', '/api/v1/client-config')).status, 200);
    });

    it('never limits probes, metrics, image bytes or the Telegram webhook', async () => {
      const ip = '192.0.2.9';
      for (let i = 0; i < 10; i++) {
        assert.equal((await request(s, ip, 'GET', '/healthz')).status, 200);
        assert.equal((await request(s, ip, 'GET', '/readyz')).status, 200);
        assert.equal((await s.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: ip })).statusCode, 200);
        assert.equal((await request(s, ip, 'GET', `/api/v1/images/${randomUUID()}`)).status, 404);
        const update = await request(s, ip, 'POST', '/telegram/webhook', { update_id: 1000 + i }, { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET });
        assert.equal(update.status, 200);
      }
    });

    it('declares 429 in the OpenAPI document of every route that can answer it', async () => {
      const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      const limited: string[] = [];
      const unlimited: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          (op.responses['429'] ? limited : unlimited).push(`${method.toUpperCase()} ${path}`);
        }
      }
      // The public share page (ADR 0018) counts per client IP like the public /api/v1 routes.
      for (const route of limited) assert.ok(route.includes(' /api/v1/') || route === 'POST /admin/login' || route === 'GET /p/{shareCode}', `${route} declares 429`);
      const expectUnlimited = ['GET /api/v1/images/{imageId}', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'POST /telegram/webhook'];
      for (const route of unlimited) {
        assert.ok(!route.includes(' /api/v1/') || expectUnlimited.includes(route), `${route} should declare 429`);
      }
      for (const route of expectUnlimited) assert.ok(unlimited.includes(route), `${route} is not limited`);
      assert.ok(limited.includes('POST /admin/login'));
      assert.ok(limited.includes('POST /api/v1/shop/purchases'));
      assert.ok(limited.includes('GET /api/v1/pets/{petId}/card.png') && limited.includes('GET /p/{shareCode}'));
    });
  });

  describe('counters shared on Redis', () => {
    let scratch: ScratchDatabase;
    let redis: Redis;
    const servers: TestServer[] = [];
    before(async function () {
      await needService(this, 'postgres');
      await needService(this, 'redis');
      scratch = await createPostgresScratch();
      redis = new Redis(TEST_REDIS_URL);
    });
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    });
    after(async () => {
      redis?.disconnect();
      await scratch?.drop();
    });

    /** Two servers, as two processes would be: one database, one Redis, one key prefix of their own. */
    async function twoServers(env: Record<string, string>, loggers: ReturnType<typeof capturedLogger>[] = []) {
      const prefix = `test-${randomBytes(6).toString('hex')}:rate-limit:`;
      for (let i = 0; i < 2; i++) {
        const logger = loggers[i]?.logger;
        servers.push(
          await startTestServer({
            database: scratch,
            ...(logger ? { logger } : {}),
            env: { ...LONG_WINDOW, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `${prefix}queue`, RATE_LIMIT_PREFIX: prefix, ADMIN_PASSWORD, ...env },
          }),
        );
      }
      return { a: servers[0]!, b: servers[1]!, prefix };
    }

    it('makes two servers share one per-player budget', async () => {
      const { a, b } = await twoServers({ RATE_LIMIT_API_MAX: '4' });
      const user = { id: 7_800_001 };
      for (const s of [a, b, a, b]) assert.equal((await s.api(user, 'GET', '/api/v1/me')).status, 200);
      assertRateLimited(await a.api(user, 'GET', '/api/v1/me'), 3600);
      assertRateLimited(await b.api(user, 'GET', '/api/v1/me'), 3600);
    });

    it('locks an address out of the admin login on every server, logging the lockout once', async () => {
      const logs = [capturedLogger(), capturedLogger()];
      const { a, b } = await twoServers({}, logs);
      for (const s of [a, b, a, b, a]) assert.equal((await login(s, '198.51.100.20', 'wrong')).status, 401);
      assertRateLimited(await login(b, '198.51.100.20', ADMIN_PASSWORD), 3600);
      assertRateLimited(await login(a, '198.51.100.20', ADMIN_PASSWORD), 3600);
      const lockouts = logs.flatMap((l) => l.lines).filter((l) => l.msg === 'admin login locked out');
      assert.equal(lockouts.length, 1);
      assert.equal(lockouts[0]!.ip, '198.51.100.20');
    });

    it('lifts a lockout when its counter goes (the window ends, or an operator deletes the key)', async () => {
      const { a, b, prefix } = await twoServers({});
      for (let i = 0; i < 6; i++) await login(a, '198.51.100.21', 'wrong');
      assertRateLimited(await login(b, '198.51.100.21', ADMIN_PASSWORD), 3600);
      const key = `${prefix}admin-login:198.51.100.21`;
      assert.equal(await redis.get(key), '7', 'every attempt is on the shared counter');
      assert.ok((await redis.pttl(key)) > 0, 'the counter expires with its window');
      await redis.del(key);
      assert.equal((await login(b, '198.51.100.21', ADMIN_PASSWORD)).status, 200);
    });
  });

  describe('when Redis is unreachable', () => {
    it('keeps every limit with counters in this process, and says so once', async function () {
      await needService(this, 'redis');
      const { lines, logger } = capturedLogger();
      const target = new URL(TEST_REDIS_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      const s = await startTestServer({
        logger,
        env: { ...LONG_WINDOW, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, ADMIN_PASSWORD, RATE_LIMIT_API_MAX: '3' },
      });
      await proxy.cut();
      try {
        const user = { id: 7_900_001 };
        for (let i = 0; i < 3; i++) assert.equal((await s.api(user, 'GET', '/api/v1/me')).status, 200);
        assertRateLimited(await s.api(user, 'GET', '/api/v1/me'), 3600);
        for (let i = 0; i < 5; i++) assert.equal((await login(s, '198.51.100.30', 'wrong')).status, 401);
        assertRateLimited(await login(s, '198.51.100.30', ADMIN_PASSWORD), 3600);
        assert.ok((await metric(s, 'rate_limit_local_fallbacks_total')) >= 10);
        assert.equal(lines.filter((l) => l.msg === 'rate limits: redis unavailable, counting in this process').length, 1);
      } finally {
        await s.stop({ dropDatabase: true });
        await proxy.close();
      }
    });

    it('goes on counting in this process when Redis drops in the middle of a window', async function () {
      await needService(this, 'redis');
      const target = new URL(TEST_REDIS_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      const s = await startTestServer({ env: { ...LONG_WINDOW, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, RATE_LIMIT_API_MAX: '3' } });
      try {
        const user = { id: 7_900_002 };
        for (let i = 0; i < 2; i++) assert.equal((await s.api(user, 'GET', '/api/v1/me')).status, 200);
        assert.equal(await metric(s, 'rate_limit_local_fallbacks_total'), 0, 'counted on Redis while it was there');
        await proxy.cut();
        // The shared count (2) is out of reach: this process starts its own from zero.
        for (let i = 0; i < 3; i++) assert.equal((await s.api(user, 'GET', '/api/v1/me')).status, 200);
        assertRateLimited(await s.api(user, 'GET', '/api/v1/me'), 3600);
      } finally {
        await s.stop({ dropDatabase: true });
        await proxy.close();
      }
    });
  });
});

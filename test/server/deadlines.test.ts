/**
 * Every call to another service has a deadline: with Redis or Postgres gone quiet (connections
 * open, nothing answering) or refusing, a request answers 503 NOT_READY instead of hanging,
 * and /readyz says which dependency and why. Mocha's timeout on each test is the bound.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../server/db/database.js';
import { isDependencyDown } from '../../server/http/errors.js';
import { waitFor } from '../helpers/rooms.js';
import { createPostgresScratch, dropPrefix, needService, TEST_REDIS_URL, type ScratchDatabase } from '../helpers/services.js';
import { proxiedPostgresScratch, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestServer, TEST_BOT_TOKEN, type TestServer } from '../helpers/test-server.js';

const BOUND_MS = 15_000;

const playerImages = (s: TestServer) => s.app.db.kysely.selectFrom('pet_images').select('id').where('requested_by', '=', 'player').execute();

describe('deadlines: Redis not answering', () => {
  let prefix: string;
  let proxy: TcpProxy | undefined;
  let s: TestServer | undefined;

  before(async function () {
    await needService(this, 'redis');
  });
  beforeEach(() => {
    prefix = `t${randomBytes(5).toString('hex')}`;
  });
  afterEach(async () => {
    await proxy?.close();
    await s?.stop({ dropDatabase: true });
    await dropPrefix(prefix);
    proxy = undefined;
    s = undefined;
  });

  it('answers a regeneration 503 NOT_READY when Redis stops answering, and uses no quota', async function () {
    this.timeout(BOUND_MS);
    const target = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    s = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, QUEUE_PREFIX: prefix, WORKERS_IN_PROCESS: 'false' } });
    const server = s;
    const user = { id: 8601 };
    const petId = (await server.api(user, 'POST', '/api/v1/pets', { name: 'Quiet', species: 'cat' })).body.id as string;
    await waitFor(async () => (await server.api(null, 'GET', '/readyz')).status === 200, 'Redis to be connected');
    proxy.stall();

    const res = await server.api(user, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {});
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'NOT_READY');
    assert.deepEqual(await playerImages(server), [], 'the refused request left no row behind (no quota used)');

    const ready = await server.api(null, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.database.ok, true);
    assert.equal(ready.body.checks.redis.ok, false);
    assert.match(ready.body.checks.redis.error, /timed out/i);
    assert.equal(ready.body.checks.queue.ok, false);
    assert.match(ready.body.checks.queue.error, /timed out/i);
  });

  it('answers a regeneration 503 NOT_READY once nothing listens at REDIS_URL any more, and uses no quota', async function () {
    this.timeout(BOUND_MS);
    // A cluster process only starts with Redis there (readiness.test.ts); here it goes away later.
    const target = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    s = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, QUEUE_PREFIX: prefix, WORKERS_IN_PROCESS: 'false' } });
    const user = { id: 8602 };
    const petId = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Alone', species: 'dog' })).body.id as string;
    await proxy.cut();

    const res = await s.api(user, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {});
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'NOT_READY');
    assert.deepEqual(await playerImages(s), []);

    const ready = await s.api(null, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.body.checks.redis.error, /ECONNREFUSED|not connected/);
    assert.match(ready.body.checks.queue.error, /ECONNREFUSED|not connected|closed/i);
  });
});

describe('deadlines: Postgres half-open', () => {
  let proxy: TcpProxy | undefined;
  let s: TestServer | undefined;
  const user = { id: 8701 };

  before(async function () {
    await needService(this, 'postgres');
    const proxied = await proxiedPostgresScratch();
    proxy = proxied.proxy;
    s = await startTestServer({ database: proxied.database });
    assert.equal((await s.api(user, 'GET', '/api/v1/me')).status, 200, 'the pool holds open connections');
  });
  after(async () => {
    await proxy?.close();
    await s?.stop({ dropDatabase: true });
  });

  it('answers a request on a held connection 503 NOT_READY, and /readyz says the database does not answer', async function () {
    this.timeout(BOUND_MS);
    const server = s as TestServer;
    proxy?.stall();

    const res = await server.api(user, 'GET', '/api/v1/me');
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'NOT_READY');

    const ready = await server.api(null, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.database.ok, false);
    assert.match(ready.body.checks.database.error, /timed out/);
  });
});

describe('deadlines: Postgres settings', () => {
  let scratch: ScratchDatabase | undefined;
  let db: Db | undefined;

  before(async function () {
    await needService(this, 'postgres');
    scratch = await createPostgresScratch();
    db = openDatabase(
      { dialect: 'postgres', url: scratch.url },
      { connectTimeoutMs: 2000, statementTimeoutMs: 200, queryTimeoutMs: 5000, idleInTransactionTimeoutMs: 300, keepAliveDelayMs: 1000, batchTimeoutMs: 5000 },
    );
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const failure = async (work: () => Promise<unknown>): Promise<unknown> => {
    try {
      await work();
    } catch (err) {
      return err;
    }
    assert.fail('expected the call to fail');
  };

  it('cancels a statement past statement_timeout, as a dependency failure (503), and the pool goes on', async () => {
    const kysely = (db as Db).kysely;
    const err = await failure(() => sql`select pg_sleep(2)`.execute(kysely));
    assert.equal((err as { code?: string }).code, '57014');
    assert.ok(isDependencyDown(err));
    assert.deepEqual((await sql<{ n: number }>`select 1 as n`.execute(kysely)).rows, [{ n: 1 }]);
  });

  it('gives batch writes their own longer deadline, on their own connections', async () => {
    const batch = (db as Db).batch;
    assert.notEqual(batch, (db as Db).kysely);
    // Past the request deadline (200 ms), within the batch one (5 s).
    assert.deepEqual((await sql<{ n: number }>`select 1 as n from pg_sleep(0.5)`.execute(batch)).rows, [{ n: 1 }]);
    const err = await failure(() => sql`select pg_sleep(0.5)`.execute((db as Db).kysely));
    assert.equal((err as { code?: string }).code, '57014');
  });

  it('ends a transaction left idle past idle_in_transaction_session_timeout, as a dependency failure (503)', async () => {
    const kysely = (db as Db).kysely;
    const err = await failure(() =>
      kysely.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await sql`select 1`.execute(trx);
      }),
    );
    assert.ok(isDependencyDown(err), String(err));
    assert.deepEqual((await sql<{ n: number }>`select 1 as n`.execute(kysely)).rows, [{ n: 1 }]);
  });

  it('runs migrations without the statement deadline', async () => {
    const rows = await (db as Db).withoutDeadlines(async (kysely) => (await sql<{ n: number }>`select 1 as n from pg_sleep(0.5)`.execute(kysely)).rows);
    assert.deepEqual(rows, [{ n: 1 }]);
  });
});

describe('deadlines: Telegram Bot API not answering', () => {
  it('fails a Bot API call at TELEGRAM_API_TIMEOUT_S instead of waiting', async function () {
    this.timeout(BOUND_MS);
    // Accepts connections and never answers.
    const hole = await startTcpProxy('127.0.0.1', 1);
    hole.stall();
    const s = await startTestServer({
      botToken: TEST_BOT_TOKEN,
      env: { TELEGRAM_API_ROOT: `http://127.0.0.1:${hole.port}`, TELEGRAM_API_TIMEOUT_S: '1', STARS_RECONCILE_INTERVAL_S: '0' },
    });
    try {
      const bot = s.app.telegram();
      assert.ok(bot);
      // grammY wraps the cause: HttpError("Network request for 'setWebhook' failed!") with .error.
      await assert.rejects(bot.setWebhook('https://example.org/telegram/webhook', 'secret'), (err: { error?: unknown }) => {
        assert.match(String(err.error), /timed out/);
        return true;
      });
    } finally {
      await hole.close();
      await s.stop({ dropDatabase: true });
    }
  });
});

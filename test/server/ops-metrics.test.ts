/**
 * The metrics the operations dashboards and alerts read (deploy/grafana, deploy/prometheus)
 * move when the thing they count happens, as Prometheus scrapes them from GET /metrics:
 * coins earned and spent by ledger reason, Stars revenue and refunds, HTTP errors by route
 * and code, image jobs by provider, their time and failures by reason, the queue's depth;
 * and the image worker's own /metrics and /healthz endpoint.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { pino } from 'pino';
import { createImageProcessor } from '../../server/images/image-jobs.js';
import { ImageGenerator } from '../../server/images/generator.js';
import { JobTimeoutError } from '../../server/images/queue/job-queue.js';
import { MemoryQueue } from '../../server/images/queue/memory-queue.js';
import { createMetrics } from '../../server/metrics.js';
import { SYSTEM_ACCOUNTS } from '../../server/repositories/ledger-repository.js';
import { ImagesRepository } from '../../server/repositories/images-repository.js';
import { startWorkerHttp } from '../../server/worker-http.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { needService } from '../helpers/services.js';
import { proxiedPostgresScratch, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { grantCoins, preAwardAchievements } from '../helpers/economy.js';
import { joinHome, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** One sample per `name{labels}` line of a Prometheus text exposition. */
export function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return parseExposition(await res.text());
}

/** A sample's value, 0 when the series does not exist yet (a counter never incremented). */
const value = (samples: Map<string, number>, series: string): number => samples.get(series) ?? 0;

describeEachDialect('operations metrics', (dialect) => {
  let s: TestServer;
  const ann = { id: 93_001, firstName: 'Ann' };
  let annId: string;

  before(async () => {
    s = await startTestServer({ dialect, env: { IMAGE_PRESET: 'fast' } });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id as string;
    // Exact balances: no achievement pays out during these tests.
    await preAwardAchievements(s.app.db.kysely, annId);
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('counts coins earned by ledger reason when the ledger posts a credit, once per idempotency key', async () => {
    const before = await scrape(s.url);
    const key = `ops-metrics:${randomUUID()}`;
    assert.equal(await grantCoins(s.app.db.kysely, s.app.ledger, annId, 500, key), true);
    assert.equal(await grantCoins(s.app.db.kysely, s.app.ledger, annId, 500, key), false, 'a replay changes nothing');
    const after = await scrape(s.url);
    assert.equal(value(after, 'coins_earned_total{reason="test_grant"}') - value(before, 'coins_earned_total{reason="test_grant"}'), 500);
    assert.equal(value(after, 'coins_spent_total{reason="test_grant"}'), value(before, 'coins_spent_total{reason="test_grant"}'));
  });

  it('counts coins spent in the shop by what the wallet lost, and a refused purchase not at all', async () => {
    const coins = async () => (await s.api(ann, 'GET', '/api/v1/me')).body.balances.coins as number;
    const before = await scrape(s.url);
    const coinsBefore = await coins();
    const bought = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 2 }, { 'idempotency-key': `k-${randomUUID()}` });
    assert.equal(bought.status, 201, JSON.stringify(bought.body));
    const refused = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 1 });
    assert.equal(refused.body.error.code, 'IDEMPOTENCY_KEY_REQUIRED');
    const after = await scrape(s.url);
    const spent = coinsBefore - (await coins());
    assert.ok(spent > 0);
    assert.equal(value(after, 'coins_spent_total{reason="shop_purchase"}') - value(before, 'coins_spent_total{reason="shop_purchase"}'), spent);
    assert.equal(value(after, 'coins_earned_total{reason="shop_purchase"}'), 0);
    assert.equal(value(after, 'shop_purchases_total{outcome="ok"}') - value(before, 'shop_purchases_total{outcome="ok"}'), 1);
    const noKey = 'shop_purchases_total{outcome="IDEMPOTENCY_KEY_REQUIRED"}';
    assert.equal(value(after, noKey) - value(before, noKey), 1);
  });

  it('counts Stars revenue when a payment is booked and the refund when it is reversed', async () => {
    const before = await scrape(s.url);
    const post = (reason: string, stars: number) =>
      s.app.db.kysely.transaction().execute((trx) =>
        s.app.ledger.post(trx, {
          idempotencyKey: `ops-metrics:${reason}:${randomUUID()}`,
          reason,
          playerId: annId,
          postings: [
            { accountId: SYSTEM_ACCOUNTS.telegramStars, amount: -stars },
            { accountId: SYSTEM_ACCOUNTS.starsRevenue, amount: stars },
          ],
          nowMs: TEST_START_MS,
        }),
      );
    await post('stars_purchase', 50);
    await post('stars_refund', -50);
    const after = await scrape(s.url);
    assert.equal(value(after, 'stars_revenue_stars_total{reason="stars_purchase"}') - value(before, 'stars_revenue_stars_total{reason="stars_purchase"}'), 50);
    assert.equal(value(after, 'stars_refunded_stars_total') - value(before, 'stars_refunded_stars_total'), 50);
    assert.equal(value(after, 'stars_refunds_total') - value(before, 'stars_refunds_total'), 1);
  });

  it('counts refused requests by route pattern and error code, and unknown paths under one label', async () => {
    const before = await scrape(s.url);
    await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble' });
    const missing = await fetch(`${s.url}/api/v1/no-such-route/${randomUUID()}`);
    assert.equal(missing.status, 404);
    const after = await scrape(s.url);
    const shop = 'http_errors_total{route="/api/v1/shop/purchases",code="IDEMPOTENCY_KEY_REQUIRED"}';
    assert.equal(value(after, shop) - value(before, shop), 1);
    const unmatched = 'http_errors_total{route="unmatched",code="NOT_FOUND"}';
    assert.equal(value(after, unmatched) - value(before, unmatched), 1, 'no path in a label: one series for every unknown URL');
  });

  it("counts a picture made by its provider, the job's time, and shows the queue's depth", async () => {
    const before = await scrape(s.url);
    const petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Pixel', species: 'cat' })).body.id as string;
    const room = await joinHome(s, ann);
    await waitFor(() => petView(room, petId)?.imageStatus === 'ready', 'the egg picture');
    await room.leave();
    const after = await scrape(s.url);
    const made = 'image_jobs_completed_total{provider="procedural"}';
    assert.ok(value(after, made) - value(before, made) >= 1);
    const timed = 'image_job_duration_seconds_count{outcome="ready"}';
    assert.ok(value(after, timed) - value(before, timed) >= 1);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      assert.ok(after.has(`image_queue_jobs{state="${state}"}`), `image_queue_jobs{state="${state}"} is exposed`);
    }
  });

  it('counts failed image attempts by reason, final or not', async () => {
    const metrics = createMetrics();
    const images = new ImagesRepository(s.app.db.kysely, s.app.db.dialect);
    const logger = pino({ level: 'silent' });
    const processor = createImageProcessor({
      images,
      generator: new ImageGenerator([], { timeoutMs: 1000, attemptsPerProvider: 1, backoffMs: 0 }, { record: () => Promise.resolve(), logger }),
      bus: s.app.bus,
      logger,
      speciesOf: () => Promise.resolve('cat'),
      metrics,
    });
    const job = { id: 'img-test', data: { imageId: randomUUID() }, attemptsMade: 1, attempts: 2 };
    await processor.failed(job, new JobTimeoutError(5), false);
    await processor.failed({ ...job, attemptsMade: 2 }, new JobTimeoutError(5), true);
    const samples = parseExposition(await metrics.registry.metrics());
    assert.equal(value(samples, 'image_job_failures_total{reason="JOB_TIMEOUT",final="false"}'), 1);
    assert.equal(value(samples, 'image_job_failures_total{reason="JOB_TIMEOUT",final="true"}'), 1);
  });
});

describe('the image worker HTTP endpoint', () => {
  const logger = pino({ level: 'silent' });

  it('serves the registry at /metrics (queue depth read at scrape time), /healthz, and 404 or 405 otherwise', async () => {
    const metrics = createMetrics();
    const queue = new MemoryQueue<{ n: number }>();
    metrics.imageQueue.counts = () => queue.counts();
    // Jobs added and not processed (no handler yet) are waiting.
    for (let n = 0; n < 3; n++) await queue.add({ n }, { jobId: `j${n}`, attempts: 1, backoffMs: 0, timeoutMs: 1000 });
    const server = await startWorkerHttp({ host: '127.0.0.1', port: 0, registry: metrics.registry, logger });
    try {
      assert.ok(server.port);
      const url = `http://127.0.0.1:${server.port}`;
      const samples = await scrape(url);
      assert.equal(samples.get('image_queue_jobs{state="waiting"}'), 3);
      assert.ok(samples.has('nodejs_eventloop_lag_p99_seconds'), 'the default process metrics too');
      const health = await fetch(`${url}/healthz`);
      assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
      const missing = await fetch(`${url}/admin`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
      assert.equal((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
      await queue.close();
    }
  });

  it('goes on without the endpoint when its port is taken (the worker keeps working jobs)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const server = await startWorkerHttp({ host: '127.0.0.1', port, registry: createMetrics().registry, logger });
      assert.equal(server.port, null);
      await server.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('snapshot flush failures metric (Postgres cut off)', () => {
  let proxy: TcpProxy | undefined;
  let s: TestServer | undefined;
  const owner = { id: 93_101, firstName: 'Flo' };

  before(async function () {
    await needService(this, 'postgres');
    const proxied = await proxiedPostgresScratch();
    proxy = proxied.proxy;
    // Fast game time: the pet grows up a stage every few real seconds (baby to child after
    // 6 game hours, 3.6 s here), and each stage change is written by the next flush.
    s = await startTestServer({ database: proxied.database, env: { SNAPSHOT_INTERVAL_S: '0.2', SIM_TIME_SCALE: '6000' } });
  });
  after(async () => {
    // With the proxy still cut (a failed test), stopping fails its last flush quickly; the scratch is dropped directly.
    await s?.stop({ dropDatabase: true });
    await proxy?.close();
  });

  it('counts flushes that fail while the database is unreachable, and flushes again once it is back', async function () {
    this.timeout(30_000);
    const server = s as TestServer;
    const petId = (await server.api(owner, 'POST', '/api/v1/pets', { name: 'Flush', species: 'cat' })).body.id as string;
    const room = await joinHome(server, owner);
    await waitFor(() => petView(room, petId), 'the pet in the room');
    const flushes = async () => value(await scrape(server.url), 'snapshot_flush_duration_seconds_count');
    await waitFor(async () => (await flushes()) > 0, 'a first flush');
    assert.equal(value(await scrape(server.url), 'snapshot_flush_failures_total'), 0);

    await (proxy as TcpProxy).cut();
    await waitFor(async () => value(await scrape(server.url), 'snapshot_flush_failures_total') > 0, 'a failed flush counted', 20_000);

    await (proxy as TcpProxy).restore();
    const before = await flushes();
    await waitFor(async () => (await flushes()) > before, 'a flush after the database is back', 20_000);
    await room.leave();
  });
});

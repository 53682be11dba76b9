/**
 * GET /admin/dashboard: admins only; the UTC day so far from the app's clock (pinned here, so
 * rows just before and just after midnight land on the right side); the live figures from the
 * rooms, the sim and the metrics. And the panel's page at /admin (a fixture build).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { histogramQuantile } from '../../server/services/dashboard-service.js';
import { RecentCounter } from '../../server/util/recent-counter.js';
import type { GameEvent } from '../../server/events/event-kinds.js';
import { appendEvents } from '../../server/repositories/events-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ADMIN_PASSWORD = 'dashboard-admin-password';
const H = 3_600_000;
const DAY = 24 * H;
/** The pinned clock: 17 June 2026, 09:30 UTC. */
const D0 = Date.UTC(2026, 5, 17);
const NOW = D0 + 9.5 * H;

describeEachDialect('admin dashboard', (dialect) => {
  let s: TestServer;
  let token: string;
  const now = NOW;

  before(async () => {
    s = await startTestServer({ dialect, now: () => now, env: { ADMIN_PASSWORD, JWT_SECRET: 'd'.repeat(40) } });
    const login = await s.api(null, 'POST', '/admin/login', { password: ADMIN_PASSWORD });
    assert.equal(login.status, 200);
    token = login.body.token as string;

    const db = s.app.db.kysely;
    const player = (id: string, telegramId: number, createdAt: number) => ({
      id, telegram_id: telegramId, first_name: id, last_name: null, username: null, language_code: 'en',
      invite_code: `DB${String(telegramId % 1_000_000).padStart(6, '0')}`, created_at: createdAt, updated_at: createdAt,
    });
    await db
      .insertInto('players')
      .values([
        player('dash-a', 890_000_001, D0), // the day's first instant: today
        player('dash-b', 890_000_002, D0 + 9 * H),
        player('dash-c', 890_000_003, D0 - 1), // yesterday's last instant
        player('dash-d', 890_000_004, D0 + DAY), // tomorrow
      ])
      .execute();
    const events: GameEvent[] = [
      { kind: 'purchase', playerId: 'dash-a', at: D0 + H, payload: { purchaseId: 'p1', itemId: 'kibble', quantity: 2, coins: 10, promotionId: null, variant: 'control' } },
      { kind: 'purchase', playerId: 'dash-b', at: D0 + 9 * H, payload: { purchaseId: 'p2', itemId: 'soap', quantity: 1, coins: 5, promotionId: null, variant: 'control' } },
      { kind: 'purchase', playerId: 'dash-c', at: D0 - 1, payload: { purchaseId: 'p0', itemId: 'soap', quantity: 1, coins: 99, promotionId: null, variant: 'control' } },
      { kind: 'payment', playerId: 'dash-a', at: D0 + 2 * H, payload: { chargeId: 'c1', orderId: 'o1', productId: 'coins_700', stars: 50, currency: 'XTR', coins: 700, matched: true } },
      { kind: 'payment', playerId: 'dash-b', at: D0 + 3 * H, payload: { chargeId: 'c2', orderId: 'o2', productId: 'coins_250', stars: 15, currency: 'XTR', coins: 250, matched: true } },
      { kind: 'payment', playerId: 'dash-c', at: D0 - H, payload: { chargeId: 'c0', orderId: 'o0', productId: 'coins_250', stars: 15, currency: 'XTR', coins: 250, matched: true } },
      { kind: 'refund', playerId: 'dash-a', at: D0 + 4 * H, payload: { chargeId: 'c1', orderId: 'o1', by: 'admin', stars: 50, coinsTaken: 700, debtAdded: 0 } },
      { kind: 'care', playerId: 'dash-a', at: D0 + 5 * H, payload: { petId: 'pet-a', action: 'feed', itemId: 'kibble' } },
    ];
    await appendEvents(db, events);
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  const dashboard = (auth: string | null = `Bearer ${token}`) =>
    fetch(`${s.url}/admin/dashboard`, auth ? { headers: { authorization: auth } } : {}).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));

  it('refuses requests without an admin token', async () => {
    assert.equal((await dashboard(null)).status, 401);
    assert.equal((await dashboard('Bearer not-a-token')).status, 401);
    assert.equal((await dashboard(`tma ${s.initData({ id: 890_000_009 })}`)).status, 401);
  });

  it('answers moderators too (read-only figures)', async () => {
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'dash-mod', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, now);
    const login = await s.api(null, 'POST', '/admin/login', { name: 'dash-mod', password: 'moderator-pw' });
    assert.equal(login.body.account.role, 'moderator');
    assert.equal((await dashboard(`Bearer ${login.body.token}`)).status, 200);
  });

  it("counts the UTC day of the app's clock so far", async () => {
    const { status, body } = await dashboard();
    assert.equal(status, 200);
    assert.equal(body.at, new Date(NOW).toISOString());
    assert.equal(body.day, '2026-06-17');
    const { computedAt, ...today } = body.today;
    assert.equal(computedAt, new Date(NOW).toISOString());
    assert.deepEqual(today, { newPlayers: 2, purchases: 2, purchaseCoins: 15, starsPayments: 2, starsGross: 65, starsRefunded: 50, starsNet: 15 });
  });

  it('reports the live figures of this process', async () => {
    const { body } = await dashboard();
    assert.equal(body.live.scope, 'process');
    assert.equal(body.live.rooms, 0);
    assert.equal(body.live.clients, 0);
    assert.equal(body.live.processes, 1);
    assert.deepEqual(body.live.unreachable, []);
    assert.equal(body.processId, s.app.http.colyseus.processId);
    assert.equal(body.process.loadedPets, s.app.sim.loadedPetCount);
    assert.equal(body.process.tickHz, 1);
    assert.equal(body.queues.images.kind, 'memory');
    assert.equal(body.queues.images.waiting, 0);
    assert.equal(body.errors.windowSeconds, 300);
    assert.equal(typeof body.errors.http5xxTotal, 'number');
  });

  it('is in OpenAPI under admin', async () => {
    const doc = (await s.api(null, 'GET', '/openapi.json')).body;
    const op = doc.paths['/admin/dashboard']?.get;
    assert.ok(op, 'documented');
    assert.deepEqual(op.tags, ['admin']);
    assert.equal(doc.paths['/admin'], undefined, 'the page is not an API route');
  });
});

describe('admin dashboard helpers', () => {
  it('interpolates a quantile inside its histogram bucket', () => {
    const buckets = [
      { le: 0.001, count: 10 },
      { le: 0.002, count: 30 },
      { le: 0.005, count: 40 },
      { le: Infinity, count: 40 },
    ];
    assert.equal(histogramQuantile(0.25, buckets), 0.001);
    assert.equal(histogramQuantile(0.5, buckets), 0.0015);
    assert.equal(histogramQuantile(0.5, [{ le: Infinity, count: 0 }]), null);
    assert.equal(histogramQuantile(0.99, [{ le: 0.1, count: 1 }, { le: Infinity, count: 3 }]), 0.1);
  });

  it('counts over a sliding window', () => {
    let t = 1_000_000;
    const counter = new RecentCounter(() => t, 60_000, 10_000);
    counter.add();
    counter.add(2);
    assert.equal(counter.recent(), 3);
    t += 30_000;
    counter.add();
    assert.equal(counter.recent(), 4);
    t += 50_000;
    assert.equal(counter.recent(), 1);
    t += 60_000;
    assert.equal(counter.recent(), 0);
    assert.equal(counter.total, 4);
  });
});

describe('admin panel page', () => {
  let dir: string;
  let s: TestServer;
  const PAGE = Buffer.from(`<!doctype html><html><head><title>Telepets admin</title></head><body>${'<!-- padding -->'.repeat(40)}</body></html>\n`);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-admin-dist-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Telepets</title>');
    fs.writeFileSync(path.join(dir, 'admin.html'), PAGE);
    fs.writeFileSync(path.join(dir, 'admin.html.br'), zlib.brotliCompressSync(PAGE));
    s = await startTestServer({ env: { CLIENT_DIST_DIR: dir } });
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves admin.html at /admin without a token, revalidated every load and compressed', async () => {
    const plain = await fetch(`${s.url}/admin`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(plain.headers.get('cache-control'), 'no-cache');
    assert.ok(plain.headers.get('etag'));
    assert.equal(await plain.text(), PAGE.toString());
    // fetch decodes the body itself; the header says which copy was sent.
    const br = await fetch(`${s.url}/admin`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(await br.text(), PAGE.toString());
  });

  it('redirects /admin/ to /admin, where the relative asset URLs resolve', async () => {
    const res = await fetch(`${s.url}/admin/`, { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/admin');
  });

  it('keeps the API under /admin behind the token', async () => {
    const res = await fetch(`${s.url}/admin/rooms`);
    assert.ok(res.status === 401 || res.status === 403, String(res.status));
  });
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANALYTICS_MAX_BATCH, type AnalyticsDayDto, type UiEvent } from '../../shared/analytics.js';
import { priceVariantFor } from '../../shared/shop.js';
import { analyticsHashKey } from '../../server/analytics/player-hash.js';
import type { GameEvent } from '../../server/events/event-kinds.js';
import { appendEvents } from '../../server/repositories/events-repository.js';
import { SYSTEM_ACCOUNTS, walletAccount, type Posting } from '../../server/repositories/ledger-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';

const ADMIN_PASSWORD = 'analytics-admin-password';
const HASH_KEY = 'analytics-test-hash-key-0123456789abcdef';
const H = 3_600_000;
const DAY = 24 * H;
/** The scenario's day, well before the test clock's start (17 June 2026), so nothing else lands on it. */
const D = '2026-05-04';
const D0 = Date.UTC(2026, 4, 4);

const hmac = (key: Buffer | string, playerId: string) => createHmac('sha256', key).update(playerId).digest('hex');

/** The first id `<prefix>-<n>` the price experiment puts in `variant`. */
function idInVariant(prefix: string, variant: string): string {
  for (let n = 0; n < 10_000; n++) if (priceVariantFor(`${prefix}-${n}`).id === variant) return `${prefix}-${n}`;
  throw new Error(`no id for ${variant}`);
}

function readLines(file: string): Array<Record<string, unknown>> {
  const text = fs.readFileSync(file, 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describeEachDialect('analytics', (dialect) => {
  let s: TestServer;
  let exportDir: string;
  let adminToken: string;

  before(async () => {
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-analytics-'));
    s = await startTestServer({
      dialect,
      env: {
        ADMIN_PASSWORD,
        JWT_SECRET: 'j'.repeat(40),
        ANALYTICS_HASH_KEY: HASH_KEY,
        ANALYTICS_EXPORT_DIR: exportDir,
        ANALYTICS_JOB_INTERVAL_S: '0',
        RATE_LIMIT_WINDOW_S: '3600',
        RATE_LIMIT_ANALYTICS_MAX: '3',
      },
    });
    const login = await s.api(null, 'POST', '/admin/login', { password: ADMIN_PASSWORD });
    assert.equal(login.status, 200);
    adminToken = login.body.token as string;
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  const uiRows = () => s.app.db.kysely.selectFrom('analytics_ui_events').selectAll().orderBy('seq').execute();
  const post = (user: TestUser | null, body: unknown) => s.api(user, 'POST', '/api/v1/analytics/events', body);

  describe('ingestion', () => {
    it('stores a valid batch under the keyed hash of the player, with nothing that names them', async () => {
      const user = { id: 7_700_001, firstName: 'Zyxwvut', username: 'zyx_user' };
      const me = (await s.api(user, 'GET', '/api/v1/me')).body as { id: string };
      const before = (await uiRows()).length;
      const events: UiEvent[] = [
        { type: 'screen_view', screen: 'home' },
        { type: 'action_tap', action: 'feed' },
        { type: 'shop_opened' },
        { type: 'minigame_started', game: 'treats' },
        { type: 'share_tapped' },
        { type: 'error_shown', code: 'CARE_COOLDOWN' },
      ];
      const res = await post(user, { events });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual(res.body, { accepted: 6 });
      const rows = (await uiRows()).slice(before);
      assert.equal(rows.length, 6);
      const hash = hmac(HASH_KEY, me.id);
      assert.ok(rows.every((r) => r.player_hash === hash));
      assert.ok(rows.every((r) => r.variant === priceVariantFor(me.id).id));
      assert.ok(rows.every((r) => Number(r.created_at) >= Date.UTC(2026, 5, 17)), 'stamped with the app clock');
      assert.deepEqual(
        rows.map((r) => [r.type, r.screen, r.action, r.game, r.code]),
        [
          ['screen_view', 'home', null, null, null],
          ['action_tap', null, 'feed', null, null],
          ['shop_opened', null, null, null, null],
          ['minigame_started', null, null, 'treats', null],
          ['share_tapped', null, null, null, null],
          ['error_shown', null, null, null, 'CARE_COOLDOWN'],
        ],
      );
      const stored = JSON.stringify(await uiRows());
      for (const secret of [String(user.id), user.firstName, user.username, me.id]) assert.ok(!stored.includes(secret), `${secret} is not stored`);
    });

    it('refuses an oversize batch, an unknown type or value, an extra field and a body over the limit, and stores nothing', async () => {
      const user = { id: 7_700_002 };
      const before = (await uiRows()).length;
      const view = { type: 'screen_view', screen: 'home' };
      const refusals: Array<[unknown, number]> = [
        [{ events: Array.from({ length: ANALYTICS_MAX_BATCH + 1 }, () => view) }, 400],
        [{ events: [] }, 400],
        [{ events: [view, { type: 'page_scrolled' }] }, 400],
        [{ events: [{ type: 'screen_view', screen: 'x'.repeat(300) }] }, 400],
        [{ events: [{ type: 'error_shown', code: 'Something the player typed' }] }, 400],
        [{ events: [{ ...view, name: 'Bob' }] }, 400],
        [{ events: [view], telegramId: 42 }, 400],
        [{ events: [view], padding: 'x'.repeat(9 * 1024) }, 413],
      ];
      for (const [body, status] of refusals) {
        const res = await post(user, body);
        assert.equal(res.status, status, JSON.stringify(body).slice(0, 120));
        assert.equal(res.body.error.code, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED');
      }
      assert.equal((await uiRows()).length, before);
      // A full batch is fine.
      assert.equal((await post(user, { events: Array.from({ length: ANALYTICS_MAX_BATCH }, () => view) })).status, 202);
      assert.equal((await uiRows()).length, before + ANALYTICS_MAX_BATCH);
    });

    it('needs a player', async () => {
      const res = await post(null, { events: [{ type: 'shop_opened' }] });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'AUTH_INVALID');
    });

    it('limits batches per player with 429 RATE_LIMITED', async () => {
      const user = { id: 7_700_003 };
      const other = { id: 7_700_004 };
      for (let i = 0; i < 3; i++) assert.equal((await post(user, { events: [{ type: 'shop_opened' }] })).status, 202);
      const before = (await uiRows()).length;
      const limited = await post(user, { events: [{ type: 'shop_opened' }] });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal((await uiRows()).length, before);
      assert.equal((await post(other, { events: [{ type: 'shop_opened' }] })).status, 202, 'another player has a budget of their own');
    });

    it('is described in OpenAPI, with its limits', async () => {
      const doc = (await s.api(null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      const ingest = doc.paths['/api/v1/analytics/events']?.post;
      assert.ok(ingest);
      for (const status of ['202', '400', '401', '413', '429']) assert.ok(ingest.responses[status], `POST declares ${status}`);
      const daily = doc.paths['/admin/analytics/daily']?.get;
      assert.ok(daily);
      for (const status of ['200', '400', '401', '403']) assert.ok(daily.responses[status], `GET declares ${status}`);
    });
  });

  describe('daily aggregates, admin endpoint and export', () => {
    const ids = {
      a: idInVariant('sc-a', 'control'),
      b: 'sc-b',
      c: 'sc-c',
      j: 'sc-j',
      e: idInVariant('sc-e', 'food-minus-10'),
      f: 'sc-f',
      g: 'sc-g',
      h: 'sc-h',
      i: idInVariant('sc-i', 'control'),
    };
    const hashOf = (id: string) => hmac(HASH_KEY, id);

    before(async () => {
      const db = s.app.db.kysely;
      const player = (id: string, telegramId: number, createdAt: number) => ({
        id, telegram_id: telegramId, first_name: `Secret ${id}`, last_name: null, username: null, language_code: 'en',
        invite_code: `SC${String(telegramId % 1_000_000).padStart(6, '0')}`, created_at: createdAt, updated_at: createdAt,
      });
      await db
        .insertInto('players')
        .values([
          player(ids.a, 880_000_001, D0 + 10 * H),
          player(ids.b, 880_000_002, D0 + 11 * H),
          player(ids.c, 880_000_003, D0), // the day's first instant: new on D
          player(ids.j, 880_000_004, D0 + DAY), // the next day's first instant: not
          player(ids.e, 880_000_005, D0 - 10 * DAY),
          player(ids.f, 880_000_006, D0 - 20 * DAY),
          player(ids.g, 880_000_007, D0 - 30 * DAY),
          player(ids.h, 880_000_008, D0 - 30 * DAY),
          player(ids.i, 880_000_009, D0 - 30 * DAY),
        ])
        .execute();

      const events: GameEvent[] = [
        { kind: 'adopt', playerId: ids.a, at: D0 + 10 * H + 60_000, payload: { petId: 'pet-a', species: 'cat' } },
        { kind: 'care', playerId: ids.a, at: D0 + 10 * H + 300_000, payload: { petId: 'pet-a', action: 'feed', itemId: 'kibble' } },
        { kind: 'minigame', playerId: ids.a, at: D0 + DAY + 9 * H, payload: { sessionId: 'ses-a', game: 'treats', status: 'finished', score: 12, coins: 15, meterPoints: 4, suspicious: false } },
        { kind: 'purchase', playerId: ids.a, at: D0 + 2 * DAY + 8 * H, payload: { purchaseId: 'pur-a', itemId: 'kibble', quantity: 2, coins: 10, promotionId: null, variant: 'control' } },
        { kind: 'adopt', playerId: ids.b, at: D0 + 11 * H + 60_000, payload: { petId: 'pet-b', species: 'dog' } },
        // Past the funnel's 7 days.
        { kind: 'care', playerId: ids.b, at: D0 + 8 * DAY + 9 * H, payload: { petId: 'pet-b', action: 'play', itemId: 'ball' } },
        { kind: 'care', playerId: ids.e, at: D0 - 3 * DAY, payload: { petId: 'pet-e', action: 'clean', itemId: 'soap' } },
        { kind: 'purchase', playerId: ids.e, at: D0 + 13 * H, payload: { purchaseId: 'pur-e', itemId: 'fish', quantity: 2, coins: 25, promotionId: null, variant: 'food-minus-10' } },
        { kind: 'payment', playerId: ids.e, at: D0 + 13 * H + 1_800_000, payload: { chargeId: 'charge-e', orderId: 'order-e', productId: 'coins_700', stars: 50, currency: 'XTR', coins: 700, matched: true } },
        { kind: 'friend', playerId: ids.e, at: D0 + 14 * H, payload: { friendId: ids.a } },
        { kind: 'care', playerId: ids.f, at: D0 - 5 * DAY + 10 * H, payload: { petId: 'pet-f', action: 'feed', itemId: 'berries' } },
        { kind: 'refund', playerId: ids.g, at: D0 + 15 * H, payload: { chargeId: 'charge-g', orderId: null, by: 'admin', stars: 50, coinsTaken: 100, debtAdded: 0 } },
        { kind: 'payment', playerId: ids.h, at: D0 - 1, payload: { chargeId: 'charge-h0', orderId: 'order-h0', productId: 'coins_2000', stars: 99, currency: 'XTR', coins: 2000, matched: true } },
        { kind: 'payment', playerId: ids.h, at: D0 + 16 * H, payload: { chargeId: 'charge-h1', orderId: 'order-h1', productId: 'coins_250', stars: 15, currency: 'XTR', coins: 250, matched: true } },
        { kind: 'purchase', playerId: ids.i, at: D0 + 17 * H, payload: { purchaseId: 'pur-i1', itemId: 'soap', quantity: 1, coins: 5, promotionId: null, variant: 'control' } },
        { kind: 'purchase', playerId: ids.i, at: D0 + DAY - 1, payload: { purchaseId: 'pur-i2', itemId: 'ball', quantity: 1, coins: 7, promotionId: null, variant: 'control' } },
      ];
      await appendEvents(db, events);

      const ui = (playerId: string, at: number, type: string, extra: { screen?: string } = {}) => ({
        player_hash: hashOf(playerId), type, screen: extra.screen ?? null, action: null, game: null, code: null, variant: priceVariantFor(playerId).id, created_at: at,
      });
      await db
        .insertInto('analytics_ui_events')
        .values([
          ui(ids.a, D0 + 10 * H, 'screen_view', { screen: 'home' }),
          ui(ids.a, D0 + 10 * H + 600_000, 'shop_opened'),
          ui(ids.e, D0 + 12 * H + 59 * 60_000, 'shop_opened'),
          ui(ids.b, D0 + 7 * DAY + 12 * H, 'screen_view', { screen: 'home' }),
        ])
        .execute();

      const ledger = s.app.ledger;
      let n = 0;
      const postAt = (at: number, reason: string, playerId: string, postings: Posting[]) =>
        db.transaction().execute((trx) => ledger.post(trx, { idempotencyKey: `scenario:${n++}`, reason, playerId, postings, nowMs: at }));
      const credit = (at: number, reason: string, playerId: string, amount: number) =>
        postAt(at, reason, playerId, [{ accountId: SYSTEM_ACCOUNTS.issuance, amount: -amount }, { accountId: walletAccount(playerId), amount }]);
      await credit(D0 - 2 * DAY, 'stars_purchase', ids.g, 100);
      await credit(D0 + 10 * H + 1_800_000, 'minigame_reward', ids.a, 15);
      await credit(D0 + 12 * H, 'quest_reward', ids.e, 30);
      await postAt(D0 + 13 * H, 'shop_purchase', ids.e, [{ accountId: walletAccount(ids.e), amount: -25 }, { accountId: SYSTEM_ACCOUNTS.shop, amount: 25 }]);
      await credit(D0 + 13 * H + 1_800_000, 'stars_purchase', ids.e, 700);
      await postAt(D0 + 15 * H, 'stars_refund', ids.g, [{ accountId: walletAccount(ids.g), amount: -100 }, { accountId: SYSTEM_ACCOUNTS.issuance, amount: 100 }]);
      await credit(D0 + DAY, 'quest_reward', ids.a, 999);
    });

    const expected: Omit<AnalyticsDayDto, 'computedAt'> = {
      day: D,
      final: true,
      // a, b, e, h, i: g's refund and e's friendship are not their doing; c never came back; f was here days before.
      dau: 5,
      wau: 6,
      newPlayers: 3,
      returns: { d1: { cohort: 3, returned: 1 }, d7: { cohort: 3, returned: 1 } },
      funnel: { newPlayers: 3, adopted: 2, cared: 1, playedMinigame: 1, purchased: 1 },
      stars: { payments: 2, payers: 2, gross: 65, refunded: 50, net: 15 },
      coins: { earned: 745, spent: 125, faucets: { minigame_reward: 15, quest_reward: 30, stars_purchase: 700 }, sinks: { shop_purchase: 25, stars_refund: 100 } },
      priceExperiment: {
        control: { shopViewers: 1, buyers: 1, convertedViewers: 0, purchases: 2, coins: 12 },
        'food-minus-10': { shopViewers: 1, buyers: 1, convertedViewers: 1, purchases: 1, coins: 25 },
      },
      ui: { screen_view: 1, shop_opened: 2 },
    };

    const daily = (query: string, token: string | null = adminToken) =>
      fetch(`${s.url}/admin/analytics/daily${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));

    it('computes a day of a known scenario, and recomputing it replaces the row', async () => {
      await s.app.analytics.computeDay(D);
      const first = await daily(`?from=${D}&to=${D}`);
      assert.equal(first.status, 200);
      assert.deepEqual(first.body.missing, []);
      const { computedAt, ...day } = first.body.days[0] as AnalyticsDayDto;
      assert.deepEqual(day, expected);
      assert.ok(computedAt.startsWith('2026-06-17'), computedAt);

      await s.app.analytics.computeDay(D);
      const again = await daily(`?from=${D}&to=${D}`);
      const { computedAt: _again, ...same } = again.body.days[0] as AnalyticsDayDto;
      assert.deepEqual(same, expected, 'the same answer');
      const rows = await s.app.db.kysely.selectFrom('analytics_daily').select('day').where('day', '=', D).execute();
      assert.equal(rows.length, 1, 'one row per day');

      // A late event of the day (written after the first run) is in the next run's answer, in place.
      await appendEvents(s.app.db.kysely, [{ kind: 'payment', playerId: ids.c, at: D0 + 23 * H, payload: { chargeId: 'charge-c', orderId: 'order-c', productId: 'coins_250', stars: 15, currency: 'XTR', coins: 250, matched: true } }]);
      await s.app.analytics.computeDay(D);
      const third = (await daily(`?from=${D}&to=${D}`)).body.days[0] as AnalyticsDayDto;
      assert.equal(third.dau, 6);
      assert.deepEqual(third.stars, { payments: 3, payers: 3, gross: 80, refunded: 50, net: 30 });
      assert.deepEqual(third.funnel, expected.funnel, 'c paid without adopting: no funnel step');
      assert.equal((await s.app.db.kysely.selectFrom('analytics_daily').select('day').where('day', '=', D).execute()).length, 1);
    });

    it('lists the days of a range not computed, and marks a recent day as not final', async () => {
      const res = await daily(`?from=2026-05-02&to=2026-05-05`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.days.map((d: AnalyticsDayDto) => d.day), [D]);
      assert.deepEqual(res.body.missing, ['2026-05-02', '2026-05-03', '2026-05-05']);
      const recent = await s.app.analytics.computeDay('2026-06-16');
      assert.equal(recent.final, 0, 'day 7 of its window is still to come');
    });

    it('serves admins only, and checks the range', async () => {
      assert.equal((await daily(`?from=${D}&to=${D}`, null)).status, 401);
      assert.equal((await daily(`?from=${D}&to=${D}`, 'not-a-token')).status, 401);
      const asPlayer = await fetch(`${s.url}/admin/analytics/daily?from=${D}&to=${D}`, { headers: { authorization: `tma ${s.initData({ id: 7_700_009 })}` } });
      assert.equal(asPlayer.status, 401);
      for (const query of ['', `?from=${D}`, '?from=2026-5-4&to=2026-05-04', '?from=2026-02-30&to=2026-03-01', '?from=2026-05-05&to=2026-05-04', '?from=2026-01-01&to=2026-04-03', `?from=${D}&to=${D}&x=1`]) {
        const res = await daily(query);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED', query);
      }
      const widest = await daily('?from=2026-01-01&to=2026-04-02');
      assert.equal(widest.status, 200, '92 days');
      assert.equal(widest.body.missing.length, 92);
    });

    it('exports the day as NDJSON, one file per kind, with hashes and no ids; a rerun replaces the files', async () => {
      const result = await s.app.analytics.exportDay(D);
      assert.ok(result);
      const dir = path.join(exportDir, D);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['_manifest.json', 'adopt.ndjson', 'care.ndjson', 'friend.ndjson', 'minigame.ndjson', 'payment.ndjson', 'purchase.ndjson', 'referral.ndjson', 'refund.ndjson', 'ui.ndjson']);
      const lines = (kind: string) => readLines(path.join(dir, `${kind}.ndjson`));
      assert.deepEqual(lines('care'), [{ at: '2026-05-04T10:05:00.000Z', kind: 'care', player: hashOf(ids.a), action: 'feed', itemId: 'kibble' }]);
      assert.deepEqual(lines('adopt').map((l) => [l.player, l.species]), [[hashOf(ids.a), 'cat'], [hashOf(ids.b), 'dog']]);
      assert.deepEqual(lines('minigame'), []);
      assert.deepEqual(lines('referral'), [], 'a file for every kind, none that day');
      assert.deepEqual(lines('purchase'), [
        { at: '2026-05-04T13:00:00.000Z', kind: 'purchase', player: hashOf(ids.e), itemId: 'fish', quantity: 2, coins: 25, promotionId: null, variant: 'food-minus-10' },
        { at: '2026-05-04T17:00:00.000Z', kind: 'purchase', player: hashOf(ids.i), itemId: 'soap', quantity: 1, coins: 5, promotionId: null, variant: 'control' },
        { at: '2026-05-04T23:59:59.999Z', kind: 'purchase', player: hashOf(ids.i), itemId: 'ball', quantity: 1, coins: 7, promotionId: null, variant: 'control' },
      ]);
      assert.deepEqual(lines('payment').map((l) => [l.player, l.stars, l.productId, Object.keys(l).sort().join()]), [
        [hashOf(ids.e), 50, 'coins_700', 'at,coins,currency,kind,matched,player,productId,stars'],
        [hashOf(ids.h), 15, 'coins_250', 'at,coins,currency,kind,matched,player,productId,stars'],
        [hashOf(ids.c), 15, 'coins_250', 'at,coins,currency,kind,matched,player,productId,stars'],
      ]);
      assert.deepEqual(lines('refund'), [{ at: '2026-05-04T15:00:00.000Z', kind: 'refund', player: hashOf(ids.g), by: 'admin', stars: 50, coinsTaken: 100, debtAdded: 0 }]);
      assert.deepEqual(lines('friend'), [{ at: '2026-05-04T14:00:00.000Z', kind: 'friend', player: hashOf(ids.e) }], 'without the friend');
      assert.deepEqual(lines('ui'), [
        { at: '2026-05-04T10:00:00.000Z', type: 'screen_view', player: hashOf(ids.a), screen: 'home', variant: 'control' },
        { at: '2026-05-04T10:10:00.000Z', type: 'shop_opened', player: hashOf(ids.a), variant: 'control' },
        { at: '2026-05-04T12:59:00.000Z', type: 'shop_opened', player: hashOf(ids.e), variant: 'food-minus-10' },
      ]);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8')) as { day: string; files: Record<string, number> };
      assert.equal(manifest.day, D);
      assert.deepEqual(manifest.files, { care: 1, adopt: 2, purchase: 3, payment: 3, refund: 1, minigame: 0, friend: 1, referral: 0, ui: 3 });
      const everything = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
      for (const secret of [...Object.values(ids), 'Secret', '880000', 'pet-a', 'charge-e', 'order-e', 'pur-e', 'ses-a']) {
        assert.ok(!everything.includes(secret), `${secret} is not exported`);
      }

      // A rerun: the same lines, in new files renamed into place; what an earlier run left goes.
      const before = Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
      const inode = fs.statSync(path.join(dir, 'care.ndjson')).ino;
      fs.writeFileSync(path.join(dir, 'ghost.ndjson'), '{}\n');
      fs.writeFileSync(path.join(dir, 'care.ndjson.0123abcd.tmp'), 'half a li');
      await s.app.analytics.exportDay(D);
      const after = Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
      assert.deepEqual(after, before);
      assert.notEqual(fs.statSync(path.join(dir, 'care.ndjson')).ino, inode, 'replaced by a rename, not rewritten in place');
      assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')));
    });

    it('runs the job: the eight days that are over, computed and exported; a second round leaves the final ones', async () => {
      const days = ['2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12', '2026-06-13', '2026-06-14', '2026-06-15', '2026-06-16'];
      const first = await s.app.analytics.runJob();
      assert.deepEqual(first.computed, days);
      assert.deepEqual(first.exported, days);
      for (const day of days) assert.ok(fs.existsSync(path.join(exportDir, day, '_manifest.json')), day);
      const rows = await s.app.db.kysely.selectFrom('analytics_daily').select(['day', 'final']).where('day', 'in', days).orderBy('day').execute();
      assert.deepEqual(rows.map((r) => [r.day, r.final]), days.map((day, i) => [day, i === 0 ? 1 : 0]), 'the oldest is final');
      const second = await s.app.analytics.runJob();
      assert.deepEqual(second.computed, days.slice(1));
      assert.deepEqual(second.exported, []);
    });
  });
});

describe('analytics without admin or export configured', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { ANALYTICS_JOB_INTERVAL_S: '0' } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('refuses the admin endpoint with 403 ADMIN_DISABLED', async () => {
    const res = await fetch(`${s.url}/admin/analytics/daily?from=2026-06-01&to=2026-06-02`, { headers: { authorization: 'Bearer x' } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'ADMIN_DISABLED');
  });

  it('hashes with a key derived from the bot token, and exports nothing', async () => {
    const user = { id: 7_700_101 };
    const me = (await s.api(user, 'GET', '/api/v1/me')).body as { id: string };
    assert.equal((await s.api(user, 'POST', '/api/v1/analytics/events', { events: [{ type: 'screen_view', screen: 'bag' }] })).status, 202);
    const row = await s.app.db.kysely.selectFrom('analytics_ui_events').selectAll().executeTakeFirstOrThrow();
    const { key, source } = analyticsHashKey(s.app.config);
    assert.equal(source, 'bot-token');
    assert.equal(row.player_hash, hmac(key, me.id));
    assert.equal(await s.app.analytics.exportDay('2026-06-16'), null);
    assert.deepEqual((await s.app.analytics.runJob()).exported, []);
  });
});

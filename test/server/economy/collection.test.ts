/**
 * Seasons and the collection book against the real server on both dialects: seasonal items
 * sell only in their season by the server's clock (the exact start instant sells, one
 * millisecond before does not, the exact end instant does not), the shop lists them only then
 * with the season's banner, the book shows every skin with how to get it, and a set's reward is
 * paid once through the ledger, even when claimed ten times at once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../server/db/schema.js';
import { claimKey } from '../../../server/services/collection-service.js';
import { SKIN_ITEMS } from '../../../shared/collection.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { assertLedgerConsistent, grantCoins, preAwardAchievements } from '../../helpers/economy.js';
import { startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';

const AUTUMN_END = Date.parse('2026-12-01T00:00:00.000Z');
const WINTER_END = Date.parse('2027-03-01T00:00:00.000Z');

describeEachDialect('seasons and the collection book', (dialect) => {
  let s: TestServer;
  let db: Kysely<Database>;
  /** The server's clock: tests move it (forward only). */
  let nowMs = AUTUMN_END - 1;
  let n = 0;

  const key = () => `k-${randomUUID()}`;
  const buy = (who: TestUser, itemId: string, idempotencyKey = key(), quantity = 1) =>
    s.api(who, 'POST', '/api/v1/shop/purchases', { itemId, quantity }, { 'idempotency-key': idempotencyKey });
  const newPlayer = async (coins = 0): Promise<{ user: TestUser; id: string }> => {
    const user = { id: 93_000 + dialect.length * 1000 + ++n, firstName: `Collector${n}` };
    const id = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    await preAwardAchievements(db, id);
    if (coins > 0) await grantCoins(db, s.app.ledger, id, coins);
    return { user, id };
  };
  const coinsOf = async (who: TestUser) => (await s.api(who, 'GET', '/api/v1/me')).body.balances.coins as number;
  const held = async (playerId: string, itemId: string) =>
    Number((await db.selectFrom('inventory').select('quantity').where('player_id', '=', playerId).where('item_id', '=', itemId).executeTakeFirst())?.quantity ?? 0);
  /** What a refused request must leave alone: the whole ledger, claims and the player's events. */
  const footprint = async (playerId: string) => ({
    ledger: await assertLedgerConsistent(db),
    claims: (await db.selectFrom('collection_claims').selectAll().execute()).length,
    events: (await db.selectFrom('events').select('seq').where('player_id', '=', playerId).execute()).length,
    purchases: (await db.selectFrom('purchases').select('id').where('player_id', '=', playerId).execute()).length,
  });
  const grantSkin = (playerId: string, itemId: string) =>
    db.insertInto('inventory').values({ player_id: playerId, item_id: itemId, quantity: 1, updated_at: nowMs }).execute();

  before(async () => {
    // Ten claims at once below: past a player's purchase budget, which claims share.
    s = await startTestServer({ dialect, now: () => nowMs, env: { RATE_LIMIT_PURCHASES_MAX: '1000' } });
    db = s.app.db.kysely;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('describes the collection routes in OpenAPI, with their refusals', async () => {
    const doc = (await s.api(null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    assert.ok(doc.paths['/api/v1/collection']?.get?.responses['200']);
    const claim = doc.paths['/api/v1/collection/sets/{setId}/claim']?.post;
    for (const status of ['200', '400', '401', '404', '409', '429']) assert.ok(claim?.responses[status], `claim answers ${status}`);
    assert.equal((await s.api(null, 'GET', '/api/v1/collection')).status, 401);
  });

  describe('season edges (half-open [start, end), the server clock)', () => {
    it('one ms before winter: the autumn coat still sells, the frost coat is refused with 409 NOT_IN_SEASON and nothing written', async () => {
      nowMs = AUTUMN_END - 1;
      const { user, id } = await newPlayer(2000);
      const before = await footprint(id);
      const refused = await buy(user, 'skin_frost');
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'NOT_IN_SEASON');
      assert.match(refused.body.error.message, /winter-2026, from 2026-12-01T00:00:00.000Z until before 2027-03-01T00:00:00.000Z/);
      assert.deepEqual(await footprint(id), before);
      assert.equal(await held(id, 'skin_frost'), 0);
      assert.equal((await buy(user, 'cocoa', key(), 3)).body.error.code, 'NOT_IN_SEASON', 'a seasonal treat too');

      const shop = (await s.api(user, 'GET', '/api/v1/shop')).body;
      assert.equal(shop.season.id, 'autumn-2026');
      assert.equal(shop.season.endsAt, '2026-12-01T00:00:00.000Z');
      assert.equal(shop.serverTime, new Date(nowMs).toISOString());
      const ids = shop.items.map((i: { itemId: string }) => i.itemId);
      assert.ok(ids.includes('skin_maple') && !ids.includes('skin_frost') && !ids.includes('skin_meadow'));
      assert.equal(shop.items.find((i: { itemId: string }) => i.itemId === 'skin_maple').seasonId, 'autumn-2026');
      assert.equal(shop.items.find((i: { itemId: string }) => i.itemId === 'skin_sakura').seasonId, null);

      const bought = await buy(user, 'skin_maple');
      assert.equal(bought.status, 201);
      assert.equal(await held(id, 'skin_maple'), 1);
    });

    it('the exact start instant of winter sells the frost coat; the exact end instant of autumn no longer sells the maple coat', async () => {
      nowMs = AUTUMN_END;
      const { user, id } = await newPlayer(2000);
      const shop = (await s.api(user, 'GET', '/api/v1/shop')).body;
      assert.equal(shop.season.id, 'winter-2026');
      const ids = shop.items.map((i: { itemId: string }) => i.itemId);
      assert.ok(ids.includes('skin_frost') && ids.includes('cocoa') && !ids.includes('skin_maple'));

      const before = await footprint(id);
      const late = await buy(user, 'skin_maple');
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'NOT_IN_SEASON');
      assert.deepEqual(await footprint(id), before);

      const frostKey = key();
      const frost = await buy(user, 'skin_frost', frostKey);
      assert.equal(frost.status, 201);
      assert.equal(frost.body.purchase.createdAt, '2026-12-01T00:00:00.000Z');
      assert.equal(await held(id, 'skin_frost'), 1);
      assert.equal((await buy(user, 'cocoa', key(), 2)).status, 201);

      // Winter's last millisecond still sells; its end does not, but a replay of the purchase made in season answers with it.
      nowMs = WINTER_END - 1;
      const other = await newPlayer(2000);
      assert.equal((await buy(other.user, 'skin_frost')).status, 201);
      assert.equal((await buy(other.user, 'skin_meadow')).body.error.code, 'NOT_IN_SEASON', 'spring has not started');
      nowMs = WINTER_END;
      const third = await newPlayer(2000);
      assert.equal((await buy(third.user, 'skin_frost')).body.error.code, 'NOT_IN_SEASON');
      assert.equal((await buy(third.user, 'skin_meadow')).status, 201, 'spring starts at the instant winter ends');
      const replay = await buy(user, 'skin_frost', frostKey);
      assert.equal(replay.status, 200);
      assert.equal(replay.body.replayed, true);
      assert.equal(replay.body.purchase.id, frost.body.purchase.id);
      assert.equal(await held(id, 'skin_frost'), 1);
      await assertLedgerConsistent(db);
    });
  });

  describe('the collection book', () => {
    let collector: { user: TestUser; id: string };

    before(async () => {
      nowMs = Math.max(nowMs, WINTER_END) + 1000;
    });

    it('lists every skin by rarity and season with owned flags and how to get the others', async () => {
      collector = await newPlayer(5000);
      await grantSkin(collector.id, 'skin_maple');
      const res = await s.api(collector.user, 'GET', '/api/v1/collection');
      assert.equal(res.status, 200);
      const book = res.body;
      assert.deepEqual(
        book.skins.map((x: { itemId: string }) => x.itemId),
        SKIN_ITEMS.map((x) => x.itemId),
      );
      const skin = (itemId: string) => book.skins.find((x: { itemId: string }) => x.itemId === itemId);
      assert.equal(skin('skin_maple').owned, true);
      assert.deepEqual(skin('skin_maple').source, { kind: 'season_past', seasonId: 'autumn-2026' });
      assert.equal(skin('skin_frost').owned, false);
      assert.deepEqual(skin('skin_frost').source, { kind: 'season_past', seasonId: 'winter-2026' });
      assert.deepEqual(skin('skin_meadow').source, { kind: 'season_now', seasonId: 'spring-2027', endsAt: '2027-06-01T00:00:00.000Z' });
      assert.deepEqual(skin('skin_sakura').source, { kind: 'shop' });
      assert.equal(skin('skin_golden').source.kind, 'stars');
      assert.equal(book.owned, 1);
      assert.equal(book.total, SKIN_ITEMS.length);
      assert.deepEqual(
        book.seasons.map((x: { id: string; status: string }) => `${x.id}:${x.status}`),
        ['autumn-2026:past', 'winter-2026:past', 'spring-2027:current'],
      );
      assert.deepEqual(book.seasons[1].itemIds, ['skin_frost'], 'a season lists its skins, not its treats');
      assert.deepEqual(
        book.rarities.map((r: { rarity: string }) => r.rarity),
        ['rare', 'epic', 'legendary'],
      );
      const classic = book.sets.find((x: { id: string }) => x.id === 'classic');
      assert.deepEqual({ owned: classic.owned, total: classic.total, complete: classic.complete, claimed: classic.claimed }, { owned: 0, total: 3, complete: false, claimed: false });
      const autumn = book.sets.find((x: { id: string }) => x.id === 'season-autumn-2026');
      assert.equal(autumn.complete, true);
    });

    it('refuses an incomplete set (409 SET_INCOMPLETE), an unknown one (404) and a malformed id (400), writing nothing', async () => {
      const before = await footprint(collector.id);
      const incomplete = await s.api(collector.user, 'POST', '/api/v1/collection/sets/classic/claim');
      assert.equal(incomplete.status, 409);
      assert.equal(incomplete.body.error.code, 'SET_INCOMPLETE');
      const unknown = await s.api(collector.user, 'POST', '/api/v1/collection/sets/nope/claim');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'SET_NOT_FOUND');
      const bad = await s.api(collector.user, 'POST', '/api/v1/collection/sets/Classic%20Coats/claim');
      assert.equal(bad.status, 400);
      assert.deepEqual(await footprint(collector.id), before);
    });

    it('pays a complete set once; a replay answers 409 ALREADY_CLAIMED and changes nothing', async () => {
      const coins = await coinsOf(collector.user);
      const claim = await s.api(collector.user, 'POST', '/api/v1/collection/sets/season-autumn-2026/claim');
      assert.equal(claim.status, 200);
      assert.equal(claim.body.rewardCoins, 150);
      assert.equal(claim.body.set.claimed, true);
      assert.equal(claim.body.balances.coins, coins + 150);
      assert.equal(await coinsOf(collector.user), coins + 150);
      const events = await db.selectFrom('events').select(['kind', 'payload']).where('player_id', '=', collector.id).where('kind', '=', 'collection').execute();
      assert.equal(events.length, 1);
      const payload = typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload;
      assert.equal(payload.setId, 'season-autumn-2026');
      assert.equal(payload.coins, 150);

      const before = await footprint(collector.id);
      const again = await s.api(collector.user, 'POST', '/api/v1/collection/sets/season-autumn-2026/claim');
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'ALREADY_CLAIMED');
      assert.deepEqual(await footprint(collector.id), before);
      assert.equal(await coinsOf(collector.user), coins + 150);
      const book = (await s.api(collector.user, 'GET', '/api/v1/collection')).body;
      const autumn = book.sets.find((x: { id: string }) => x.id === 'season-autumn-2026');
      assert.equal(autumn.claimed, true);
      assert.equal(autumn.claimedAt, new Date(nowMs).toISOString());
    });

    it('ten claims of the same set at once pay exactly once', async () => {
      const racer = await newPlayer(2000);
      assert.equal((await buy(racer.user, 'skin_sakura')).status, 201);
      assert.equal((await buy(racer.user, 'skin_midnight')).status, 201);
      await grantSkin(racer.id, 'skin_golden');
      const coins = await coinsOf(racer.user);
      const results = await Promise.all(Array.from({ length: 10 }, () => s.api(racer.user, 'POST', '/api/v1/collection/sets/classic/claim')));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, ...Array<number>(9).fill(409)]);
      for (const r of results) if (r.status === 409) assert.equal(r.body.error.code, 'ALREADY_CLAIMED');
      assert.equal(await coinsOf(racer.user), coins + 300);
      const paid = await db.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', claimKey(racer.id, 'classic')).execute();
      assert.equal(paid.length, 1);
      const claims = await db.selectFrom('collection_claims').selectAll().where('player_id', '=', racer.id).execute();
      assert.equal(claims.length, 1);
      assert.equal(claims[0]!.transaction_id, paid[0]!.id);
      const events = await db.selectFrom('events').select('seq').where('player_id', '=', racer.id).where('kind', '=', 'collection').execute();
      assert.equal(events.length, 1);
      await assertLedgerConsistent(db);
    });

    it('a claim pays off debt first, like every credit', async () => {
      const debtor = await newPlayer();
      await grantSkin(debtor.id, 'skin_meadow');
      // 40 coins of debt, as a refund of something already spent leaves.
      const { SYSTEM_ACCOUNTS, debtAccount } = await import('../../../server/repositories/ledger-repository.js');
      await db.transaction().execute(async (trx) =>
        s.app.ledger.post(trx, {
          idempotencyKey: `test-debt:${debtor.id}`,
          reason: 'test_debt',
          playerId: debtor.id,
          postings: [
            { accountId: debtAccount(debtor.id), amount: -40 },
            { accountId: SYSTEM_ACCOUNTS.issuance, amount: 40 },
          ],
          nowMs,
        }),
      );
      const claim = await s.api(debtor.user, 'POST', '/api/v1/collection/sets/season-spring-2027/claim');
      assert.equal(claim.status, 200);
      assert.deepEqual(claim.body.balances, { coins: 110, debt: 0 });
      await assertLedgerConsistent(db);
    });
  });
});

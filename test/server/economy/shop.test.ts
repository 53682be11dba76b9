import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACCOUNTS, debtAccount } from '../../../server/repositories/ledger-repository.js';
import { priceOf, priceVariantFor, shopItem } from '../../../shared/shop.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { assertLedgerConsistent, grantCoins, preAwardAchievements } from '../../helpers/economy.js';
import { joinHome, waitFor } from '../../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';

/** 2026-11-26 noon UTC: the launch food promotion (20 %) and bubble days (30 %) run. */
const NOW = Date.parse('2026-11-26T12:00:00Z');

describeEachDialect('shop', (dialect) => {
  let s: TestServer;
  let user: TestUser;
  let playerId: string;
  let n = 0;

  const key = () => `k-${randomUUID()}`;
  const buy = (who: TestUser, itemId: string, quantity?: number, idempotencyKey: string | null = key()) =>
    s.api(who, 'POST', '/api/v1/shop/purchases', quantity === undefined ? { itemId } : { itemId, quantity }, idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey });
  const coins = async (who: TestUser) => (await s.api(who, 'GET', '/api/v1/me')).body.balances.coins as number;
  const newPlayer = async (): Promise<{ user: TestUser; id: string }> => {
    const u = { id: 91_000 + dialect.length * 1000 + ++n, firstName: `Buyer${n}` };
    const id = (await s.api(u, 'GET', '/api/v1/me')).body.id as string;
    // Exact balances: no achievement pays out during these tests (progression has its own).
    await preAwardAchievements(s.app.db.kysely, id);
    return { user: u, id };
  };

  before(async () => {
    // One buyer sends 100 purchases at once below: far past a player's purchase budget.
    s = await startTestServer({ dialect, now: () => NOW, env: { RATE_LIMIT_PURCHASES_MAX: '1000' } });
    ({ user, id: playerId } = await newPlayer());
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('lists items with prices for my stage, my price variant and the running promotions', async () => {
    const res = await s.api(user, 'GET', '/api/v1/shop');
    assert.equal(res.status, 200);
    const shop = res.body;
    assert.equal(shop.stage, 'egg');
    assert.equal(shop.variant, priceVariantFor(playerId).id);
    assert.deepEqual(shop.promotions.map((p: { id: string }) => p.id).sort(), ['launch-food-2026', 'soap-bubbles-2026']);
    const kibble = shop.items.find((i: { itemId: string }) => i.itemId === 'kibble');
    const expected = priceOf(shopItem('kibble')!, 0, priceVariantFor(playerId), [{ promotionId: 'launch-food-2026', percent: 20 }]);
    assert.equal(kibble.unitPrice, expected.unit);
    assert.equal(kibble.promotionId, 'launch-food-2026');
    assert.equal(kibble.discountPercent, 20);
    const bath = shop.items.find((i: { itemId: string }) => i.itemId === 'bubble_bath');
    assert.equal(bath.discountPercent, 30);
    assert.equal(shop.items.find((i: { itemId: string }) => i.itemId === 'ball').promotionId, null);
    assert.ok(shop.starsProducts.some((p: { productId: string; stars: number }) => p.productId === 'coins_250' && p.stars > 0));
    assert.ok(!shop.items.some((i: { itemId: string }) => i.itemId === 'skin_golden'), 'the golden coat is sold for Stars only');
  });

  it('refuses a purchase without an Idempotency-Key, or with a bad one', async () => {
    assert.equal((await buy(user, 'kibble', 1, null)).body.error.code, 'IDEMPOTENCY_KEY_REQUIRED');
    assert.equal((await buy(user, 'kibble', 1, 'has spaces in it')).status, 400);
  });

  it('refuses what is not for sale and quantities out of range, changing nothing', async () => {
    assert.equal((await buy(user, 'skin_golden')).body.error.code, 'ITEM_NOT_FOR_SALE');
    assert.equal((await buy(user, 'diamonds')).body.error.code, 'ITEM_NOT_FOR_SALE');
    assert.equal((await buy(user, 'kibble', 0)).status, 400);
    assert.equal((await buy(user, 'kibble', 51)).status, 400);
    assert.equal((await buy(user, 'plush', 21)).body.error.code, 'VALIDATION_FAILED');
    const extra = await s.api(user, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 1, price: 0 }, { 'idempotency-key': key() });
    assert.equal(extra.status, 400);
  });

  it('answers 409 INSUFFICIENT_FUNDS without coins and writes nothing', async () => {
    const before = await assertLedgerConsistent(s.app.db.kysely);
    const res = await buy(user, 'fish', 2);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'INSUFFICIENT_FUNDS');
    assert.deepEqual(await assertLedgerConsistent(s.app.db.kysely), before);
    const purchases = await s.app.db.kysely.selectFrom('purchases').selectAll().where('player_id', '=', playerId).execute();
    assert.equal(purchases.length, 0);
  });

  it('moves coins and grants the items in one purchase, recording price, promotion and variant', async () => {
    await grantCoins(s.app.db.kysely, s.app.ledger, playerId, 100);
    const inventoryBefore = (await s.api(user, 'GET', '/api/v1/inventory')).body;
    const kibbleBefore = inventoryBefore.items.find((i: { itemId: string }) => i.itemId === 'kibble')?.quantity ?? 0;
    const res = await buy(user, 'kibble', 3);
    assert.equal(res.status, 201);
    const { purchase, balances, inventory, replayed } = res.body;
    assert.equal(replayed, false);
    assert.equal(purchase.itemId, 'kibble');
    assert.equal(purchase.quantity, 3);
    assert.equal(purchase.totalPrice, purchase.unitPrice * 3);
    assert.equal(purchase.promotionId, 'launch-food-2026');
    assert.equal(purchase.variant, priceVariantFor(playerId).id);
    assert.equal(balances.coins, 100 - purchase.totalPrice);
    assert.equal(inventory.items.find((i: { itemId: string }) => i.itemId === 'kibble').quantity, kibbleBefore + 3);
    assert.equal(await coins(user), 100 - purchase.totalPrice);
    const row = await s.app.db.kysely.selectFrom('purchases').selectAll().where('id', '=', purchase.id).executeTakeFirstOrThrow();
    assert.equal(row.experiment_id, 'food-price-2026-11');
    assert.equal(row.pet_stage, 0);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('answers with the holdings right after the purchase: every item held, the coins and the debt', async () => {
    const buyer = await newPlayer();
    await s.app.inventory.grant(buyer.id, { ball: 2, soap: 1, steak: 3 });
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 100);
    // Owed after a refund of coins already spent (as a Stars refund records it).
    await s.app.db.kysely.transaction().execute((trx) =>
      s.app.ledger.post(trx, {
        idempotencyKey: `test-debt:${buyer.id}`,
        reason: 'test_debt',
        playerId: buyer.id,
        postings: [
          { accountId: debtAccount(buyer.id), amount: -7 },
          { accountId: SYSTEM_ACCOUNTS.issuance, amount: 7 },
        ],
        nowMs: NOW,
      }),
    );
    const res = await buy(buyer.user, 'kibble', 2);
    assert.equal(res.status, 201);
    const bag = (await s.api(buyer.user, 'GET', '/api/v1/inventory')).body;
    assert.deepEqual(res.body.inventory, bag);
    assert.deepEqual(
      bag.items.map((i: { itemId: string; quantity: number }) => [i.itemId, i.quantity]),
      [['ball', 2], ['kibble', 2], ['soap', 1], ['steak', 3]],
    );
    assert.deepEqual(res.body.balances, { coins: 100 - res.body.purchase.totalPrice, debt: 7 });
    assert.equal(res.body.purchase.quantity, 2);
  });

  it('leaves a key refused for want of coins, or for a skin already owned, unused: nothing is written', async () => {
    const buyer = await newPlayer();
    const events = async () =>
      (await s.app.db.kysely.selectFrom('events').select('kind').where('player_id', '=', buyer.id).where('kind', '=', 'purchase').execute()).length;
    const k = key();
    const before = await assertLedgerConsistent(s.app.db.kysely);
    assert.equal((await buy(buyer.user, 'fish', 1, k)).body.error.code, 'INSUFFICIENT_FUNDS');
    assert.deepEqual(await assertLedgerConsistent(s.app.db.kysely), before);
    assert.equal(await events(), 0);
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 1000);
    const bought = await buy(buyer.user, 'fish', 1, k);
    assert.equal(bought.status, 201, 'the same key buys once there are coins');
    assert.equal(await events(), 1);

    assert.equal((await buy(buyer.user, 'skin_sakura', 1)).status, 201);
    const coinsBefore = await coins(buyer.user);
    const ledgerBefore = await assertLedgerConsistent(s.app.db.kysely);
    const owned = key();
    assert.equal((await buy(buyer.user, 'skin_sakura', 1, owned)).body.error.code, 'ALREADY_OWNED');
    assert.deepEqual(await assertLedgerConsistent(s.app.db.kysely), ledgerBefore);
    assert.equal(await coins(buyer.user), coinsBefore);
    assert.equal(await events(), 2);
    assert.equal((await buy(buyer.user, 'ball', 1, owned)).status, 201, 'the key was not used up');
  });

  it('applies one purchase when requests with one key and different items race: the others get it or 422', async () => {
    const buyer = await newPlayer();
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 500);
    const k = key();
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => buy(buyer.user, i % 2 === 0 ? 'soap' : 'ball', 1, k)));
    const made = results.filter((r) => r.status === 201);
    assert.equal(made.length, 1, JSON.stringify(results.map((r) => r.status)));
    const first = made[0]!.body.purchase as { id: string; itemId: string; totalPrice: number };
    for (const r of results) {
      if (r.status === 201) continue;
      if (r.status === 200) {
        assert.equal(r.body.replayed, true);
        assert.equal(r.body.purchase.id, first.id);
      } else {
        assert.equal(r.status, 422);
        assert.equal(r.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
      }
    }
    assert.equal(results.filter((r) => r.status === 422).length, 8, 'every request for the other item is refused');
    const rows = await s.app.db.kysely.selectFrom('purchases').selectAll().where('player_id', '=', buyer.id).execute();
    assert.deepEqual(rows.map((r) => r.id), [first.id]);
    assert.equal(await coins(buyer.user), 500 - first.totalPrice);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('returns the first purchase for a replayed key and changes nothing', async () => {
    await grantCoins(s.app.db.kysely, s.app.ledger, playerId, 50);
    const k = key();
    const first = await buy(user, 'berries', 2, k);
    assert.equal(first.status, 201);
    const coinsAfterFirst = await coins(user);
    for (let i = 0; i < 3; i++) {
      const again = await buy(user, 'berries', 2, k);
      assert.equal(again.status, 200);
      assert.equal(again.body.replayed, true);
      assert.equal(again.body.purchase.id, first.body.purchase.id);
      assert.deepEqual(again.body.balances, first.body.balances);
    }
    assert.equal(await coins(user), coinsAfterFirst);
    const reused = await buy(user, 'berries', 3, k);
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await coins(user), coinsAfterFirst);
  });

  it('scopes idempotency keys to the player', async () => {
    const other = await newPlayer();
    await grantCoins(s.app.db.kysely, s.app.ledger, other.id, 30);
    await grantCoins(s.app.db.kysely, s.app.ledger, playerId, 30);
    const k = key();
    const mine = await buy(user, 'ball', 1, k);
    const theirs = await buy(other.user, 'ball', 1, k);
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.notEqual(mine.body.purchase.id, theirs.body.purchase.id);
  });

  it('sells a skin once', async () => {
    await grantCoins(s.app.db.kysely, s.app.ledger, playerId, 1000);
    const coinsBefore = await coins(user);
    const first = await buy(user, 'skin_sakura', 1);
    assert.equal(first.status, 201);
    const second = await buy(user, 'skin_sakura', 1);
    assert.equal(second.body.error.code, 'ALREADY_OWNED');
    assert.equal(await coins(user), coinsBefore - first.body.purchase.totalPrice);
    const shop = (await s.api(user, 'GET', '/api/v1/shop')).body;
    assert.equal(shop.items.find((i: { itemId: string }) => i.itemId === 'skin_sakura').owned, 1);
  });

  it('prices by the stage of my most grown pet', async () => {
    const buyer = await newPlayer();
    const pet = (await s.api(buyer.user, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).body;
    const eggPrice = (await s.api(buyer.user, 'GET', '/api/v1/shop')).body.items.find((i: { itemId: string }) => i.itemId === 'steak').unitPrice;
    await s.app.db.kysely.updateTable('pets').set({ stage: 4 }).where('id', '=', pet.id).execute();
    const shop = (await s.api(buyer.user, 'GET', '/api/v1/shop')).body;
    assert.equal(shop.stage, 'adult');
    const adultPrice = shop.items.find((i: { itemId: string }) => i.itemId === 'steak').unitPrice;
    assert.ok(adultPrice > eggPrice, `adults eat more: ${adultPrice} > ${eggPrice}`);
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 100);
    const res = await buy(buyer.user, 'steak', 1);
    assert.equal(res.body.purchase.unitPrice, adultPrice);
  });

  it('updates the coins and the bag in the open home room', async () => {
    const buyer = await newPlayer();
    await s.api(buyer.user, 'POST', '/api/v1/pets', { name: 'Mia', species: 'cat' });
    const room = await joinHome(s, buyer.user);
    try {
      await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 40);
      s.app.inventory.changed(buyer.id);
      await waitFor(() => room.state.coins === 40, 'the granted coins in the room');
      const res = await buy(buyer.user, 'plush', 1);
      assert.equal(res.status, 201);
      await waitFor(() => room.state.coins === 40 - res.body.purchase.totalPrice, 'the coins after buying');
      await waitFor(() => room.state.inventory.get('plush') === 1, 'the plush in the bag');
    } finally {
      await room.leave();
    }
  });

  it('never overspends one balance under 100 concurrent purchases', async () => {
    const buyer = await newPlayer();
    const price = (await s.api(buyer.user, 'GET', '/api/v1/shop')).body.items.find((i: { itemId: string }) => i.itemId === 'ball').unitPrice as number;
    const affordable = 37;
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, price * affordable + price - 1);
    const results = await Promise.all(Array.from({ length: 100 }, () => buy(buyer.user, 'ball', 1)));
    const ok = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => r.status === 409 && r.body.error.code === 'INSUFFICIENT_FUNDS').length;
    assert.equal(ok, affordable);
    assert.equal(refused, 100 - affordable);
    assert.equal(await coins(buyer.user), price - 1);
    const bag = (await s.api(buyer.user, 'GET', '/api/v1/inventory')).body;
    assert.equal(bag.items.find((i: { itemId: string }) => i.itemId === 'ball').quantity, affordable);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('applies one purchase for 20 concurrent requests with the same key', async () => {
    const buyer = await newPlayer();
    await grantCoins(s.app.db.kysely, s.app.ledger, buyer.id, 200);
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, () => buy(buyer.user, 'soap', 2, k)));
    assert.ok(results.every((r) => r.status === 201 || r.status === 200), JSON.stringify(results.map((r) => r.status)));
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(new Set(results.map((r) => r.body.purchase.id)).size, 1);
    const rows = await s.app.db.kysely.selectFrom('purchases').selectAll().where('player_id', '=', buyer.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(await coins(buyer.user), 200 - rows[0]!.total_price);
    await assertLedgerConsistent(s.app.db.kysely);
  });
});

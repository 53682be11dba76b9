import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../helpers/dialects.js';
import { grantCoins } from '../helpers/economy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** 2026-11-26 noon UTC, as the shop tests: pets awake, promotions known. */
const NOW = Date.parse('2026-11-26T12:00:00Z');

describeEachDialect('events written with the changes they describe', (dialect) => {
  let s: TestServer;
  const ann = { id: 93_001, firstName: 'Ann' };
  const bob = { id: 93_002, firstName: 'Bob' };
  let annId: string;
  let bobId: string;

  const eventsOf = async (playerId: string, kind: string) =>
    (await s.app.db.kysely.selectFrom('events').selectAll().where('player_id', '=', playerId).where('kind', '=', kind).orderBy('seq').execute()).map((row) => ({
      ...row,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));

  before(async () => {
    s = await startTestServer({ dialect, now: () => NOW });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id as string;
    bobId = (await s.api(bob, 'GET', '/api/v1/me')).body.id as string;
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('a care paid with an item: one event, none for a refused care', async () => {
    const petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi' })).body.id as string;
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).status, 200);
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' })).body.error.code, 'CARE_COOLDOWN');
    const cares = await eventsOf(annId, 'care');
    assert.equal(cares.length, 1);
    assert.deepEqual(cares[0]?.payload, { petId, action: 'feed', itemId: 'kibble' });
    assert.equal(Number(cares[0]?.created_at), NOW);
  });

  it('a purchase: one event with what was bought and paid, none for its replay', async () => {
    await grantCoins(s.app.db.kysely, s.app.ledger, annId, 100);
    const key = `k-${randomUUID()}`;
    const bought = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 2 }, { 'idempotency-key': key });
    assert.equal(bought.status, 201);
    const replay = await s.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble', quantity: 2 }, { 'idempotency-key': key });
    assert.equal(replay.body.replayed, true);
    const purchases = await eventsOf(annId, 'purchase');
    assert.equal(purchases.length, 1);
    const { purchase } = bought.body as { purchase: { id: string; totalPrice: number } };
    assert.equal(purchases[0]?.payload.purchaseId, purchase.id);
    assert.equal(purchases[0]?.payload.itemId, 'kibble');
    assert.equal(purchases[0]?.payload.quantity, 2);
    assert.equal(purchases[0]?.payload.coins, purchase.totalPrice);
  });

  it('a friendship: one event for each friend, none when they already were friends', async () => {
    const code = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode as string;
    assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code });
    assert.deepEqual((await eventsOf(annId, 'friend')).map((e) => e.payload), [{ friendId: bobId }]);
    assert.deepEqual((await eventsOf(bobId, 'friend')).map((e) => e.payload), [{ friendId: annId }]);
  });

  it('names no one: payloads hold ids and numbers, never names or Telegram ids', async () => {
    const rows = await s.app.db.kysely.selectFrom('events').select('payload').execute();
    assert.ok(rows.length >= 4);
    for (const { payload } of rows) {
      assert.doesNotMatch(payload, /Ann|Bob|Mochi|9300[12]/);
    }
  });
});

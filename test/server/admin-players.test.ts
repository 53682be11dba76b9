/**
 * The admin API on players: search, a player's page, granting and taking coins (idempotent,
 * never below zero, audited, shown in the room), renaming a pet (filtered, audited, shown in
 * the room), and the owner's own rename.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { FraudRepository } from '../../server/repositories/fraud-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { assertLedgerConsistent } from '../helpers/economy.js';
import { joinHome, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('admin players', (dialect) => {
  let s: TestServer;
  const ann = { id: 3301, firstName: 'Ann', username: 'Annie_Q' };
  const bob = { id: 3302, firstName: 'Bob', username: 'bobby' };
  let annId: string;
  let annCode: string;
  let annPet: string;
  let bobId: string;
  let adminToken: string;
  let modToken: string;

  const admin = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.api(null, method, path, body, { authorization: `Bearer ${token}`, ...headers });
  const coins = (amount: number, key: string | null, token = adminToken, playerId = annId) =>
    admin(token, 'POST', `/admin/players/${playerId}/coins`, { amount, reason: 'support ticket 42' }, key === null ? {} : { 'idempotency-key': key });
  const search = async (q: string, extra = '') => admin(modToken, 'GET', `/admin/players?q=${encodeURIComponent(q)}${extra}`);

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'bootstrap-pw', JWT_SECRET: 's'.repeat(40) } });
    const me = (await s.api(ann, 'GET', '/api/v1/me')).body;
    annId = me.id;
    annCode = me.inviteCode;
    annPet = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).body.id;
    await s.api(ann, 'POST', '/api/v1/pets', { name: 'Biscuit', species: 'dog' });
    bobId = (await s.api(bob, 'GET', '/api/v1/me')).body.id;
    await s.api(bob, 'POST', '/api/v1/pets', { name: 'Moss', species: 'cat' });
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: annCode });
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, s.now());
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: 'bootstrap-pw' })).body.token;
    modToken = (await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('finds players by Telegram id, username, invite code and pet name', async () => {
    const byId = await search(String(ann.id));
    assert.equal(byId.status, 200, JSON.stringify(byId.body));
    assert.deepEqual(
      byId.body.items.map((i: any) => [i.playerId, i.matchedBy]),
      [[annId, 'telegram_id']],
    );
    const row = byId.body.items[0];
    assert.equal(row.telegramId, ann.id);
    assert.equal(row.username, 'Annie_Q');
    assert.equal(row.inviteCode, annCode);
    assert.equal(row.petCount, 2);
    assert.equal(row.firstPetName, 'Mochi');
    assert.equal(row.banned, false);

    for (const q of ['@annie', 'ANNIE_', 'annie_q']) {
      assert.deepEqual((await search(q)).body.items.map((i: any) => [i.playerId, i.matchedBy]), [[annId, 'username']], q);
    }
    assert.deepEqual((await search('annie%')).body.items, [], 'LIKE wildcards are literal');
    assert.deepEqual((await search('anni_')).body.items, [], 'LIKE wildcards are literal');
    assert.deepEqual((await search(annCode.toLowerCase())).body.items.map((i: any) => i.matchedBy), ['invite_code']);
    assert.deepEqual((await search('bisc')).body.items.map((i: any) => [i.playerId, i.matchedBy]), [[annId, 'pet_name']]);

    // "mo": Mochi (Ann) and Moss (Bob), by name, one a page.
    const first = await search('mo', '&limit=1');
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0].playerId, annId);
    assert.ok(first.body.nextCursor);
    const second = await search('mo', `&limit=1&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.items.map((i: any) => i.playerId), [bobId]);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await search('mo', '&cursor=bm9wZQ')).status, 400);
    assert.equal((await search('')).status, 400);
  });

  it("shows a player's page: profile, pets with pictures, inventory, wallet entries, orders, friends", async () => {
    const page = await admin(modToken, 'GET', `/admin/players/${annId}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const b = page.body;
    assert.equal(b.player.id, annId);
    assert.equal(b.player.banned, false);
    assert.equal(b.player.leaderboardExcludedAt, null);
    assert.deepEqual(b.pets.map((p: any) => p.name).sort(), ['Biscuit', 'Mochi']);
    for (const pet of b.pets) {
      assert.ok(['ready', 'queued', 'running', 'failed', 'none'].includes(pet.picture.status));
      if (pet.picture.url) assert.match(pet.picture.url, /^\/api\/v1\/images\//);
    }
    // The owner's room asks for the pictures it shows; the page then has the same ones.
    const home = await joinHome(s, ann);
    const ready = await waitFor(async () => {
      const pets = (await admin(modToken, 'GET', `/admin/players/${annId}`)).body.pets;
      return pets.find((p: any) => p.picture.status === 'ready');
    }, 'a painted picture');
    const bytes = await fetch(s.url + ready.picture.url);
    assert.equal(bytes.status, 200, 'the picture loads without player auth');
    const shown = await waitFor(() => petView(home, ready.id)?.imageUrl, 'the room’s picture');
    assert.equal(shown, ready.picture.url, 'the picture the Mini App shows');
    await home.leave();
    assert.ok(b.inventory.items.length > 0, 'the starter pack');
    assert.deepEqual(b.friends, [{ playerId: bobId, name: 'Bob (@bobby)' }]);
    assert.deepEqual(b.starsPayments, []);
    assert.deepEqual(b.starsOrders, []);
    assert.equal((await admin(modToken, 'GET', '/admin/players/00000000-0000-4000-8000-000000000000')).body.error.code, 'PLAYER_NOT_FOUND');
  });

  it('grants and takes coins once per key, never below zero, audited, and the room shows the balance', async () => {
    const home = await joinHome(s, ann);
    const start = (await s.api(ann, 'GET', '/api/v1/inventory')).body.coins;
    const grant = await coins(500, 'grant-1');
    assert.equal(grant.status, 201, JSON.stringify(grant.body));
    assert.equal(grant.body.balances.coins, start + 500);
    await waitFor(() => home.state.coins === start + 500, 'the room shows the grant');

    const replay = await coins(500, 'grant-1');
    assert.equal(replay.status, 200);
    assert.equal(replay.body.replayed, true);
    assert.equal(replay.body.transactionId, grant.body.transactionId);
    assert.equal((await coins(400, 'grant-1')).body.error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await s.api(ann, 'GET', '/api/v1/inventory')).body.coins, start + 500);

    const tooMuch = await coins(-(start + 501), 'take-1');
    assert.equal(tooMuch.status, 409);
    assert.equal(tooMuch.body.error.code, 'INSUFFICIENT_FUNDS');
    const take = await coins(-200, 'take-1');
    assert.equal(take.status, 201, 'a refused take leaves its key free');
    assert.equal(take.body.balances.coins, start + 300);
    await waitFor(() => home.state.coins === start + 300, 'the room shows the take');
    await home.leave();

    assert.equal((await coins(0, 'zero')).body.error.code, 'VALIDATION_FAILED');
    assert.equal((await coins(1_000_001, 'big')).body.error.code, 'VALIDATION_FAILED');
    assert.equal((await coins(10, null)).body.error.code, 'IDEMPOTENCY_KEY_REQUIRED');
    const viaBody = await admin(adminToken, 'POST', `/admin/players/${annId}/coins`, { amount: 1, reason: 'body key', idempotencyKey: 'body-1' });
    assert.equal(viaBody.status, 201);
    assert.equal((await coins(10, 'mod', modToken)).body.error.code, 'ADMIN_ROLE_REQUIRED');
    assert.equal((await coins(10, 'nobody', adminToken, '00000000-0000-4000-8000-000000000000')).body.error.code, 'PLAYER_NOT_FOUND');

    const ledger = (await admin(modToken, 'GET', `/admin/players/${annId}?ledgerLimit=3`)).body.ledger;
    assert.deepEqual(
      ledger.map((e: any) => [e.reason, e.amount, e.balanceAfter]),
      [
        ['admin_adjustment', 1, start + 301],
        ['admin_adjustment', -200, start + 300],
        ['admin_adjustment', 500, start + 500],
      ],
    );
    const audit = (await admin(modToken, 'GET', `/admin/audit?targetId=${annId}`)).body.items;
    assert.deepEqual(
      audit.map((e: any) => e.action),
      ['player.coins_grant', 'player.coins_take', 'player.coins_grant'],
    );
    assert.deepEqual(audit[1].before, { coins: start + 500, debt: 0 });
    assert.equal(audit[1].after.coins, start + 300);
    assert.equal(audit[1].reason, 'support ticket 42');
    await assertLedgerConsistent(s.app.db.kysely);
  });

  if (dialect === 'postgres') {
    it('two takes at once cannot overdraw; the same key twice at once posts once', async () => {
      const balance = (await s.api(bob, 'GET', '/api/v1/inventory')).body.coins;
      await coins(100 - balance, `level-${randomUUID()}`, adminToken, bobId);
      assert.equal((await s.api(bob, 'GET', '/api/v1/inventory')).body.coins, 100);
      const takes = await Promise.all([coins(-60, 'race-a', adminToken, bobId), coins(-60, 'race-b', adminToken, bobId)]);
      assert.deepEqual(takes.map((r) => r.status).sort(), [201, 409]);
      assert.equal((await s.api(bob, 'GET', '/api/v1/inventory')).body.coins, 40);

      const same = await Promise.all([coins(25, 'race-same', adminToken, bobId), coins(25, 'race-same', adminToken, bobId)]);
      assert.deepEqual(same.map((r) => r.status).sort(), [200, 201]);
      assert.equal(same[0].body.transactionId, same[1].body.transactionId);
      assert.equal((await s.api(bob, 'GET', '/api/v1/inventory')).body.coins, 65);
      await assertLedgerConsistent(s.app.db.kysely);
    });
  }

  it('renames a pet through the word filter; the owner’s room shows it; audited', async () => {
    const home = await joinHome(s, ann);
    await waitFor(() => petView(home, annPet), 'the pet in the room');
    const rejected = await admin(modToken, 'POST', `/admin/pets/${annPet}/rename`, { name: 'Sh1thead', reason: 'reported name' });
    assert.equal(rejected.status, 400);
    assert.equal(rejected.body.error.code, 'NAME_REJECTED');
    assert.equal((await admin(modToken, 'POST', `/admin/pets/${annPet}/rename`, { name: 'x'.repeat(40), reason: 'too long' })).body.error.code, 'NAME_INVALID');
    const renamed = await admin(modToken, 'POST', `/admin/pets/${annPet}/rename`, { name: '  Pebble ', reason: 'reported name' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'Pebble');
    await waitFor(() => petView(home, annPet)?.name === 'Pebble', 'the room shows the new name');
    assert.equal((await s.api(ann, 'GET', `/api/v1/pets/${annPet}`)).body.name, 'Pebble');
    const audit = (await admin(modToken, 'GET', `/admin/audit?targetId=${annPet}`)).body.items;
    assert.equal(audit[0].action, 'pet.rename');
    assert.equal(audit[0].actorName, 'mia');
    assert.deepEqual(audit[0].before, { name: 'Mochi', ownerId: annId });
    assert.deepEqual(audit[0].after, { name: 'Pebble' });
    assert.equal((await admin(modToken, 'POST', `/admin/pets/00000000-0000-4000-8000-000000000000/rename`, { name: 'A', reason: 'nope' })).status, 404);

    // The owner renames too, with the same filter; nobody else may.
    assert.equal((await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Сука' })).body.error.code, 'NAME_REJECTED');
    assert.equal((await s.api(bob, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mine' })).status, 403);
    const own = await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi' });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    await waitFor(() => petView(home, annPet)?.name === 'Mochi', 'the room shows the owner’s rename');
    await home.leave();
  });

  it("shows the player's anti-fraud flags on their page", async () => {
    assert.deepEqual((await admin(modToken, 'GET', `/admin/players/${bobId}`)).body.flags, []);
    const fraud = new FraudRepository(s.app.db.kysely);
    const t0 = s.now();
    await fraud.raise({ playerId: bobId, kind: 'minigame_anomaly', severity: 'medium', evidence: '{}' }, t0);
    await fraud.raise({ playerId: bobId, kind: 'minigame_anomaly', severity: 'high', evidence: '{}' }, t0 + 1000);
    await fraud.raise({ playerId: bobId, kind: 'refunds', severity: 'low', evidence: '{}' }, t0 + 500);
    const flags = (await admin(modToken, 'GET', `/admin/players/${bobId}`)).body.flags;
    assert.deepEqual(
      flags.map((f: any) => [f.kind, f.severity, f.status, f.count, f.lastSeenAt]),
      [
        ['minigame_anomaly', 'high', 'open', 2, new Date(t0 + 1000).toISOString()],
        ['refunds', 'low', 'open', 1, new Date(t0 + 500).toISOString()],
      ],
    );
    assert.ok(flags.every((f: any) => typeof f.id === 'string'));
    assert.deepEqual((await admin(modToken, 'GET', `/admin/players/${annId}`)).body.flags, []);
  });

  it('removes a player from the leaderboards and restores them (moderators too), audited', async () => {
    const onBoard = async () =>
      ((await s.api(bob, 'GET', '/api/v1/leaderboards/pet_age?period=all&scope=global')).body.entries as Array<{ playerId?: string; petName: string }>).some((e) => e.petName === 'Mochi');
    await waitFor(onBoard, 'Ann on the pet age board');
    const set = (excluded: boolean, token = modToken, playerId = annId) => admin(token, 'POST', `/admin/players/${playerId}/leaderboards`, { excluded, reason: 'boosted scores' });

    const out = await set(true);
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal(out.body.changed, true);
    assert.equal(out.body.playerId, annId);
    assert.ok(out.body.leaderboardExcludedAt);
    assert.equal(await onBoard(), false, 'gone from the board');
    assert.equal((await admin(modToken, 'GET', `/admin/players/${annId}`)).body.player.leaderboardExcludedAt, out.body.leaderboardExcludedAt);
    const again = await set(true, adminToken);
    assert.equal(again.body.changed, false, 'already excluded');
    assert.equal(again.body.leaderboardExcludedAt, out.body.leaderboardExcludedAt);

    const back = await set(false);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, { playerId: annId, leaderboardExcludedAt: null, changed: true });
    assert.equal(await onBoard(), true, 'back on the board');
    assert.equal((await set(false)).body.changed, false);

    const audit = (await admin(modToken, 'GET', `/admin/audit?targetId=${annId}`)).body.items.filter((e: any) => /leaderboards$/.test(e.action));
    assert.deepEqual(
      audit.map((e: any) => [e.action, e.actorName, e.reason]),
      [
        ['player.include_leaderboards', 'mia', 'boosted scores'],
        ['player.exclude_leaderboards', 'mia', 'boosted scores'],
      ],
    );
    assert.equal(audit[1].before.leaderboardExcludedAt, null);
    assert.equal(typeof audit[1].after.leaderboardExcludedAt, 'number');
    assert.equal(audit[0].after.leaderboardExcludedAt, null);

    assert.equal((await set(true, modToken, '00000000-0000-4000-8000-000000000000')).body.error.code, 'PLAYER_NOT_FOUND');
    assert.equal((await admin(modToken, 'POST', `/admin/players/${annId}/leaderboards`, { excluded: true })).status, 400, 'a reason is required');
    assert.equal((await s.api(null, 'POST', `/admin/players/${annId}/leaderboards`, { excluded: true, reason: 'no token' })).status, 401);
  });
});

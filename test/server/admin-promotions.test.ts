/**
 * Promotions from the admin API: validation, roles, the audit log, the preview priced by the
 * shop itself, and the player's shop showing a change at once (no wait for the cache).
 */
import assert from 'node:assert/strict';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const DAY = 86_400_000;

describeEachDialect('admin promotions', (dialect) => {
  let s: TestServer;
  const ann = { id: 3201, firstName: 'Ann' };
  let adminToken: string;
  let modToken: string;

  const admin = (token: string, method: string, path: string, body?: unknown) => s.api(null, method, path, body, { authorization: `Bearer ${token}` });
  const iso = (ms: number) => new Date(ms).toISOString();
  const shopItem = async (itemId: string) => (await s.api(ann, 'GET', '/api/v1/shop')).body.items.find((i: any) => i.itemId === itemId);

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'bootstrap-pw', JWT_SECRET: 's'.repeat(40) } });
    await s.api(ann, 'GET', '/api/v1/me');
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, s.now());
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: 'bootstrap-pw' })).body.token;
    modToken = (await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('a created promotion shows in the player’s shop at once; editing and ending it too', async () => {
    const before = await shopItem('plush');
    assert.equal(before.discountPercent, 0);
    // The player's shop has cached its promotions now: the admin change must drop that cache.
    const created = await admin(adminToken, 'POST', '/admin/promotions', { title: 'Plush week', discountPercent: 25, itemId: 'plush', endsAt: iso(s.now() + 7 * DAY) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'running');
    const id = created.body.id;
    const promoted = await shopItem('plush');
    assert.equal(promoted.promotionId, id);
    assert.equal(promoted.discountPercent, 25);
    assert.equal(promoted.unitPrice, Math.round(before.basePrice * 0.75));

    const edited = await admin(adminToken, 'PATCH', `/admin/promotions/${id}`, { discountPercent: 50, reason: 'more' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal((await shopItem('plush')).unitPrice, Math.round(before.basePrice * 0.5));

    const ended = await admin(adminToken, 'POST', `/admin/promotions/${id}/end`, { reason: 'sold out' });
    assert.equal(ended.status, 200);
    assert.equal(ended.body.status, 'ended');
    assert.equal((await shopItem('plush')).discountPercent, 0);
    assert.equal((await admin(adminToken, 'POST', `/admin/promotions/${id}/end`, {})).body.error.code, 'PROMOTION_ENDED');
    assert.equal((await admin(adminToken, 'PATCH', `/admin/promotions/${id}`, { title: 'again' })).body.error.code, 'PROMOTION_ENDED');

    const list = await admin(modToken, 'GET', '/admin/promotions');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.find((p: any) => p.id === id).status, 'ended');

    const audit = await admin(modToken, 'GET', `/admin/audit?targetId=${id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => e.action),
      ['promotion.end', 'promotion.update', 'promotion.create'],
    );
    const update = audit.body.items[1];
    assert.equal(update.before.discountPercent, 25);
    assert.equal(update.after.discountPercent, 50);
    assert.equal(update.reason, 'more');
  });

  it('a scheduled promotion ended early never starts', async () => {
    const created = await admin(adminToken, 'POST', '/admin/promotions', {
      title: 'Later',
      discountPercent: 10,
      kind: 'toy',
      startsAt: iso(s.now() + DAY),
      endsAt: iso(s.now() + 2 * DAY),
    });
    assert.equal(created.body.status, 'scheduled');
    assert.equal((await shopItem('ball')).discountPercent, 0);
    const ended = await admin(adminToken, 'POST', `/admin/promotions/${created.body.id}/end`, {});
    assert.equal(ended.body.status, 'ended');
    assert.ok(Date.parse(ended.body.startsAt) < Date.parse(ended.body.endsAt));
  });

  it('validates dates, discount, title and the target', async () => {
    const now = s.now();
    const ok = { title: 'T', discountPercent: 10, itemId: 'ball', endsAt: iso(now + DAY) };
    const code = async (body: unknown) => (await admin(adminToken, 'POST', '/admin/promotions', body)).body.error?.code;
    assert.equal(await code({ ...ok, discountPercent: 0 }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, discountPercent: 91 }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, title: '' }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, title: 'x'.repeat(81) }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, endsAt: iso(now - 1000) }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, startsAt: iso(now + 2 * DAY) }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, endsAt: iso(now + 91 * DAY) }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, kind: 'toy' }), 'VALIDATION_FAILED', 'both item and kind');
    assert.equal(await code({ title: 'T', discountPercent: 10, endsAt: iso(now + DAY) }), 'VALIDATION_FAILED', 'neither');
    assert.equal(await code({ ...ok, itemId: 'no_such_item' }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, itemId: null, kind: 'dragons' }), 'VALIDATION_FAILED');
    assert.equal(await code({ ...ok, endsAt: 'tomorrow' }), 'VALIDATION_FAILED');
    assert.equal((await admin(adminToken, 'PATCH', '/admin/promotions/promo-nope', { title: 'x' })).body.error.code, 'PROMOTION_NOT_FOUND');
  });

  it('moderators list and preview but may not create, edit or end', async () => {
    const body = { title: 'Mod', discountPercent: 10, itemId: 'ball', endsAt: iso(s.now() + DAY) };
    const refused = await admin(modToken, 'POST', '/admin/promotions', body);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'ADMIN_ROLE_REQUIRED');
    const mine = await admin(adminToken, 'POST', '/admin/promotions', body);
    assert.equal((await admin(modToken, 'PATCH', `/admin/promotions/${mine.body.id}`, { title: 'x' })).body.error.code, 'ADMIN_ROLE_REQUIRED');
    assert.equal((await admin(modToken, 'POST', `/admin/promotions/${mine.body.id}/end`, {})).body.error.code, 'ADMIN_ROLE_REQUIRED');
    await admin(adminToken, 'POST', `/admin/promotions/${mine.body.id}/end`, {});
    const ids = (await admin(modToken, 'GET', '/admin/promotions')).body.items.map((p: any) => p.id);
    assert.ok(ids.indexOf(mine.body.id) < ids.indexOf(ids.find((id: string) => id.startsWith('promo-') && id !== mine.body.id)), 'newest first');
  });

  it('previews every affected item at every stage and price variant, as the shop prices them', async () => {
    const preview = await admin(modToken, 'POST', '/admin/promotions/preview', { discountPercent: 20, kind: 'food' });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const items = preview.body.items;
    assert.ok(items.length > 0);
    assert.ok(items.every((i: any) => i.kind === 'food'));
    const kibble = items.find((i: any) => i.itemId === 'kibble');
    assert.equal(kibble.prices.length, 2 * 5, 'two variants × five stages');
    const egg = kibble.prices.filter((p: any) => p.stage === 'egg');
    assert.deepEqual(egg.map((p: any) => p.variant).sort(), ['control', 'food-minus-10']);
    for (const p of kibble.prices) {
      if (p.draftApplies) assert.equal(p.promotedPrice, Math.max(1, Math.round((p.basePrice * 80) / 100)));
      assert.ok(p.promotedPrice <= p.currentPrice);
    }
    // The player's own shop price agrees with the preview for the player's variant and stage.
    const shop = (await s.api(ann, 'GET', '/api/v1/shop')).body;
    const mine = kibble.prices.find((p: any) => p.variant === shop.variant && p.stage === shop.stage);
    assert.equal(mine.currentPrice, shop.items.find((i: any) => i.itemId === 'kibble').unitPrice);
    assert.equal((await admin(modToken, 'POST', '/admin/promotions/preview', { discountPercent: 20 })).body.error.code, 'VALIDATION_FAILED');
  });
});

/**
 * Admin accounts over HTTP (login by name, refresh cookie, roles, the audit log) and bans:
 * a banned player is refused on REST and room joins, cut off from rooms at once, and their
 * pets vanish for friends; unbanned, everything works again.
 */
import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { CLOSE_BANNED } from '../../shared/protocol.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { joinError, joinHome, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('admin accounts and bans', (dialect) => {
  let s: TestServer;
  const ann = { id: 3101, firstName: 'Ann' };
  const bob = { id: 3102, firstName: 'Bob' };
  let annId: string;
  let annPet: string;
  let adminToken: string;
  let modToken: string;

  const admin = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.api(null, method, path, body, { authorization: `Bearer ${token}`, ...headers });

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'bootstrap-pw', JWT_SECRET: 's'.repeat(40) } });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id;
    annPet = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).body.id;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode });
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, s.now());
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: 'bootstrap-pw' })).body.token;
    modToken = (await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('signs in by name, answers /admin/me, and refreshes with the HttpOnly cookie', async () => {
    const login = await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' });
    assert.equal(login.status, 200);
    assert.equal(login.body.account.role, 'moderator');
    const cookie = login.headers['set-cookie']!;
    assert.match(cookie, /^telepets_admin_refresh=[^;]+; Path=\/admin\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict/);
    assert.deepEqual((await admin(login.body.token, 'GET', '/admin/me')).body, { id: login.body.account.id, name: 'mia', role: 'moderator' });
    const refreshed = await s.api(null, 'POST', '/admin/auth/refresh', undefined, { cookie: cookie.split(';')[0]! });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.account.name, 'mia');
    const out = await s.api(null, 'POST', '/admin/auth/logout', undefined, { cookie: refreshed.headers['set-cookie']!.split(';')[0]! });
    assert.equal(out.status, 204);
    assert.match(out.headers['set-cookie']!, /Max-Age=0/);
    assert.equal((await s.api(null, 'POST', '/admin/auth/refresh', undefined, { cookie: `telepets_admin_refresh=${refreshed.body.refreshToken}` })).status, 401);
    assert.equal((await s.api(null, 'POST', '/admin/auth/refresh')).body.error.code, 'AUTH_INVALID');
    assert.equal((await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'wrong-password' })).status, 401);
  });

  it('lets moderators read but not ban or refund (403 ADMIN_ROLE_REQUIRED)', async () => {
    assert.equal((await admin(modToken, 'GET', '/admin/rooms')).status, 200);
    const ban = await admin(modToken, 'POST', `/admin/players/${annId}/ban`, { reason: 'trying' });
    assert.equal(ban.status, 403);
    assert.equal(ban.body.error.code, 'ADMIN_ROLE_REQUIRED');
    assert.equal((await admin(modToken, 'POST', '/admin/stars/reconcile')).body.error.code, 'ADMIN_ROLE_REQUIRED');
    assert.equal((await s.api(ann, 'GET', '/api/v1/me')).status, 200, 'nothing changed');
  });

  it('validates: a reason is required, the player must exist', async () => {
    assert.equal((await admin(adminToken, 'POST', `/admin/players/${annId}/ban`, {})).body.error.code, 'VALIDATION_FAILED');
    assert.equal((await admin(adminToken, 'POST', '/admin/players/not-an-id/ban', { reason: 'spam' })).status, 400);
    const missing = await admin(adminToken, 'POST', '/admin/players/00000000-0000-4000-8000-000000000000/ban', { reason: 'spam' });
    assert.equal(missing.body.error.code, 'PLAYER_NOT_FOUND');
  });

  it('a ban refuses REST and joins, closes the player’s connections at once, and hides the pets from friends; an unban undoes it', async () => {
    const home = await joinHome(s, ann);
    const watching: Room<any> = await joinHome(s, bob, annId);
    const closed = new Promise<number>((resolve) => home.onLeave((code) => resolve(code)));
    const visitorLeft = new Promise<number>((resolve) => watching.onLeave((code) => resolve(code)));
    assert.equal((await s.api(bob, 'GET', '/api/v1/friends')).body.items.length, 1);

    const onBoard = async () => ((await s.api(bob, 'GET', '/api/v1/leaderboards/pet_age?period=all&scope=global')).body.entries as Array<{ petName: string }>).some((e) => e.petName === 'Mochi');
    await waitFor(onBoard, 'Ann on the pet age board');
    const ban = await admin(adminToken, 'POST', `/admin/players/${annId}/ban`, { reason: 'abusive pet names' });
    assert.equal(ban.status, 200);
    assert.equal(ban.body.banned, true);
    assert.equal(await closed, CLOSE_BANNED);
    await visitorLeft; // the banned player's home is closed to its visitors

    const refused = await s.api(ann, 'GET', '/api/v1/me');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'PLAYER_BANNED');
    assert.equal((await s.api(ann, 'POST', '/api/v1/rooms/tickets')).body.error.code, 'PLAYER_BANNED');
    assert.deepEqual((await s.api(bob, 'GET', '/api/v1/friends')).body.items, []);
    assert.equal(await onBoard(), false, 'a banned player leaves the leaderboards');
    assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${annPet}`)).status, 403);
    assert.match((await joinError(joinHome(s, bob, annId))).message, /FORBIDDEN/);
    // Banning again changes nothing and is not audited twice.
    assert.equal((await admin(adminToken, 'POST', `/admin/players/${annId}/ban`, { reason: 'again' })).body.banned, true);

    const unban = await admin(adminToken, 'POST', `/admin/players/${annId}/unban`, { reason: 'appeal accepted' });
    assert.equal(unban.body.banned, false);
    assert.equal((await s.api(ann, 'GET', '/api/v1/me')).status, 200);
    assert.equal((await s.api(bob, 'GET', '/api/v1/friends')).body.items.length, 1);
    assert.equal(await onBoard(), true, 'and comes back with the unban');
    const back = await joinHome(s, ann);
    await waitFor(() => back.state.pets.size === 1, 'the pet again');
    await back.leave();
  });

  it('two bans at once: one changes the player and is audited', async () => {
    const cat = { id: 3103, firstName: 'Cat' };
    const catId = (await s.api(cat, 'GET', '/api/v1/me')).body.id as string;
    const bans = await Promise.all([1, 2, 3].map((i) => admin(adminToken, 'POST', `/admin/players/${catId}/ban`, { reason: `race ${i}` })));
    assert.deepEqual(
      bans.map((b) => [b.status, b.body.banned]),
      [
        [200, true],
        [200, true],
        [200, true],
      ],
    );
    assert.equal((await admin(modToken, 'GET', `/admin/audit?targetId=${catId}`)).body.items.length, 1);
  });

  it('writes every admin action to the audit log, filterable and paged', async () => {
    const all = await admin(modToken, 'GET', `/admin/audit?targetId=${annId}`);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((e: any) => [e.action, e.actorName, e.reason]),
      [
        ['player.unban', 'admin', 'appeal accepted'],
        ['player.ban', 'admin', 'abusive pet names'],
      ],
    );
    const [unban, ban] = all.body.items;
    assert.deepEqual(ban.before, { bannedAt: null, reason: null });
    assert.equal(ban.after.reason, 'abusive pet names');
    assert.equal(unban.after.bannedAt, null);
    const page1 = await admin(modToken, 'GET', `/admin/audit?targetId=${annId}&limit=1`);
    assert.equal(page1.body.items[0].action, 'player.unban');
    const page2 = await admin(modToken, 'GET', `/admin/audit?targetId=${annId}&limit=1&before=${encodeURIComponent(page1.body.nextBefore)}`);
    assert.equal(page2.body.items[0].action, 'player.ban');
    assert.deepEqual((await admin(modToken, 'GET', '/admin/audit?action=player.unban')).body.items.map((e: any) => e.targetId), [annId]);
    assert.equal((await admin(modToken, 'GET', '/admin/audit?action=DROP TABLE')).status, 400);
  });
});

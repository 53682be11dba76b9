import assert from 'node:assert/strict';
import { MAX_PETS_PER_PLAYER } from '../../shared/balance.js';
import { epochSeconds } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('REST API', (dialect) => {
  let s: TestServer;
  const ann = { id: 1001, firstName: 'Ann', languageCode: 'ru' };
  const bob = { id: 1002, firstName: 'Bob' };
  const eve = { id: 1003, firstName: 'Eve' };

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'admin-pw', JWT_SECRET: 'j'.repeat(40) } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  describe('auth', () => {
    it('creates the player on first valid sight and returns it from /me', async () => {
      const res = await s.api(ann, 'GET', '/api/v1/me');
      assert.equal(res.status, 200);
      assert.equal(res.body.telegramId, 1001);
      assert.equal(res.body.firstName, 'Ann');
      assert.equal(res.body.languageCode, 'ru');
      assert.match(res.body.inviteCode, /^[A-Z2-9]{8}$/);
      const again = await s.api(ann, 'GET', '/api/v1/me');
      assert.equal(again.body.id, res.body.id);
    });

    it('answers 401 AUTH_INVALID for missing, malformed and forged initData', async () => {
      for (const authorization of [undefined, 'Bearer x', 'tma ', 'tma garbage', `tma ${s.initData(ann).replace(/hash=[0-9a-f]+/, 'hash=' + '0'.repeat(64))}`]) {
        const res = await fetch(`${s.url}/api/v1/me`, { headers: authorization ? { authorization } : {} });
        assert.equal(res.status, 401, String(authorization));
        const body = (await res.json()) as any;
        assert.equal(body.error.code, 'AUTH_INVALID');
        assert.equal(typeof body.error.message, 'string');
      }
    });

    it('answers 401 AUTH_EXPIRED for old initData', async () => {
      const old = s.initData(ann, epochSeconds(s.now()) - 2 * 86400);
      const res = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `tma ${old}` } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as any).error.code, 'AUTH_EXPIRED');
    });

    it('has no dev sign-in endpoint when a bot token is configured', async () => {
      const res = await s.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: 5 });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      assert.equal((await s.api(null, 'GET', '/api/v1/client-config')).body.devSignIn, false);
    });
  });

  describe('pets', () => {
    let petId: string;

    it('adopts a pet (201) with starting meters as an egg', async () => {
      const res = await s.api(ann, 'POST', '/api/v1/pets', { name: '  Rex ', species: 'dog' });
      assert.equal(res.status, 201);
      assert.equal(res.body.name, 'Rex');
      assert.equal(res.body.species, 'dog');
      assert.equal(res.body.stage, 'egg');
      assert.deepEqual(res.body.meters, { hunger: 60, mood: 70, cleanliness: 80, health: 100 });
      petId = res.body.id;
    });

    it('validates the body: name length, unknown species, extra fields, bad JSON', async () => {
      const bad = [{ name: '' }, { name: 'x'.repeat(129) }, { name: 'A', species: 'dragon' }, { name: 'A', admin: true }, { name: 5 }, {}];
      for (const body of bad) {
        const res = await s.api(ann, 'POST', '/api/v1/pets', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      }
      // Within what the wire accepts, the name rule measures the normalised name.
      const long = await s.api(ann, 'POST', '/api/v1/pets', { name: 'x'.repeat(33) });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.code, 'NAME_INVALID');
      // Friends see names: the EN/RU word filter refuses obscenities, also disguised.
      for (const name of ['Sh1thead', 'Сука']) {
        const rejected = await s.api(ann, 'POST', '/api/v1/pets', { name });
        assert.equal(rejected.status, 400, name);
        assert.equal(rejected.body.error.code, 'NAME_REJECTED');
      }
      const raw = await fetch(`${s.url}/api/v1/pets`, {
        method: 'POST',
        headers: { authorization: `tma ${s.initData(ann)}`, 'content-type': 'application/json' },
        body: '{"name":',
      });
      assert.equal(raw.status, 400);
      assert.equal(((await raw.json()) as any).error.code, 'VALIDATION_FAILED');
      const big = await fetch(`${s.url}/api/v1/pets`, {
        method: 'POST',
        headers: { authorization: `tma ${s.initData(ann)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(100_000) }),
      });
      assert.equal(big.status, 413);
      assert.equal(((await big.json()) as any).error.code, 'PAYLOAD_TOO_LARGE');
      const list = await s.api(ann, 'GET', '/api/v1/pets');
      assert.equal(list.body.items.length, 1, 'nothing was created by bad requests');
    });

    it('limits pets per player with PET_LIMIT_REACHED', async () => {
      for (let i = 1; i < MAX_PETS_PER_PLAYER; i++) assert.equal((await s.api(ann, 'POST', '/api/v1/pets', { name: `P${i}` })).status, 201);
      const over = await s.api(ann, 'POST', '/api/v1/pets', { name: 'Over' });
      assert.equal(over.status, 409);
      assert.equal(over.body.error.code, 'PET_LIMIT_REACHED');
    });

    it('lists my pets oldest first with a working cursor', async () => {
      const first = await s.api(ann, 'GET', '/api/v1/pets?limit=2');
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 2);
      assert.equal(first.body.items[0].id, petId);
      assert.equal(typeof first.body.nextCursor, 'string');
      const second = await s.api(ann, 'GET', `/api/v1/pets?limit=2&cursor=${first.body.nextCursor}`);
      assert.equal(second.body.items.length, MAX_PETS_PER_PLAYER - 2);
      assert.equal(second.body.nextCursor, null);
      const ids = [...first.body.items, ...second.body.items].map((p: any) => p.id);
      assert.equal(new Set(ids).size, MAX_PETS_PER_PLAYER);
      assert.equal((await s.api(ann, 'GET', '/api/v1/pets?limit=0')).status, 400);
      assert.equal((await s.api(ann, 'GET', '/api/v1/pets?limit=abc')).status, 400);
      assert.equal((await s.api(ann, 'GET', '/api/v1/pets?cursor=%%%')).body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual((await s.api(bob, 'GET', '/api/v1/pets')).body, { items: [], nextCursor: null });
    });

    it('returns a summary with meters, next stage, status and cooldowns', async () => {
      const res = await s.api(ann, 'GET', `/api/v1/pets/${petId}/summary`);
      assert.equal(res.status, 200);
      assert.equal(res.body.stage, 'egg');
      assert.equal(res.body.nextStage.stage, 'baby');
      assert.ok(res.body.nextStage.inSeconds > 0 && res.body.nextStage.inSeconds <= 300);
      assert.deepEqual(res.body.status, { sick: false, asleep: false, growing: true, critical: [], allGood: true });
      assert.deepEqual(res.body.care, { mistakes: 0, bonus: 0, adultForm: 'none', criticalSeconds: { hunger: 0, mood: 0, cleanliness: 0 }, goodCareSeconds: res.body.care.goodCareSeconds });
      assert.deepEqual(res.body.cooldowns, { feed: 0, play: 0, clean: 0, heal: 0 });
    });

    it('feeds over REST, then refuses a second feed with CARE_COOLDOWN and changes nothing', async () => {
      const fed = await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' });
      assert.equal(fed.status, 200);
      assert.equal(fed.body.action, 'feed');
      // The applied delta is after − before in floating point: 25 ± rounding, whatever the meter had decayed to.
      assert.ok(Math.abs(fed.body.delta.hunger - 25) < 1e-9, String(fed.body.delta.hunger));
      assert.ok(fed.body.pet.meters.hunger > 84 && fed.body.pet.meters.hunger <= 85);
      assert.equal(fed.body.pet.careCounts.feed, 1);
      const again = await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'CARE_COOLDOWN');
      const after = await s.api(ann, 'GET', `/api/v1/pets/${petId}`);
      assert.equal(after.body.careCounts.feed, 1);
      assert.ok(after.body.meters.hunger <= fed.body.pet.meters.hunger);
    });

    it('refuses unknown actions, unknown pets and other players', async () => {
      assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'pet' })).body.error.code, 'VALIDATION_FAILED');
      const missing = await s.api(ann, 'POST', '/api/v1/pets/00000000-0000-0000-0000-000000000000/care', { action: 'feed' });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'PET_NOT_FOUND');
      assert.equal((await s.api(ann, 'GET', '/api/v1/pets/not%20an%20id')).body.error.code, 'VALIDATION_FAILED');
      const stranger = await s.api(eve, 'GET', `/api/v1/pets/${petId}`);
      assert.equal(stranger.status, 403);
      assert.equal(stranger.body.error.code, 'FORBIDDEN');
      const strangerCare = await s.api(eve, 'POST', `/api/v1/pets/${petId}/care`, { action: 'play' });
      assert.equal(strangerCare.body.error.code, 'FORBIDDEN');
    });
  });

  describe('friends', () => {
    it('befriends by invite code, both ways, and lists friends with pet counts', async () => {
      const annMe = (await s.api(ann, 'GET', '/api/v1/me')).body;
      const res = await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: annMe.inviteCode.toLowerCase() });
      assert.equal(res.status, 201);
      assert.equal(res.body.id, annMe.id);
      assert.equal(res.body.petCount, MAX_PETS_PER_PLAYER);
      const annFriends = (await s.api(ann, 'GET', '/api/v1/friends')).body.items;
      assert.deepEqual(annFriends.map((f: any) => f.firstName), ['Bob']);
    });

    it('lets a friend read but not care for a pet', async () => {
      const pets = (await s.api(ann, 'GET', '/api/v1/pets')).body.items;
      const id = pets[0].id;
      assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${id}`)).status, 200);
      assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${id}/summary`)).status, 200);
      assert.equal((await s.api(bob, 'POST', `/api/v1/pets/${id}/care`, { action: 'play' })).body.error.code, 'FORBIDDEN');
    });

    it('refuses unknown codes, my own code and existing friends', async () => {
      assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: 'ZZZZZZZZ' })).body.error.code, 'INVITE_NOT_FOUND');
      const bobMe = (await s.api(bob, 'GET', '/api/v1/me')).body;
      assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: bobMe.inviteCode })).body.error.code, 'FRIEND_SELF');
      const annMe = (await s.api(ann, 'GET', '/api/v1/me')).body;
      assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: annMe.inviteCode })).body.error.code, 'ALREADY_FRIENDS');
      assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: 'no spaces!' })).body.error.code, 'VALIDATION_FAILED');
    });

    it('makes friends on first sight from a ref_ start_param', async () => {
      const annMe = (await s.api(ann, 'GET', '/api/v1/me')).body;
      const newcomer = { id: 1010, firstName: 'Cleo', startParam: `ref_${annMe.inviteCode}` };
      assert.equal((await s.api(newcomer, 'GET', '/api/v1/me')).status, 200);
      const friends = (await s.api(newcomer, 'GET', '/api/v1/friends')).body.items;
      assert.deepEqual(friends.map((f: any) => f.id), [annMe.id]);
    });
  });

  describe('admin', () => {
    it('logs in with the password and inspects rooms', async () => {
      const login = await s.api(null, 'POST', '/admin/login', { password: 'admin-pw' });
      assert.equal(login.status, 200);
      const res = await fetch(`${s.url}/admin/rooms`, { headers: { authorization: `Bearer ${login.body.token}` } });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as any).items, []);
    });

    it('refuses a wrong password and a missing or bad token with 401', async () => {
      assert.equal((await s.api(null, 'POST', '/admin/login', { password: 'nope' })).status, 401);
      assert.equal((await fetch(`${s.url}/admin/rooms`)).status, 401);
      assert.equal((await fetch(`${s.url}/admin/rooms`, { headers: { authorization: 'Bearer abc' } })).status, 401);
      const notFound = await fetch(`${s.url}/admin/rooms/nope`, { headers: { authorization: `Bearer ${(await s.api(null, 'POST', '/admin/login', { password: 'admin-pw' })).body.token}` } });
      assert.equal(((await notFound.json()) as any).error.code, 'ROOM_NOT_FOUND');
    });
  });

  describe('operations', () => {
    it('is alive and ready', async () => {
      assert.equal((await s.api(null, 'GET', '/healthz')).status, 200);
      const ready = await s.api(null, 'GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.checks.database.ok, true);
    });

    it('exposes Prometheus metrics with HTTP latency by route', async () => {
      const res = await fetch(`${s.url}/metrics`);
      const text = await res.text();
      assert.match(text, /http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/pets\/:petId\/summary"/);
      assert.match(text, /sim_tick_duration_seconds_count/);
      assert.match(text, /sim_loaded_pets/);
      assert.match(text, /colyseus_rooms/);
    });

    it('describes every route in OpenAPI', async () => {
      const doc = (await s.api(null, 'GET', '/openapi.json')).body;
      const paths = Object.keys(doc.paths).sort();
      for (const p of [
        '/api/v1/me', '/api/v1/pets', '/api/v1/pets/{petId}', '/api/v1/pets/{petId}/summary', '/api/v1/pets/{petId}/care',
        '/api/v1/friends', '/api/v1/client-config', '/admin/login', '/admin/rooms', '/admin/rooms/{roomId}', '/healthz', '/readyz', '/metrics',
      ]) {
        assert.ok(paths.includes(p), `${p} missing from ${paths.join(', ')}`);
      }
      assert.equal((await fetch(`${s.url}/docs`)).status < 400, true);
    });

    it('answers unknown routes with a JSON NOT_FOUND', async () => {
      const res = await s.api(ann, 'GET', '/api/v1/nope');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
    });
  });
});

describe('REST API without admin password or bot token', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ botToken: '' });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('offers dev sign-in whose initData authenticates', async () => {
    assert.equal((await s.api(null, 'GET', '/api/v1/client-config')).body.devSignIn, true);
    const res = await s.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: 4242, firstName: 'Dev', languageCode: 'ru' });
    assert.equal(res.status, 200);
    const me = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `tma ${res.body.initData}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as any).telegramId, 4242);
    assert.equal((await s.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: -1 })).status, 400);
  });

  it('disables every admin route', async () => {
    const login = await s.api(null, 'POST', '/admin/login', { password: 'anything' });
    assert.equal(login.status, 403);
    assert.equal(login.body.error.code, 'ADMIN_DISABLED');
    assert.equal((await fetch(`${s.url}/admin/rooms`, { headers: { authorization: 'Bearer x' } })).status, 403);
  });
});

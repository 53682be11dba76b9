import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { CARE_EFFECTS, ITEMS, MAX_PETS_PER_PLAYER } from '../../shared/balance.js';
import { MAX_ROOM_MESSAGE_BYTES } from '../../shared/protocol.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { clientFor, joinError, joinHome, nextMessage, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('home room', (dialect) => {
  let s: TestServer;
  const ann = { id: 2001, firstName: 'Ann' };
  const bob = { id: 2002, firstName: 'Bob' };
  const eve = { id: 2003, firstName: 'Eve' };
  let annId: string;
  let petId: string;
  let owner: Room<any>;

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'pw', JWT_SECRET: 's'.repeat(40) } });
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id;
    petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).body.id;
    const annCode = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: annCode });
    await s.api(eve, 'GET', '/api/v1/me');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('lets the owner join their home and see the pet with four meters and age', async () => {
    owner = await joinHome(s, ann);
    const pet = await waitFor(() => petView(owner, petId), 'pet in state');
    assert.equal(owner.state.ownerId, annId);
    assert.equal(owner.state.ownerName, 'Ann');
    assert.equal(owner.state.ownerOnline, true);
    assert.equal(pet.name, 'Mochi');
    assert.equal(pet.species, 'cat');
    assert.equal(pet.stage, 'egg');
    for (const meter of ['hunger', 'mood', 'cleanliness', 'health']) assert.equal(typeof pet[meter], 'number');
    assert.ok(Math.abs(pet.hunger - 60) < 0.2);
    assert.equal(typeof pet.ageSeconds, 'number');
    assert.equal(pet.cooldowns.get('feed'), 0);
  });

  it('applies care from the room: cared message, hunger rises, cooldown shows', async () => {
    const before = petView(owner, petId).hunger as number;
    const cared = nextMessage(owner, 'cared');
    owner.send('care', { petId, action: 'feed' });
    const msg = await cared;
    assert.equal(msg.petId, petId);
    assert.ok(Math.abs(msg.delta.hunger - ITEMS.kibble.delta.hunger) < 1e-9, String(msg.delta.hunger));
    assert.equal(msg.cooldownSeconds, CARE_EFFECTS.feed.cooldownS);
    await waitFor(() => petView(owner, petId).hunger > before + 20, 'hunger to rise');
    await waitFor(() => petView(owner, petId).cooldowns.get('feed') > 0, 'cooldown in state');
  });

  it('answers a care action on cooldown with CARE_COOLDOWN and keeps the socket open', async () => {
    const error = nextMessage(owner, 'error');
    owner.send('care', { petId, action: 'feed' });
    assert.equal((await error).code, 'CARE_COOLDOWN');
    assert.equal(owner.connection.isOpen, true);
  });

  it('answers bad payloads with errors, changes nothing and stays connected', async () => {
    const countBefore = (await s.api(ann, 'GET', `/api/v1/pets/${petId}`)).body.careCounts;
    // A connection of its own: its message budget is untouched by the tests before.
    const probe = await joinHome(s, ann);
    const cases: Array<[string, unknown, string]> = [
      ['care', { petId }, 'BAD_MESSAGE'],
      ['care', { petId, action: 'tickle' }, 'BAD_MESSAGE'],
      ['care', { petId: 42, action: 'play' }, 'BAD_MESSAGE'],
      ['care', { petId, action: 'play', extra: true }, 'BAD_MESSAGE'],
      ['care', 'play', 'BAD_MESSAGE'],
      ['care', null, 'BAD_MESSAGE'],
      ['care', { petId: 'a'.repeat(65), action: 'play' }, 'BAD_MESSAGE'],
      ['care', { petId: '00000000-0000-0000-0000-000000000000', action: 'play' }, 'PET_NOT_FOUND'],
      ['care', { petId, action: 'play', pad: 'x'.repeat(MAX_ROOM_MESSAGE_BYTES) }, 'PAYLOAD_TOO_LARGE'],
      ['nonsense', { a: 1 }, 'UNKNOWN_MESSAGE'],
    ];
    for (const [type, payload, code] of cases) {
      const error = nextMessage(probe, 'error');
      probe.send(type, payload);
      assert.equal((await error).code, code, `${type} ${JSON.stringify(payload)?.slice(0, 60)}`);
    }
    // Bytes that are not msgpack at all.
    const error = nextMessage(probe, 'error');
    probe.connection.send(new Uint8Array([13, 0xa4, ...Buffer.from('care'), 0xc1, 0xc1]));
    assert.equal((await error).code, 'BAD_MESSAGE');
    assert.equal(probe.connection.isOpen, true);
    assert.equal((await s.api(null, 'GET', '/healthz')).status, 200);
    const countAfter = (await s.api(ann, 'GET', `/api/v1/pets/${petId}`)).body.careCounts;
    assert.deepEqual(countAfter, countBefore);
    await probe.leave();
  });

  it('names the offending field of a payload that does not fit', async () => {
    const probe = await joinHome(s, ann);
    for (const [payload, field] of [
      [{ petId, action: 'tickle' }, '/action'],
      [{ petId, action: 'play', extra: true }, 'the message'],
    ] as const) {
      const error = nextMessage(probe, 'error');
      probe.send('care', payload);
      const body = await error;
      assert.equal(body.code, 'BAD_MESSAGE');
      assert.ok(body.message.startsWith(`care: ${field} `), body.message);
    }
    await probe.leave();
  });

  it('lets a friend spectate read-only and counts spectators', async () => {
    const spectator = await joinHome(s, bob, annId);
    assert.equal(spectator.roomId, owner.roomId);
    await waitFor(() => owner.state.spectators === 1, 'spectator count');
    assert.ok(petView(spectator, petId));
    const error = nextMessage(spectator, 'error');
    spectator.send('care', { petId, action: 'play' });
    assert.equal((await error).code, 'FORBIDDEN');
    assert.equal(spectator.connection.isOpen, true);
    const counts = (await s.api(ann, 'GET', `/api/v1/pets/${petId}`)).body.careCounts;
    assert.equal(counts.play, 0);
    await spectator.leave();
    await waitFor(() => owner.state.spectators === 0, 'spectator to leave');
  });

  it('loads a home for a spectator while the owner is offline', async () => {
    const other = { id: 2010, firstName: 'Dan' };
    const danId = (await s.api(other, 'GET', '/api/v1/me')).body.id;
    await s.api(other, 'POST', '/api/v1/pets', { name: 'Pip', species: 'fox' });
    const danCode = (await s.api(other, 'GET', '/api/v1/me')).body.inviteCode;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: danCode });
    const room = await joinHome(s, bob, danId);
    await waitFor(() => room.state.pets.size === 1, 'friend pet');
    assert.equal(room.state.ownerOnline, false);
    await room.leave();
  });

  it('refuses strangers with FORBIDDEN', async () => {
    const err = await joinError(clientFor(s, eve).joinOrCreate('home', { ownerId: annId }));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'FORBIDDEN');
  });

  it('refuses invalid join options', async () => {
    assert.equal((await joinError(clientFor(s, ann).joinOrCreate('home', { ownerId: 42 }))).message, 'VALIDATION_FAILED');
    assert.equal((await joinError(clientFor(s, ann).joinOrCreate('home', { sneaky: true }))).message, 'VALIDATION_FAILED');
  });

  it('shows a pet adopted over REST in the open room', async () => {
    const res = await s.api(ann, 'POST', '/api/v1/pets', { name: 'Second' });
    await waitFor(() => petView(owner, res.body.id), 'second pet in state');
    assert.ok(owner.state.pets.size <= MAX_PETS_PER_PLAYER);
  });

  it('lets a dropped owner reconnect within the window', async () => {
    const client = clientFor(s, ann);
    const room = await client.joinOrCreate<any>('home', {});
    room.onMessage('*', () => undefined);
    await waitFor(() => room.state?.pets?.size > 0, 'joined with state');
    const token = room.reconnectionToken;
    const sessionId = room.sessionId;
    // Not consented: the socket just drops, as on a flaky mobile network.
    void room.leave(false);
    await waitFor(() => !room.connection.isOpen, 'socket to close');
    // Like the Mini App, retry briefly: the server may not have seen the drop yet.
    let back: Room<any> | undefined;
    for (let attempt = 0; !back; attempt++) {
      try {
        back = await clientFor(s, ann).reconnect<any>(token);
      } catch (err) {
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    back.onMessage('*', () => undefined);
    assert.equal(back.sessionId, sessionId);
    await waitFor(() => back.state?.pets?.size > 0, 'state after reconnect');
    const cared = nextMessage(back, 'cared');
    back.send('care', { petId, action: 'clean' });
    assert.equal((await cared).action, 'clean');
    await back.leave();
  });

  it("exposes the room's state and the sim's components to admins", async () => {
    await waitFor(() => s.app.sim.lastTick.at > 0, 'a sim tick');
    const login = await s.api(null, 'POST', '/admin/login', { password: 'pw' });
    const headers = { authorization: `Bearer ${login.body.token}` };
    const list = (await (await fetch(`${s.url}/admin/rooms`, { headers })).json()) as any;
    const mine = list.items.find((r: any) => r.ownerId === annId);
    assert.ok(mine, 'room listed');
    assert.ok(mine.clients >= 1);
    assert.ok(mine.pets.some((p: any) => p.id === petId));
    const detail = (await (await fetch(`${s.url}/admin/rooms/${mine.roomId}`, { headers })).json()) as any;
    const sim = detail.sim.find((p: any) => p.petId === petId);
    assert.equal(typeof sim.components.Meters.hunger, 'number');
    assert.equal(typeof sim.components.Segment.nextEventAt, 'number');
    assert.ok(detail.lastTick.loadedPets >= 1, JSON.stringify(detail.lastTick));
    assert.ok(detail.clients.some((c: any) => c.role === 'owner'));
  });

  it('flushes the pets when the room is disposed', async () => {
    await owner.leave();
    await waitFor(() => !s.app.sim.isOwnerLoaded(annId), 'owner unloaded');
    const row = await s.app.db.kysely.selectFrom('pets').selectAll().where('id', '=', petId).executeTakeFirstOrThrow();
    assert.equal(row.feed_count, 1);
    assert.equal(row.clean_count, 1);
    assert.ok(row.hunger > 80);
  });
});

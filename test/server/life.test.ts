import assert from 'node:assert/strict';
import { ITEMS, STARTER_PACK, WAKE_MOOD_COST } from '../../shared/balance.js';
import { achievement } from '../../shared/progression.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { joinHome, nextMessage, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The UTC offset (minutes, multiple of 15) at which the test server's game clock reads `hour` local. */
async function offsetForLocalHour(s: TestServer, hour: number): Promise<number> {
  const clock = s.app.sim.clock;
  const utcHour = (clock % 86400) / 3600;
  let offset = Math.round(((hour - utcHour) * 60) / 15) * 15;
  if (offset > 840) offset -= 1440;
  if (offset < -720) offset += 1440;
  return offset;
}

describeEachDialect('pet life over the API', (dialect) => {
  let s: TestServer;
  const ann = { id: 6001, firstName: 'Ann' };
  let petId: string;

  before(async () => {
    s = await startTestServer({ dialect });
    petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Pip', species: 'fox' })).body.id;
    // The adoption's achievement is paid by progression, from the event log.
    await s.app.eventLog.relay.drain();
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('grants the starter pack with a new pet', async () => {
    const inv = (await s.api(ann, 'GET', '/api/v1/inventory')).body;
    assert.equal(inv.coins, achievement('first_pet')!.rewardCoins, 'the first pet’s achievement pays out');
    const got = Object.fromEntries(inv.items.map((i: any) => [i.itemId, i.quantity]));
    assert.deepEqual(got, STARTER_PACK);
    assert.equal(inv.items.find((i: any) => i.itemId === 'soap').kind, 'soap');
  });

  it('consumes the food it is fed and applies that food', async () => {
    const fed = await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed', itemId: 'fish' });
    assert.equal(fed.status, 200);
    assert.equal(fed.body.itemId, 'fish');
    assert.ok(Math.abs(fed.body.delta.hunger - ITEMS.fish.delta.hunger) < 1e-9, String(fed.body.delta.hunger));
    const inv = (await s.api(ann, 'GET', '/api/v1/inventory')).body;
    assert.equal(inv.items.find((i: any) => i.itemId === 'fish').quantity, (STARTER_PACK.fish ?? 0) - 1);
  });

  it('refuses an item of the wrong kind with ITEM_INVALID and takes nothing', async () => {
    const res = await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'clean', itemId: 'cake' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'ITEM_INVALID');
    const inv = (await s.api(ann, 'GET', '/api/v1/inventory')).body;
    assert.equal(inv.items.find((i: any) => i.itemId === 'cake').quantity, STARTER_PACK.cake);
  });

  it('refuses care without the item with ITEM_MISSING and changes nothing', async () => {
    const owner = (await s.api(ann, 'GET', '/api/v1/me')).body.id;
    await s.app.db.kysely.updateTable('inventory').set({ quantity: 0 }).where('player_id', '=', owner).where('item_id', '=', 'soap').execute();
    const before = (await s.api(ann, 'GET', `/api/v1/pets/${petId}`)).body;
    const res = await s.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'clean' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'ITEM_MISSING');
    const after = (await s.api(ann, 'GET', `/api/v1/pets/${petId}`)).body;
    assert.equal(after.careCounts.clean, before.careCounts.clean);
    assert.ok(after.meters.cleanliness <= before.meters.cleanliness);
  });

  it('neither loses nor doubles items when ten feeds race for one cooldown', async () => {
    const bob = { id: 6002 };
    const pet = (await s.api(bob, 'POST', '/api/v1/pets', { name: 'Race' })).body;
    const results = await Promise.all(Array.from({ length: 10 }, () => s.api(bob, 'POST', `/api/v1/pets/${pet.id}/care`, { action: 'feed' })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    const inv = (await s.api(bob, 'GET', '/api/v1/inventory')).body;
    assert.equal(inv.items.find((i: any) => i.itemId === 'kibble').quantity, (STARTER_PACK.kibble ?? 0) - 1);
    assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${pet.id}`)).body.careCounts.feed, 1);
  });

  it("puts the pet to sleep in the owner's quiet hours, refuses care but medicine, and wakes it for mood", async () => {
    // A new player's first offset (before any pet) is in force at once; later changes wait for the day's end.
    const nia = { id: 6003, firstName: 'Nia' };
    const night = await offsetForLocalHour(s, 23);
    const me = await s.api(nia, 'PATCH', '/api/v1/me', { utcOffsetMinutes: night });
    assert.equal(me.status, 200);
    assert.equal(me.body.utcOffsetMinutes, night);
    assert.equal(me.body.utcOffsetChange, null);
    const petId = (await s.api(nia, 'POST', '/api/v1/pets', { name: 'Owl', species: 'cat' })).body.id as string;
    const summary = (await s.api(nia, 'GET', `/api/v1/pets/${petId}/summary`)).body;
    assert.equal(summary.status.asleep, true);
    const play = await s.api(nia, 'POST', `/api/v1/pets/${petId}/care`, { action: 'play' });
    assert.equal(play.body.error.code, 'PET_ASLEEP');
    const balls = (await s.api(nia, 'GET', '/api/v1/inventory')).body.items.find((i: any) => i.itemId === 'ball').quantity;
    assert.equal(balls, STARTER_PACK.ball, 'a refused action takes no item');
    const moodBefore = summary.meters.mood;
    const woke = await s.api(nia, 'POST', `/api/v1/pets/${petId}/wake`);
    assert.equal(woke.status, 200);
    assert.ok(Math.abs(woke.body.delta.mood + WAKE_MOOD_COST) < 1e-9);
    assert.ok(woke.body.pet.meters.mood < moodBefore);
    assert.equal(woke.body.pet.asleep, false);
    assert.equal((await s.api(nia, 'POST', `/api/v1/pets/${petId}/wake`)).body.error.code, 'NOT_ASLEEP');
    assert.equal((await s.api(nia, 'POST', `/api/v1/pets/${petId}/care`, { action: 'play' })).status, 200);
  });

  it('validates the UTC offset', async () => {
    for (const utcOffsetMinutes of [7, 900, -800, '60']) {
      const res = await s.api(ann, 'PATCH', '/api/v1/me', { utcOffsetMinutes });
      assert.equal(res.status, 400, String(utcOffsetMinutes));
    }
  });

  it('shows inventory and coins in the home room and updates them live', async () => {
    const room = await joinHome(s, ann);
    await waitFor(() => room.state.inventory?.get('medicine') !== undefined, 'inventory in state');
    const medicine = room.state.inventory.get('medicine') as number;
    const cared = nextMessage(room, 'cared');
    room.send('care', { petId, action: 'heal' });
    assert.equal((await cared).action, 'heal');
    await waitFor(() => room.state.inventory.get('medicine') === medicine - 1, 'medicine count to drop');
    assert.equal(typeof petView(room, petId).asleep, 'boolean');
    assert.equal(petView(room, petId).adultForm, 'none');
    await room.leave();
  });
});

describe('recorded pet events', () => {
  it('records a stage change once, with the game time it happened', async function () {
    this.timeout(60_000);
    // 1 real second = 5 game minutes: the egg hatches in about a second.
    const s = await startTestServer({ env: { SIM_TIME_SCALE: '300' } });
    try {
      const user = { id: 6100 };
      const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Hatch' })).body;
      const room = await joinHome(s, user);
      await waitFor(() => petView(room, pet.id)?.stage === 'baby', 'the egg to hatch', 20_000);
      await room.leave();
      await waitFor(() => !s.app.sim.isOwnerLoaded(pet.ownerId), 'unload');
      await s.app.sim.flushDirty();
      const rows = await s.app.db.kysely.selectFrom('pet_events').selectAll().where('pet_id', '=', pet.id).execute();
      const stages = rows.filter((r) => r.kind === 'stage');
      assert.deepEqual(stages.map((r) => r.stage), [1]);
      assert.deepEqual(JSON.parse(stages[0]!.data), { from: 'egg', to: 'baby' });
      assert.ok(stages[0]!.game_clock > 0);
    } finally {
      await s.stop({ dropDatabase: true });
    }
  });
});

import assert from 'node:assert/strict';
import { MAX_PETS_PER_PLAYER } from '../../shared/balance.js';
import { PetsRepository, type PetRecord } from '../../server/repositories/pets-repository.js';
import { MAX_QUEUED_CARE_PER_PET } from '../../server/services/pet-service.js';
import type { AppError } from '../../shared/errors.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const QUALITY = {
  care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0, good_care_s: 0, adult_form: 0, awake_until: 0,
};

describeEachDialect('concurrency', (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ dialect });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('creates one player for 20 simultaneous first sights', async () => {
    const user = { id: 4001, firstName: 'Rush' };
    const results = await Promise.all(Array.from({ length: 20 }, () => s.api(user, 'GET', '/api/v1/me')));
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set([200]));
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    const rows = await s.app.db.kysely.selectFrom('players').select('id').where('telegram_id', '=', 4001).execute();
    assert.equal(rows.length, 1);
  });

  it('never exceeds the pet limit under 12 simultaneous adoptions', async () => {
    const user = { id: 4002 };
    await s.api(user, 'GET', '/api/v1/me');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.api(user, 'POST', '/api/v1/pets', { name: `P${i}` })));
    assert.equal(results.filter((r) => r.status === 201).length, MAX_PETS_PER_PLAYER);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'PET_LIMIT_REACHED'));
    assert.equal((await s.api(user, 'GET', '/api/v1/pets')).body.items.length, MAX_PETS_PER_PLAYER);
  });

  it('applies exactly one of 10 simultaneous feeds', async () => {
    const user = { id: 4003 };
    const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Once' })).body;
    const results = await Promise.all(Array.from({ length: 10 }, () => s.api(user, 'POST', `/api/v1/pets/${pet.id}/care`, { action: 'feed' })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.equal(results.filter((r) => r.status === 409 && r.body.error.code === 'CARE_COOLDOWN').length, 9);
    assert.equal((await s.api(user, 'GET', `/api/v1/pets/${pet.id}`)).body.careCounts.feed, 1);
  });

  it('applies one of 40 simultaneous feeds, spends one item, and turns away what queues beyond the limit', async () => {
    const user = { id: 4006 };
    const playerId = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Swarm' })).body;
    await s.api(user, 'GET', `/api/v1/pets/${pet.id}`); // loaded: the calls below queue in one turn
    const kibble = async () =>
      ((await s.api(user, 'GET', '/api/v1/inventory')).body.items as Array<{ itemId: string; quantity: number }>).find((i) => i.itemId === 'kibble')?.quantity ?? 0;
    const before = await kibble();
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => s.app.pets.care(playerId, pet.id, 'feed')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    assert.equal(refused.filter((code) => code === 'RATE_LIMITED').length, 40 - MAX_QUEUED_CARE_PER_PET, refused.join(','));
    assert.equal(refused.filter((code) => code === 'CARE_COOLDOWN').length, MAX_QUEUED_CARE_PER_PET - 1);
    assert.equal((await s.api(user, 'GET', `/api/v1/pets/${pet.id}`)).body.careCounts.feed, 1);
    assert.equal(await kibble(), before - 1);
  });

  it('stores one friendship when both players add each other at once', async () => {
    const a = { id: 4004 };
    const b = { id: 4005 };
    const codeA = (await s.api(a, 'GET', '/api/v1/me')).body.inviteCode;
    const codeB = (await s.api(b, 'GET', '/api/v1/me')).body.inviteCode;
    const [ra, rb] = await Promise.all([
      s.api(a, 'POST', '/api/v1/friends', { inviteCode: codeB }),
      s.api(b, 'POST', '/api/v1/friends', { inviteCode: codeA }),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [201, 409]);
    assert.equal((await s.api(a, 'GET', '/api/v1/friends')).body.items.length, 1);
    assert.equal((await s.api(b, 'GET', '/api/v1/friends')).body.items.length, 1);
  });

  it('never lets an older snapshot overwrite a newer one', async () => {
    const user = { id: 4006 };
    const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Time' })).body;
    const repo = new PetsRepository(s.app.db.kysely, s.app.db.dialect);
    const base: PetRecord = {
      id: pet.id, stage: 1, hunger: 50, mood: 50, cleanliness: 50, health: 90, sick: 0, age_seconds: 1000, stage_seconds: 10,
      feed_count: 5, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0, cooldowns: '{}',
      ...QUALITY,
      last_snapshot_at: s.now() + 60_000,
    };
    assert.equal(await repo.saveSnapshots([base], s.now()), 1);
    const older = { ...base, feed_count: 1, hunger: 99, last_snapshot_at: base.last_snapshot_at - 1000 };
    assert.equal(await repo.saveSnapshots([older], s.now()), 0);
    const row = await s.app.db.kysely.selectFrom('pets').selectAll().where('id', '=', pet.id).executeTakeFirstOrThrow();
    assert.equal(row.feed_count, 5);
    assert.equal(row.hunger, 50);
  });

  it('writes a large batch of snapshots in one flush', async () => {
    const repo = new PetsRepository(s.app.db.kysely, s.app.db.dialect);
    const owner = (await s.api({ id: 4007 }, 'GET', '/api/v1/me')).body.id;
    const now = s.now();
    const rows = Array.from({ length: 6000 }, (_, i) => ({
      id: `bulk-${i}`, owner_id: owner, name: `B${i}`, species: 'cat', stage: 0, hunger: 60, mood: 70, cleanliness: 80, health: 100,
      sick: 0, age_seconds: 0, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0,
      cooldowns: '{}', ...QUALITY, utc_offset_minutes: 0, born_at: now, last_snapshot_at: now, created_at: now, updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await s.app.db.kysely.insertInto('pets').values(rows.slice(i, i + 500)).execute();
    const snaps: PetRecord[] = rows.map((r, i) => ({
      id: r.id, stage: 1, hunger: i % 100, mood: 1, cleanliness: 2, health: 3, sick: 0, age_seconds: 10, stage_seconds: 1,
      feed_count: i, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0, cooldowns: '{"feed":5}', ...QUALITY,
      care_mistakes: i % 7, last_snapshot_at: now + 1,
    }));
    assert.equal(await repo.saveSnapshots(snaps, now + 1), 6000);
    const sample = await s.app.db.kysely.selectFrom('pets').selectAll().where('id', '=', 'bulk-5999').executeTakeFirstOrThrow();
    assert.equal(sample.feed_count, 5999);
    assert.equal(sample.hunger, 99);
    assert.equal(sample.cooldowns, '{"feed":5}');
    assert.equal(sample.care_mistakes, 5999 % 7);
    // Quotes, backslashes, commas and braces survive the array literal.
    const tricky = '{"a\\"b":"c,d}{"}';
    assert.equal(await repo.saveSnapshots([{ ...snaps[0]!, cooldowns: tricky, last_snapshot_at: now + 2 }], now + 2), 1);
    const back = await s.app.db.kysely.selectFrom('pets').select('cooldowns').where('id', '=', 'bulk-0').executeTakeFirstOrThrow();
    assert.equal(back.cooldowns, tricky);
  });
});

import assert from 'node:assert/strict';
import { LocalOwnerBus } from '../../server/bus/owner-bus.js';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { createMetrics } from '../../server/metrics.js';
import { PetEventsRepository } from '../../server/repositories/pet-events-repository.js';
import { PetsRepository, type PetRecord, type PetRow } from '../../server/repositories/pets-repository.js';
import { SimHost } from '../../server/sim-host/sim-host.js';
import { TEST_START_MS, testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { petRow, playerRow } from '../helpers/rows.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';

const NOW = TEST_START_MS;

function record(row: PetRow, changes: Partial<PetRecord>): PetRecord {
  const { owner_id: _o, name: _n, species: _s, utc_offset_minutes: _u, next_utc_offset_minutes: _nu, utc_offset_changes_at: _c, skin: _k, born_at: _b, created_at: _ca, updated_at: _ua, ...rest } = row;
  return { ...rest, ...changes };
}

describeEachDialect('writer fence', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let repo: PetsRepository;

  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    repo = new PetsRepository(db.kysely, db.dialect, db.batch);
    await db.kysely.insertInto('players').values([playerRow('p1', 1), playerRow('p2', 2)]).execute();
    await db.kysely.insertInto('pets').values([petRow('a', 'p1'), petRow('b', 'p1'), petRow('c', 'p2')]).execute();
    await db.kysely.insertInto('inventory').values({ player_id: 'p1', item_id: 'kibble', quantity: 3, updated_at: NOW }).execute();
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const stored = (id: string) => db.kysely.selectFrom('pets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const kibble = async () =>
    Number((await db.kysely.selectFrom('inventory').select('quantity').where('player_id', '=', 'p1').where('item_id', '=', 'kibble').executeTakeFirstOrThrow()).quantity);

  it('takes a new fence per load and stamps it on the owner\'s pets only', async () => {
    assert.equal(await repo.takeWriterFence('p1'), 1);
    assert.equal(await repo.takeWriterFence('p1'), 2);
    assert.equal(Number((await stored('a')).writer_fence), 2);
    assert.equal(Number((await stored('b')).writer_fence), 2);
    assert.equal(Number((await stored('c')).writer_fence), 0);
    assert.equal(await repo.takeWriterFence('nobody'), 0);
  });

  it('refuses a snapshot with an older fence and reports it; the newer owner\'s write lands', async () => {
    const a = await stored('a');
    const stale = record(a, { hunger: 10, last_snapshot_at: NOW + 1000 });
    const fresh = record(a, { hunger: 90, last_snapshot_at: NOW + 500 });
    const other = record(await stored('c'), { hunger: 20, last_snapshot_at: NOW + 1000 });
    assert.deepEqual(await repo.writeSnapshots([stale, other], NOW + 1000, [1, 0]), { written: 1, fenced: ['a'] });
    assert.equal((await stored('a')).hunger, 50);
    assert.equal((await stored('c')).hunger, 20);
    assert.deepEqual(await repo.writeSnapshots([fresh], NOW + 1000, [2]), { written: 1, fenced: [] });
    assert.equal((await stored('a')).hunger, 90);
    // Refused by the snapshot time, not the fence: not reported as fenced.
    assert.deepEqual(await repo.writeSnapshots([record(a, { last_snapshot_at: NOW })], NOW + 1000, [2]), { written: 0, fenced: [] });
  });

  it('stores a care with the current fence and refuses one with an older fence, keeping the item', async () => {
    const b = await stored('b');
    assert.equal(await repo.saveCare('p1', 'feed', 'kibble', record(b, { hunger: 5, last_snapshot_at: NOW + 2000 }), NOW + 2000, 1), 'fenced');
    assert.equal(await kibble(), 3);
    assert.equal((await stored('b')).hunger, 50);
    assert.equal(await repo.saveCare('p1', 'feed', 'kibble', record(b, { hunger: 70, last_snapshot_at: NOW + 2000 }), NOW + 2000, 2), 'stored');
    assert.equal(await kibble(), 2);
    assert.equal((await stored('b')).hunger, 70);
    assert.equal(await repo.saveCare('p1', 'feed', 'kibble', record(b, { last_snapshot_at: NOW + 1 }), NOW + 2000, 2), 'stale');
    assert.equal(await kibble(), 2);
  });

  it('drops an owner whose flush a newer fence refused, without writing, counted and told', async () => {
    const metrics = createMetrics();
    const sim = new SimHost(
      { tickHz: 1, timeScale: 1, clockOffsetSeconds: 0, snapshotIntervalSeconds: 3600, restLeaseIdleSeconds: 60 },
      { pets: repo, events: new PetEventsRepository(db.kysely), logger: pino({ level: 'silent' }), metrics, bus: new LocalOwnerBus({ logger: pino({ level: 'silent' }), metrics }), now: testClock(NOW + 10_000) },
    );
    try {
      await sim.acquire('p2', 'room');
      let lost = 0;
      sim.subscribe('p2', { onChange: () => undefined, onLost: () => lost++ });
      const fence = sim.writerFence('p2');
      assert.ok(fence > 0);
      // Another process loads the owner meanwhile.
      assert.equal(await repo.takeWriterFence('p2'), fence + 1);
      const before = await stored('c');
      await sim.command('c', () => undefined, () => true);
      assert.equal(await sim.flushDirty(), 0);
      assert.deepEqual(await stored('c'), before);
      assert.equal((await metrics.snapshotFencingRejections.get()).values[0]?.value, 1);
      assert.equal(lost, 1);
      assert.equal(sim.isOwnerLoaded('p2'), false);
      assert.equal(sim.live('c'), null);
    } finally {
      await sim.stop();
    }
  });
});

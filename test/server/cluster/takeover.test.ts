import assert from 'node:assert/strict';
import { LocalOwnerBus, RedisOwnerBus, type OwnerBus } from '../../../server/bus/owner-bus.js';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisOwnerLeases, type LeaseClaim, type OwnerLeaseStore } from '../../../server/cluster/owner-lease.js';
import { loadConfig } from '../../../server/config.js';
import { openDatabase, type Db } from '../../../server/db/database.js';
import { migrateToLatest } from '../../../server/db/migrator.js';
import { createMetrics, type Metrics } from '../../../server/metrics.js';
import { PetEventsRepository } from '../../../server/repositories/pet-events-repository.js';
import { PetsRepository } from '../../../server/repositories/pets-repository.js';
import { OwnerElsewhere, SimHost } from '../../../server/sim-host/sim-host.js';
import { TEST_START_MS, testClock } from '../../helpers/clock.js';
import { petRow, playerRow } from '../../helpers/rows.js';
import { createPostgresScratch, dropPrefix, needService, TEST_REDIS_URL, type ScratchDatabase } from '../../helpers/services.js';

/** Lease time to live of both "processes": short, so a paused one loses its leases quickly. */
const TTL_MS = 300;

/** A Redis lease store whose renewals can be paused, as a process stopped in a GC pause or a debugger. */
class PausableLeases implements OwnerLeaseStore {
  paused = false;
  constructor(private readonly inner: RedisOwnerLeases) {}
  get processId(): string {
    return this.inner.processId;
  }
  get ttlMs(): number {
    return this.inner.ttlMs;
  }
  claim(ownerId: string): Promise<LeaseClaim> {
    return this.inner.claim(ownerId);
  }
  holder(ownerId: string): Promise<string | null> {
    return this.inner.holder(ownerId);
  }
  renew(ownerIds: readonly string[]): Promise<string[]> {
    return this.paused ? Promise.resolve([]) : this.inner.renew(ownerIds);
  }
  release(ownerId: string): Promise<void> {
    return this.inner.release(ownerId);
  }
}

/** Polls `condition` every 20 ms for up to `ms`; fails when it never holds. */
async function eventually(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fencingRejections = async (metrics: Metrics) => (await metrics.snapshotFencingRejections.get()).values[0]?.value ?? 0;

describe('owner takeover between two processes', () => {
  const base = `t-takeover-${randomBytes(4).toString('hex')}`;
  let scratch: ScratchDatabase;
  let db: Db;
  let redis: Redis;
  const sims: SimHost[] = [];

  before(async function () {
    await needService(this, 'postgres');
    await needService(this, 'redis');
    scratch = await createPostgresScratch();
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    await db.kysely.insertInto('players').values([playerRow('p1', 1), playerRow('p2', 2), playerRow('p3', 3)]).execute();
    await db.kysely.insertInto('pets').values([petRow('a', 'p1'), petRow('b', 'p2'), petRow('c', 'p3')]).execute();
    redis = new Redis(TEST_REDIS_URL, { commandTimeout: 2000, maxRetriesPerRequest: 1 });
  });
  after(async () => {
    for (const sim of sims) await sim.stop().catch(() => undefined);
    redis?.disconnect();
    await db?.close();
    await scratch?.drop();
    await dropPrefix(base);
  });

  /** One "process": its own world, repository handle, metrics and lease store, on the shared database and Redis. */
  function processNamed(processId: string, busOf?: (metrics: Metrics) => OwnerBus) {
    const leases = new PausableLeases(new RedisOwnerLeases({ redis, prefix: `${base}:`, processId, ttlMs: TTL_MS }));
    const metrics = createMetrics();
    const bus = busOf?.(metrics) ?? new LocalOwnerBus({ logger: pino({ level: 'silent' }), metrics });
    const sim = new SimHost(
      { tickHz: 1, timeScale: 1, clockOffsetSeconds: 0, snapshotIntervalSeconds: 3600, restLeaseIdleSeconds: 60 },
      {
        pets: new PetsRepository(db.kysely, db.dialect, db.batch),
        events: new PetEventsRepository(db.kysely),
        logger: pino({ level: 'silent' }),
        metrics,
        bus,
        now: testClock(TEST_START_MS + 10_000),
        leases,
      },
    );
    sims.push(sim);
    return { sim, leases, metrics, bus };
  }

  const hungerOf = async (petId: string) =>
    (await db.kysely.selectFrom('pets').select('hunger').where('id', '=', petId).executeTakeFirstOrThrow()).hunger;
  const setHunger = (sim: SimHost, petId: string, hunger: number) =>
    sim.command(petId, (world, eid) => {
      world.components.Meters.hunger[eid] = hunger;
    }, () => true);

  it('refuses the owner elsewhere, then after a pause fences the old writer out', async () => {
    const a = processNamed('A');
    const b = processNamed('B');
    await a.sim.acquire('p1', 'room-a');
    let lost = 0;
    a.sim.subscribe('p1', { onChange: () => undefined, onLost: () => lost++ });
    const fenceA = a.sim.writerFence('p1');

    await assert.rejects(b.sim.acquire('p1', 'room-b'), (err: unknown) => err instanceof OwnerElsewhere && err.heldBy === 'A');
    assert.equal(b.sim.isOwnerLoaded('p1'), false);

    // A stops renewing; B waits for its lease to expire and takes the owner with a newer fence.
    a.leases.paused = true;
    await b.sim.acquire('p1', 'room-b', { waitForLeaseMs: 5000 });
    assert.equal(await b.leases.holder('p1'), 'B');
    assert.ok(b.sim.writerFence('p1') > fenceA);
    await setHunger(b.sim, 'a', 11);
    assert.equal(await b.sim.flushDirty(), 1);
    assert.equal(await hungerOf('a'), 11);

    // A wakes up and writes what it still believes: refused, counted, and A lets the owner go.
    a.sim.tick();
    await setHunger(a.sim, 'a', 99);
    assert.equal(await a.sim.flushDirty(), 0);
    assert.equal(await hungerOf('a'), 11);
    assert.equal(await fencingRejections(a.metrics), 1);
    assert.equal(lost, 1);
    assert.equal(a.sim.isOwnerLoaded('p1'), false);
    assert.equal(a.sim.live('a'), null);
    // Its lease was not A's to give up: B still holds it after A unloads and stops.
    await a.sim.release('p1', 'room-a');
    a.leases.paused = false;
    await a.sim.stop();
    assert.equal(await b.leases.holder('p1'), 'B');
    assert.equal(await hungerOf('a'), 11);

    await b.sim.release('p1', 'room-b');
    assert.equal(await b.leases.holder('p1'), null);
  });

  it('drops an owner whose lease renewal finds it taken, without writing', async () => {
    const a = processNamed('A2');
    const b = processNamed('B2');
    await a.sim.acquire('p2', 'room-a');
    let lost = 0;
    a.sim.subscribe('p2', { onChange: () => undefined, onLost: () => lost++ });
    await setHunger(a.sim, 'b', 77); // dirty in A, never to be written
    a.leases.paused = true;
    await b.sim.acquire('p2', 'room-b', { waitForLeaseMs: 5000 });
    const before = await hungerOf('b');
    a.leases.paused = false;
    await eventually(() => lost === 1);
    assert.equal(a.sim.isOwnerLoaded('p2'), false);
    assert.equal(a.sim.dirtyCount, 0);
    await a.sim.stop();
    assert.equal(await hungerOf('b'), before);
    assert.equal(await b.leases.holder('p2'), 'B2');
    await b.sim.stop();
    assert.equal(await b.leases.holder('p2'), null);
  });

  it('applies a time zone change made on another process to the pets it simulates', async () => {
    const deadlines = loadConfig({}).deadlines.redis;
    const redisBus = (processId: string) => (metrics: Metrics) =>
      new RedisOwnerBus({ redisUrl: TEST_REDIS_URL, prefix: `${base}:`, processId, deadlines, logger: pino({ level: 'silent' }), metrics });
    const a = processNamed('A3', redisBus('A3'));
    const b = processNamed('B3', redisBus('B3'));
    try {
      await a.sim.acquire('p3', 'room-a');
      assert.equal(a.sim.live('c')?.stats.utcOffsetMinutes, 0);
      // B answered the player's sign-in with a new offset: the stored rows changed there, and A's live pet follows.
      const changesAt = a.sim.clock + 86_400;
      await eventually(async () => {
        b.bus.publish('p3', { kind: 'utc_offset', utcOffsetMinutes: 0, nextUtcOffsetMinutes: 180, changesAt });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return a.sim.live('c')?.stats.nextUtcOffsetMinutes === 180;
      });
      assert.equal(a.sim.live('c')?.stats.utcOffsetChangesAt, changesAt);
      b.bus.publish('p3', { kind: 'utc_offset', utcOffsetMinutes: 180, nextUtcOffsetMinutes: 180, changesAt: null });
      await eventually(() => a.sim.live('c')?.stats.utcOffsetMinutes === 180);
      assert.equal(a.sim.live('c')?.stats.utcOffsetChangesAt, Infinity);
      await a.sim.release('p3', 'room-a');
    } finally {
      await a.sim.stop();
      await b.sim.stop();
      await a.bus.close();
      await b.bus.close();
    }
  });
});

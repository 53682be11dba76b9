import assert from 'node:assert/strict';
import { pino } from 'pino';
import { LocalOwnerBus } from '../../server/bus/owner-bus.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { createMetrics } from '../../server/metrics.js';
import { PetEventsRepository } from '../../server/repositories/pet-events-repository.js';
import { PetsRepository } from '../../server/repositories/pets-repository.js';
import { SimHost } from '../../server/sim-host/sim-host.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { petRow, playerRow } from '../helpers/rows.js';
import { createSqliteScratch, type ScratchDatabase } from '../helpers/services.js';

const OWNERS = 23;

describe('sim host under many rooms', () => {
  let scratch: ScratchDatabase;
  let db: Db;
  let sim: SimHost;
  let nowMs = TEST_START_MS;
  const syncedAt = new Map<string, number[]>();
  let repo: PetsRepository;
  /** The size of every snapshot write. */
  const writes: number[] = [];

  before(async () => {
    scratch = createSqliteScratch();
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    const ids = Array.from({ length: OWNERS }, (_, i) => `p${i}`);
    await db.kysely.insertInto('players').values(ids.map((id, i) => playerRow(id, 10_000 + i))).execute();
    await db.kysely.insertInto('pets').values(ids.map((id) => petRow(`pet-${id}`, id))).execute();
    repo = new PetsRepository(db.kysely, db.dialect, db.batch);
    const write = repo.writeSnapshots.bind(repo);
    repo.writeSnapshots = (snapshots, nowMs, fences) => {
      writes.push(snapshots.length);
      return write(snapshots, nowMs, fences);
    };
    const metrics = createMetrics();
    const logger = pino({ level: 'silent' });
    sim = new SimHost(
      { tickHz: 1, timeScale: 1, clockOffsetSeconds: 0, snapshotIntervalSeconds: 3600, restLeaseIdleSeconds: 60 },
      { pets: repo, events: new PetEventsRepository(db.kysely), logger, metrics, bus: new LocalOwnerBus({ logger, metrics }), now: () => nowMs },
    );
    for (const id of ids) {
      await sim.acquire(id, `room-${id}`);
      syncedAt.set(id, []);
      sim.subscribe(id, { onChange: () => syncedAt.get(id)?.push(sim.ownerPets(id)[0]?.at ?? -1) });
    }
  });
  after(async () => {
    await sim?.stop();
    await db?.close();
    await scratch?.drop();
  });

  /** One timer tick a tenth of a second later (at 1 Hz the rooms are spread over ten phases), then the syncs it scheduled. */
  async function tickPhase(): Promise<void> {
    nowMs += 100;
    sim.tickPhase();
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  it('syncs every room once per second, each at its own tenth, with the world as of that tick', async () => {
    for (let i = 0; i < 10; i++) await tickPhase();
    const first = [...syncedAt.values()];
    assert.ok(first.every((times) => times.length === 1), 'one sync per room in the first second');
    // Owners are spread evenly: 23 owners over ten phases, two or three in each.
    const perTenth = new Map<number, number>();
    for (const [at] of first) perTenth.set(at as number, (perTenth.get(at as number) ?? 0) + 1);
    assert.equal(perTenth.size, 10);
    assert.ok([...perTenth.values()].every((n) => n === 2 || n === 3));
    for (let i = 0; i < 10; i++) await tickPhase();
    for (const times of syncedAt.values()) {
      assert.equal(times.length, 2);
      assert.equal((times[1] as number) - (times[0] as number), 1000, 'a room is updated once a second');
    }
  });

  it('syncs the phases a late timer missed, so every room keeps one update a second', async () => {
    const before = [...syncedAt.values()].map((times) => times.length);
    // Three tenths pass between two timer ticks (a busy event loop), then the timer keeps time again.
    nowMs += 200;
    await tickPhase();
    for (let i = 0; i < 7; i++) await tickPhase();
    assert.deepEqual([...syncedAt.values()].map((times) => times.length), before.map((n) => n + 1));
    // A timer that fires twice in one tenth syncs nobody twice.
    nowMs -= 50;
    await tickPhase();
    assert.deepEqual([...syncedAt.values()].map((times) => times.length), before.map((n) => n + 1));
  });

  it('still syncs every room at once on an explicit tick (shutdown, tools)', async () => {
    const before = [...syncedAt.values()].map((times) => times.length);
    nowMs += 100;
    sim.tick();
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual([...syncedAt.values()].map((times) => times.length), before.map((n) => n + 1));
  });

  it('writes the pets of owners let go of together in one batch, not one write each', async () => {
    writes.length = 0;
    nowMs += 1000;
    sim.tick();
    await Promise.all([...syncedAt.keys()].map((id) => sim.release(id, `room-${id}`)));
    assert.deepEqual(writes, [OWNERS]);
    assert.equal(sim.loadedPetCount, 0);
    const stored = await db.kysely.selectFrom('pets').select('last_snapshot_at').execute();
    assert.ok(stored.every((row) => Number(row.last_snapshot_at) === nowMs));
  });
});

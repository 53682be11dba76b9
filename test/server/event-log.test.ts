import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { EventRelay, type EventConsumer } from '../../server/events/relay.js';
import { createMetrics } from '../../server/metrics.js';
import { appendEvents, EventsRepository, type StoredEvent } from '../../server/repositories/events-repository.js';
import { TEST_START_MS } from '../helpers/clock.js';
import { playerRow } from '../helpers/rows.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';

const logger = pino({ level: 'silent' });

describeEachDialect('event log and relay', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let repo: EventsRepository;
  let nowMs = TEST_START_MS;
  const now = () => nowMs;
  const relays: EventRelay[] = [];

  before(async () => {
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    repo = new EventsRepository(db.kysely, db.dialect);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });

  /** A relay of `holder` with one consumer that applies each event once, in its own transaction. */
  function relayWith(holder: string, consumer: EventConsumer, leaseMs = 60_000): EventRelay {
    const relay = new EventRelay({ events: repo, logger, metrics: createMetrics(), now }, { holder, pollMs: 3_600_000, batchSize: 7, leaseMs, retryMs: 3_600_000 });
    relay.add(consumer);
    relays.push(relay);
    return relay;
  }

  /** A consumer that records what it applied; each event once (`firstDelivery` in the same transaction). */
  function recorder(name: string, applied: StoredEvent[], before?: () => Promise<void>): EventConsumer {
    return {
      name,
      async handle(batch) {
        await before?.();
        await db.kysely.transaction().execute(async (trx) => {
          for (const event of batch) if (await repo.firstDelivery(trx, name, event.id, nowMs)) applied.push(event);
        });
      },
    };
  }

  /** n events of one player; payload.score numbers them from 0. */
  const append = (n: number, playerId = 'p1') =>
    db.kysely.transaction().execute((trx) => appendEvents(trx, Array.from({ length: n }, (_, i) => minigameEvent(playerId, i))));
  const minigameEvent = (playerId: string, score: number) =>
    ({ kind: 'minigame', playerId, at: nowMs, payload: { sessionId: `s${score}`, game: 'treats', status: 'finished', score, coins: 0, meterPoints: 0, suspicious: false } }) as const;

  it('keeps an event only with its transaction, and never changes or removes one', async () => {
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await appendEvents(trx, [{ playerId: 'p0', kind: 'care', payload: { petId: 'pet', action: 'feed', itemId: 'kibble' }, at: nowMs }]);
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal((await db.kysely.selectFrom('events').select('id').where('player_id', '=', 'p0').execute()).length, 0);
    const [id] = await append(1, 'p0');
    await assert.rejects(db.kysely.updateTable('events').set({ kind: 'other' }).where('id', '=', id as string).execute(), /append-only/);
    await assert.rejects(db.kysely.deleteFrom('events').where('id', '=', id as string).execute(), /append-only/);
    const stored = await db.kysely.selectFrom('events').selectAll().where('id', '=', id as string).executeTakeFirstOrThrow();
    assert.equal((JSON.parse(stored.payload) as { score: number }).score, 0);
  });

  it("keeps with each event its player's UTC offset schedule as it stood when appended", async () => {
    await db.kysely.insertInto('players').values({ ...playerRow('tz-player', 93_100), utc_offset_minutes: 180 }).execute();
    await append(1, 'tz-player');
    // A change planned later: it does not reach the event appended before.
    await db.kysely
      .updateTable('players')
      .set({ next_utc_offset_minutes: 840, utc_offset_changes_at: 1e9, utc_offset_last_day: 11_574, utc_offset_skipped_days: 2 })
      .where('id', '=', 'tz-player')
      .execute();
    await append(1, 'tz-player');
    const applied: StoredEvent[] = [];
    assert.equal(await relayWith('proc-a', recorder('tz', applied)).drain(), true);
    assert.deepEqual(
      applied.filter((e) => e.playerId === 'tz-player').map((e) => e.schedule),
      [
        { utcOffsetMinutes: 180, nextUtcOffsetMinutes: null, changesAt: null, lastDay: null, skippedDays: 0 },
        { utcOffsetMinutes: 180, nextUtcOffsetMinutes: 840, changesAt: 1e9, lastDay: 11_574, skippedDays: 2 },
      ],
    );
    // No player row (or no player): nothing to keep.
    assert.equal(applied.find((e) => e.playerId === 'p0')?.schedule, null);
  });

  it('hands every event to a consumer once, in order, across batches; a new consumer starts at the beginning', async () => {
    await append(20, 'p1');
    const applied: StoredEvent[] = [];
    const relay = relayWith('proc-a', recorder('first', applied));
    assert.equal(await relay.drain(), true);
    const total = Number((await db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(applied.length, total);
    assert.deepEqual(applied.map((e) => [e.txId, e.seq]), applied.map((e) => [e.txId, e.seq]).sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number)));
    assert.deepEqual(applied.filter((e) => e.playerId === 'p1').map((e) => e.payload.score), Array.from({ length: 20 }, (_, i) => i));
    // Caught up: nothing more; new events only.
    await append(3, 'p2');
    assert.equal(await relay.drain(), true);
    assert.equal(applied.length, total + 3);
    const cursor = await repo.cursor('first');
    assert.equal(cursor?.seq, applied.at(-1)?.seq);
  });

  it('delivers again what a process applied but never marked (it died), and the consumer applies it once', async () => {
    await append(5, 'p3');
    const applied: StoredEvent[] = [];
    let release!: () => void;
    const frozen = new Promise<void>((resolve) => (release = resolve));
    // Process A applies its first batch, then hangs before marking it (as a process stopped mid-way).
    const consumerA = recorder('crashy', applied);
    const handleA = consumerA.handle.bind(consumerA);
    consumerA.handle = async (batch) => {
      await handleA(batch);
      await frozen;
    };
    const relayA = relayWith('proc-a', consumerA, 1_000);
    const runA = relayA.drain();
    // Wait until A has applied its batch.
    while (applied.length === 0) await new Promise<void>((resolve) => setTimeout(resolve, 5));
    const appliedByA = applied.length;
    // A's lease runs out; B claims the consumer and delivers from the unmoved cursor.
    nowMs += 2_000;
    const relayB = relayWith('proc-b', recorder('crashy', applied), 1_000);
    assert.equal(await relayB.drain(), true);
    const ids = applied.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'each event applied once');
    assert.ok(applied.length >= appliedByA);
    // A wakes up: its mark is refused (B holds the cursor), nothing is applied twice.
    release();
    assert.equal(await runA, true);
    assert.equal((await repo.cursor('crashy'))?.holder, 'proc-b');
    const total = Number((await db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(applied.length, total);
  });

  it('lets one process at a time deliver to a consumer: two relays racing apply each event once, in order per player', async () => {
    const applied: StoredEvent[] = [];
    const a = relayWith('proc-a', recorder('raced', applied));
    const b = relayWith('proc-b', recorder('raced', applied));
    const writes = Array.from({ length: 10 }, (_, k) => append(6, `racer-${k % 3}`));
    const runs: Array<Promise<boolean>> = [];
    for (let i = 0; i < 6; i++) runs.push(a.drain(), b.drain());
    await Promise.all(writes);
    await Promise.all(runs);
    // Whoever holds it now delivers the rest; the other is refused until the lease ends.
    await a.drain();
    await b.drain();
    const holder = (await repo.cursor('raced'))?.holder;
    await (holder === 'proc-a' ? a : b).drain();
    const ids = applied.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const total = Number((await db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(applied.length, total);
    // In the relay's order: by transaction (Postgres; 0 on SQLite), then sequence.
    for (let k = 0; k < 3; k++) {
      const order = applied.filter((e) => e.playerId === `racer-${k}`).map((e) => [e.txId, e.seq] as const);
      assert.deepEqual(order, [...order].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
    }
  });

  it('keeps its cursor when the consumer fails, and delivers the same batch again', async () => {
    await append(2, 'p4');
    const applied: StoredEvent[] = [];
    let fail = true;
    const relay = relayWith('proc-a', recorder('flaky', applied, () => (fail ? Promise.reject(new Error('down')) : Promise.resolve())));
    assert.equal(await relay.drain(), false);
    assert.equal(applied.length, 0);
    fail = false;
    assert.equal(await relay.drain(), true);
    assert.ok(applied.length >= 2);
  });

  if (dialect === 'postgres') {
    it('never moves past an event whose transaction is still open (a later one committed first)', async () => {
      const applied: StoredEvent[] = [];
      const relay = relayWith('proc-a', recorder('ordered', applied));
      await relay.drain();
      applied.length = 0;
      let commitFirst!: () => void;
      const held = new Promise<void>((resolve) => (commitFirst = resolve));
      let appended!: () => void;
      const firstAppended = new Promise<void>((resolve) => (appended = resolve));
      const slow = db.kysely.transaction().execute(async (trx) => {
        await appendEvents(trx, [minigameEvent('p5', 100)]);
        appended();
        await held;
      });
      await firstAppended;
      await append(1, 'p5');
      // The second event is committed, the first is not: neither is handed over yet, and the
      // relay says it is not caught up.
      assert.equal(await relay.drain(200), false);
      assert.equal(applied.length, 0);
      commitFirst();
      await slow;
      assert.equal(await relay.drain(), true);
      assert.deepEqual(applied.map((e) => e.payload.score), [100, 0]);
    });
  }
});

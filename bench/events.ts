/**
 * The event log on Postgres: events appended per second by writers under a steady load of
 * purchases and care (each append its own transaction, as in the game), with the relay
 * handing them to a consumer that applies each event once in its own transaction
 * (`firstDelivery`), against the same writers appending with no relay running, in the same
 * run. Reports the append rate both ways (`ratio`), the relay's throughput, and its lag: for
 * each event, the time from its append to the commit of the batch that applied it.
 *
 *   npm run bench:events -- --seconds=10 --rounds=3 --writers=20 --ratePerS=1000
 *
 * Rounds alternate the order of the two arrangements; figures are medians over rounds.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { pino } from 'pino';
import { openDatabase, type Db } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import type { GameEvent } from '../server/events/event-kinds.js';
import { EventRelay, DEFAULT_RELAY_OPTIONS } from '../server/events/relay.js';
import { createMetrics } from '../server/metrics.js';
import { appendEvents, EventsRepository } from '../server/repositories/events-repository.js';
import { createPostgresScratch, type ScratchDatabase } from '../test/helpers/services.js';
import { emit, log, median, nowMs, parseFlags, percentile, phase, round, runBench, sleep } from './lib.js';

const flags = parseFlags({ seconds: 10, rounds: 3, writers: 20, ratePerS: 1000, players: 500 });
/** What the relay should keep up with on this machine (docs/benchmarks.md). */
const LAG_P99_TARGET_MS = 1000;
const RATIO_TARGET = 0.8;

interface Round {
  appendedPerSec: number;
  appendP99Ms: number;
}

async function main(): Promise<void> {
  phase('setup');
  const scratch: ScratchDatabase = await createPostgresScratch();
  const db: Db = openDatabase({ dialect: 'postgres', url: scratch.url });
  try {
    await migrateToLatest(db.kysely);
    const events = new EventsRepository(db.kysely, db.dialect);
    const players = Array.from({ length: flags.players }, () => randomUUID());
    const applied = { count: 0, lagsMs: [] as number[] };
    let measuring = false;

    /** A game event: every other one a purchase, the rest care. */
    const eventFor = (i: number): GameEvent => {
      const playerId = players[i % players.length] as string;
      const at = Date.now();
      return i % 2 === 0
        ? { kind: 'purchase', playerId, at, payload: { purchaseId: randomUUID(), itemId: 'kibble', quantity: 1, coins: 10, promotionId: null, variant: 'a' } }
        : { kind: 'care', playerId, at, payload: { petId: randomUUID(), action: 'feed', itemId: 'kibble' } };
    };

    /** `writers` loops appending one event per transaction, paced to `ratePerS` in all, for `seconds`. */
    const drive = async (seconds: number): Promise<Round> => {
      const latencies: number[] = [];
      const perWriterGapMs = (1000 * flags.writers) / flags.ratePerS;
      const started = nowMs();
      const end = started + seconds * 1000;
      let n = 0;
      await Promise.all(
        Array.from({ length: flags.writers }, async (_, w) => {
          let next = started + (w * perWriterGapMs) / flags.writers;
          while (nowMs() < end) {
            const wait = next - nowMs();
            if (wait > 0) await sleep(wait);
            next += perWriterGapMs;
            const t0 = nowMs();
            await db.kysely.transaction().execute((trx) => appendEvents(trx, [eventFor(n++)]));
            latencies.push(nowMs() - t0);
          }
        }),
      );
      const elapsed = (nowMs() - started) / 1000;
      return { appendedPerSec: latencies.length / elapsed, appendP99Ms: percentile(latencies, 0.99) };
    };

    const relay = new EventRelay(
      { events, logger: pino({ level: 'silent' }), metrics: createMetrics(), now: () => Date.now() },
      { ...DEFAULT_RELAY_OPTIONS, holder: 'bench' },
    );
    relay.add({
      name: 'bench',
      async handle(batch) {
        await db.kysely.transaction().execute(async (trx) => {
          for (const event of batch) if (await events.firstDelivery(trx, 'bench', event.id, Date.now())) applied.count++;
        });
        if (measuring) {
          const committed = Date.now();
          for (const event of batch) applied.lagsMs.push(committed - event.at);
        }
      },
    });

    const bare: Round[] = [];
    const relayed: Round[] = [];
    const relayedPerSec: number[] = [];
    phase('warm-up');
    await drive(1);
    for (let r = 0; r < flags.rounds; r++) {
      const runRelayed = async () => {
        phase(`round ${r + 1} relayed`);
        // Start caught up: what earlier rounds appended is handed over first.
        relay.start();
        await relay.drain(120_000);
        const before = applied.count;
        measuring = true;
        const t0 = nowMs();
        const m = await drive(flags.seconds);
        await relay.drain(120_000);
        measuring = false;
        relayedPerSec.push((applied.count - before) / ((nowMs() - t0) / 1000));
        await relay.stop();
        relayed.push(m);
        log(`round ${r + 1} relayed: ${round(m.appendedPerSec, 0)} appends/s (p99 ${round(m.appendP99Ms, 1)} ms), relayed ${round(relayedPerSec.at(-1) ?? 0, 0)}/s`);
      };
      const runBare = async () => {
        phase(`round ${r + 1} bare`);
        const m = await drive(flags.seconds);
        bare.push(m);
        log(`round ${r + 1} bare: ${round(m.appendedPerSec, 0)} appends/s (p99 ${round(m.appendP99Ms, 1)} ms)`);
      };
      if (r % 2 === 0) {
        await runBare();
        await runRelayed();
      } else {
        await runRelayed();
        await runBare();
      }
    }
    phase('catch up');
    relay.start();
    const caughtUp = await relay.drain(300_000);
    await relay.stop();
    const total = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db.kysely);
    const eventsTotal = total.rows[0]?.n ?? -1;
    const ratios = bare.map((b, i) => (relayed[i] as Round).appendedPerSec / b.appendedPerSec);
    const lagP99Ms = percentile(applied.lagsMs, 0.99);
    const ratio = median(ratios);
    emit({
      bench: 'events',
      database: 'postgres',
      writers: flags.writers,
      offeredPerSec: flags.ratePerS,
      seconds: flags.seconds,
      rounds: flags.rounds,
      appendedPerSecBare: round(median(bare.map((m) => m.appendedPerSec)), 0),
      appendedPerSecRelayed: round(median(relayed.map((m) => m.appendedPerSec)), 0),
      appendP99MsBare: round(median(bare.map((m) => m.appendP99Ms)), 2),
      appendP99MsRelayed: round(median(relayed.map((m) => m.appendP99Ms)), 2),
      relayedPerSec: round(median(relayedPerSec), 0),
      relayLagMsP50: round(percentile(applied.lagsMs, 0.5), 1),
      relayLagMsP99: round(lagP99Ms, 1),
      ratio: round(ratio, 3),
      ratioDefinition: 'appends per second with the relay delivering / without it, same writers and offered rate',
      eventsTotal,
      eventsApplied: applied.count,
      target: { relayLagMsP99: LAG_P99_TARGET_MS, ratio: RATIO_TARGET, eventsApplied: 'all, once' },
      met: caughtUp && applied.count === eventsTotal && lagP99Ms <= LAG_P99_TARGET_MS && ratio >= RATIO_TARGET,
    });
  } finally {
    await db.close();
    await scratch.drop();
  }
}

runBench('events', main, { deadlineS: 1800 });

/**
 * Purchases per second through the shop service on Postgres (ledger transaction, item grant,
 * purchase row and its event: the same path as POST /api/v1/shop/purchases without HTTP;
 * progression follows from the event log, its relay and consumer running in the same process
 * meanwhile, as in the server),
 * with 1 buyer, 50 concurrent buyers on distinct balances and 50 concurrent buyers on one hot
 * balance; against, in the same run and with the same concurrency, the least a purchase could
 * cost: one transaction with one conditional balance decrement (BEGIN, UPDATE … WHERE
 * balance >= price, COMMIT).
 *
 *   npm run bench:economy -- --seconds=5 --rounds=3 --buyers=50
 *
 * Setup (not timed): a scratch schema, migrations, players with enough coins, and the
 * statements one purchase and one baseline write send (counted through Kysely's query log,
 * BEGIN and COMMIT included, after a first purchase fills the caches). Each round
 * runs every scenario for `seconds`, purchases and baseline back to back in alternating
 * order; figures are medians over rounds and `ratio` the median of per-round ratios.
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, type Db } from '../server/db/database.js';
import type { Database } from '../server/db/schema.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { LocalOwnerBus } from '../server/bus/owner-bus.js';
import { DEFAULT_RELAY_OPTIONS, EventRelay } from '../server/events/relay.js';
import { progressionConsumer } from '../server/events/progression-consumer.js';
import { createMetrics } from '../server/metrics.js';
import { EventsRepository } from '../server/repositories/events-repository.js';
import { InventoryRepository } from '../server/repositories/inventory-repository.js';
import { LedgerRepository } from '../server/repositories/ledger-repository.js';
import { ShopRepository } from '../server/repositories/shop-repository.js';
import { InventoryService } from '../server/services/inventory-service.js';
import { ProgressService } from '../server/services/progress-service.js';
import { ShopService } from '../server/services/shop-service.js';
import { createPostgresScratch, type ScratchDatabase } from '../test/helpers/services.js';
import { emit, log, median, nowMs, parseFlags, percentile, phase, round, runBench } from './lib.js';

const flags = parseFlags({
  seconds: 5,
  rounds: 3,
  buyers: 50,
  warmupSeconds: 1,
  /** 0: progression's relay waits until the buying stops (the purchase path alone), then catches up. */
  relay: 1,
});
/** What the bench expects (docs/benchmarks.md): a hot balance must not collapse throughput. */
const HOT_PER_SEC_TARGET = 100;
const DISTINCT_PER_SEC_TARGET = 200;
/** The events issue: a purchase costs the ledger, the inventory and one event. */
const DISTINCT_RATIO_TARGET = 0.3;

type Scenario = 'single' | 'distinct' | 'hot';

interface Measured {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
}

async function main(): Promise<void> {
  phase('setup');
  const scratch: ScratchDatabase = await createPostgresScratch();
  const db: Db = openDatabase({ dialect: 'postgres', url: scratch.url });
  try {
    await migrateToLatest(db.kysely);
    const logger = pino({ level: 'silent' });
    const bus = new LocalOwnerBus({ logger, metrics: createMetrics() });
    /** The shop as the server builds it, over `kysely`. */
    const shopOver = (kysely: Kysely<Database>) => {
      const ledger = new LedgerRepository(kysely, db.dialect);
      const inventory = new InventoryService({ inventory: new InventoryRepository(kysely), ledger, bus });
      return { ledger, inventory, shop: new ShopService({ db: kysely, shop: new ShopRepository(kysely, db.dialect), ledger, inventory }) };
    };
    const { ledger, inventory, shop } = shopOver(db.kysely);
    const progress = new ProgressService({
      db: db.kysely, dialect: db.dialect, ledger, inventory, logger, clock: () => Date.now() / 1000, timeScale: 1, clockOffsetSeconds: 0, bus,
    });
    const relay = new EventRelay(
      { events: new EventsRepository(db.kysely, db.dialect), logger, metrics: createMetrics(), now: () => Date.now() },
      { ...DEFAULT_RELAY_OPTIONS, holder: 'bench' },
    );
    relay.add(progressionConsumer(progress));

    const buyers = flags.buyers;
    const now = Date.now();
    const players = Array.from({ length: buyers + 1 }, (_, i) => ({
      id: randomUUID(), telegram_id: 880_000_000 + i, first_name: `Bench${i}`, last_name: null, username: null, language_code: 'en',
      invite_code: `B${String(i).padStart(7, '0')}`, created_at: now, updated_at: now,
    }));
    await db.kysely.insertInto('players').values(players).execute();
    // Plenty of coins for any run, through the ledger like any earning.
    for (const p of players) {
      await db.kysely.transaction().execute(async (trx) =>
        ledger.post(trx, { idempotencyKey: `bench-grant:${p.id}`, reason: 'bench_grant', playerId: p.id, postings: await ledger.creditPostings(trx, p.id, 100_000_000), nowMs: now }),
      );
    }
    // Baseline accounts: one balance per player in a plain table with the same CHECK.
    await sql`create table bench_balances (id text primary key, balance integer not null check (balance >= 0))`.execute(db.kysely);
    await db.kysely.insertInto('bench_balances' as never).values(players.map((p) => ({ id: p.id, balance: 100_000_000 }))).execute();

    const price = (await shop.catalog(players[0]!.id)).items.find((i) => i.itemId === 'kibble')!.unitPrice;
    // Statements per purchase and per baseline write, on a handle that counts what it sends.
    let statements = 0;
    const counting = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.url, max: 2 }) }),
      log: (event) => {
        if (event.level === 'query') statements++;
      },
    });
    let statementsPerPurchase: number;
    let statementsPerBaseline: number;
    try {
      const counted = shopOver(counting).shop;
      const countOf = async (op: () => Promise<unknown>): Promise<number> => {
        statements = 0;
        await op();
        return statements;
      };
      await counted.purchase(players[0]!.id, 'kibble', 1, randomUUID());
      statementsPerPurchase = await countOf(() => counted.purchase(players[0]!.id, 'kibble', 1, randomUUID()));
      statementsPerBaseline = await countOf(() =>
        counting.transaction().execute(async (trx) => sql`update bench_balances set balance = balance - ${price} where id = ${players[0]!.id} and balance >= ${price}`.execute(trx)),
      );
    } finally {
      await counting.destroy();
    }
    log(`statements: ${statementsPerPurchase} per purchase, ${statementsPerBaseline} per baseline write`);

    const buyersOf = (scenario: Scenario): string[] =>
      scenario === 'single' ? [players[0]!.id] : scenario === 'distinct' ? players.slice(1).map((p) => p.id) : Array.from({ length: buyers }, () => players[0]!.id);

    const purchase = (playerId: string) => shop.purchase(playerId, 'kibble', 1, randomUUID());
    const baseline = (playerId: string) =>
      db.kysely.transaction().execute(async (trx) => {
        const r = await sql`update bench_balances set balance = balance - ${price} where id = ${playerId} and balance >= ${price}`.execute(trx);
        if (Number(r.numAffectedRows) !== 1) throw new Error('baseline overspent');
      });

    const drive = async (ids: string[], op: (id: string) => Promise<unknown>, seconds: number): Promise<Measured> => {
      const latencies: number[] = [];
      let refused = 0;
      const end = nowMs() + seconds * 1000;
      const started = nowMs();
      await Promise.all(
        ids.map(async (id) => {
          while (nowMs() < end) {
            const t0 = nowMs();
            try {
              await op(id);
              latencies.push(nowMs() - t0);
            } catch {
              refused++;
            }
          }
        }),
      );
      const elapsed = (nowMs() - started) / 1000;
      return { perSec: latencies.length / elapsed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), refused };
    };

    const scenarios: Scenario[] = ['single', 'distinct', 'hot'];
    const results: Record<Scenario, { purchase: Measured[]; baseline: Measured[]; ratio: number[] }> = {
      single: { purchase: [], baseline: [], ratio: [] },
      distinct: { purchase: [], baseline: [], ratio: [] },
      hot: { purchase: [], baseline: [], ratio: [] },
    };
    if (flags.relay) relay.start();
    phase('warm-up');
    for (const scenario of scenarios) {
      await drive(buyersOf(scenario), purchase, flags.warmupSeconds);
      await drive(buyersOf(scenario), baseline, flags.warmupSeconds);
    }
    for (let r = 0; r < flags.rounds; r++) {
      for (const scenario of scenarios) {
        phase(`round ${r + 1} ${scenario}`);
        const ids = buyersOf(scenario);
        const first = r % 2 === 0;
        const a = first ? await drive(ids, purchase, flags.seconds) : null;
        const b = await drive(ids, baseline, flags.seconds);
        const p = a ?? (await drive(ids, purchase, flags.seconds));
        results[scenario].purchase.push(p);
        results[scenario].baseline.push(b);
        results[scenario].ratio.push(p.perSec / b.perSec);
        log(`round ${r + 1} ${scenario}: ${round(p.perSec, 0)} purchases/s (p99 ${round(p.p99Ms, 1)} ms) vs ${round(b.perSec, 0)} baseline/s`);
      }
    }

    const summary = (scenario: Scenario) => ({
      perSec: round(median(results[scenario].purchase.map((m) => m.perSec)), 0),
      p50Ms: round(median(results[scenario].purchase.map((m) => m.p50Ms)), 2),
      p99Ms: round(median(results[scenario].purchase.map((m) => m.p99Ms)), 2),
      baselinePerSec: round(median(results[scenario].baseline.map((m) => m.perSec)), 0),
      ratio: round(median(results[scenario].ratio), 3),
      refused: results[scenario].purchase.reduce((sum, m) => sum + m.refused, 0),
    });
    // Progression catches up with every purchase once the buying stops.
    phase('progression');
    const drainStarted = nowMs();
    await relay.drain();
    const drainMs = nowMs() - drainStarted;
    await relay.stop();
    const bought = await sql<{ n: number }>`select count(*)::int as n from purchases`.execute(db.kysely);
    const counted = await sql<{ n: number }>`select coalesce(sum(purchases), 0)::int as n from player_progress`.execute(db.kysely);
    const purchasesMade = bought.rows[0]?.n ?? -1;
    const purchasesCounted = counted.rows[0]?.n ?? -2;
    log(`progression: ${purchasesCounted} of ${purchasesMade} purchases counted, the rest drained in ${round(drainMs, 0)} ms`);
    const single = summary('single');
    const distinct = summary('distinct');
    const hot = summary('hot');
    // The books must still balance after all that.
    const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select transaction_id from ledger_entries group by transaction_id, currency having sum(amount) <> 0) t`.execute(db.kysely);
    emit({
      bench: 'economy',
      database: 'postgres',
      buyers,
      seconds: flags.seconds,
      rounds: flags.rounds,
      purchasesPerSecSingle: single.perSec,
      purchasesPerSecDistinct: distinct.perSec,
      purchasesPerSecHot: hot.perSec,
      latencyP50MsSingle: single.p50Ms,
      latencyP99MsDistinct: distinct.p99Ms,
      latencyP99MsHot: hot.p99Ms,
      baselinePerSecSingle: single.baselinePerSec,
      baselinePerSecDistinct: distinct.baselinePerSec,
      baselinePerSecHot: hot.baselinePerSec,
      ratioSingle: single.ratio,
      ratioDistinct: distinct.ratio,
      ratioHot: hot.ratio,
      ratio: distinct.ratio,
      statementsPerPurchase,
      statementsPerBaseline,
      refusedPurchases: single.refused + distinct.refused + hot.refused,
      unbalancedTransactions: unbalanced.rows[0]?.n ?? -1,
      relayDuringLoad: flags.relay === 1,
      purchasesMade,
      purchasesCountedByProgression: purchasesCounted,
      progressionDrainMsAfterLoad: Math.round(drainMs),
      target: { purchasesPerSecDistinct: DISTINCT_PER_SEC_TARGET, purchasesPerSecHot: HOT_PER_SEC_TARGET, ratioDistinct: DISTINCT_RATIO_TARGET, purchasesCountedByProgression: 'all' },
      met:
        distinct.perSec >= DISTINCT_PER_SEC_TARGET &&
        hot.perSec >= HOT_PER_SEC_TARGET &&
        distinct.ratio >= DISTINCT_RATIO_TARGET &&
        purchasesCounted === purchasesMade &&
        (unbalanced.rows[0]?.n ?? 1) === 0,
    });
  } finally {
    await db.close();
    await scratch.drop();
  }
}

runBench('economy', main);

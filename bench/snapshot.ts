/**
 * Snapshot flush of many dirty pets to Postgres through the real path
 * (`PetsRepository.saveSnapshots`, batched UPDATE ... FROM unnest), against a COPY of the
 * same rows into a scratch table in the same run: the fastest way Postgres takes rows in.
 *
 *   npm run bench:snapshot -- --pets=100000 --rounds=5
 *
 * Setup (not timed): a scratch schema, migrations, the players and pets rows (loaded with
 * COPY). Each round builds fresh snapshots with changed values and a later snapshot time
 * (untimed), then times `saveSnapshots` and, in alternating order, a COPY of the same rows
 * (serialisation included, as the flush includes building its parameter arrays). Between
 * rounds the pets table is vacuumed and the COPY table truncated, so every round starts
 * from the same physical state. The scratch schema is dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { STAGE_ADULT } from '../shared/balance.js';
import { openDatabase, type Db } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { PetsRepository, type PetRecord } from '../server/repositories/pets-repository.js';
import { createPostgresScratch, TEST_DATABASE_URL, type ScratchDatabase } from '../test/helpers/services.js';
import { emit, log, median, nowMs, parseFlags, phase, round, runBench, selfCpuSeconds, sleep } from './lib.js';

const flags = parseFlags({ pets: 100000, rounds: 5, warmupRounds: 1, petsPerPlayer: 3, seed: 7 });
const FLUSH_MS_TARGET = 1000;
const RATIO_TARGET = 0.5;

const SNAPSHOT_COLUMNS = [
  'id',
  'stage',
  'hunger',
  'mood',
  'cleanliness',
  'health',
  'sick',
  'age_seconds',
  'stage_seconds',
  'feed_count',
  'play_count',
  'clean_count',
  'heal_count',
  'overfeed_count',
  'cooldowns',
  'care_mistakes',
  'care_bonus',
  'hunger_critical_s',
  'mood_critical_s',
  'cleanliness_critical_s',
  'good_care_s',
  'adult_form',
  'awake_until',
  'last_snapshot_at',
] as const satisfies ReadonlyArray<keyof PetRecord>;

/** Small deterministic PRNG so every run writes the same kind of values. */
function makeRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c) : value;
}

async function copyRows(client: pg.Client, table: string, columns: readonly string[], rows: Iterable<ReadonlyArray<string | number | null>>): Promise<number> {
  const ROWS_PER_CHUNK = 2000;
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const row of rows) {
      buf.push(row.map(copyField).join('\t'));
      if (buf.length === ROWS_PER_CHUNK) {
        yield `${buf.join('\n')}\n`;
        buf = [];
      }
    }
    if (buf.length > 0) yield `${buf.join('\n')}\n`;
  }
  const stream = client.query(copyStreams.from(`copy ${table} (${columns.join(', ')}) from stdin`));
  await pipeline(Readable.from(chunks()), stream);
  return stream.rowCount;
}

interface Fixture {
  petIds: string[];
  /** Epoch ms the stored rows were last snapshotted at. */
  baseTime: number;
}

async function loadFixture(client: pg.Client, pets: number, perPlayer: number): Promise<Fixture> {
  const rng = makeRng(flags.seed);
  const baseTime = Date.now() - 3_600_000;
  const players = Math.ceil(pets / perPlayer);
  const playerIds = Array.from({ length: players }, () => randomUUID());
  const started = nowMs();
  await copyRows(
    client,
    'players',
    ['id', 'telegram_id', 'first_name', 'last_name', 'username', 'language_code', 'invite_code', 'created_at', 'updated_at'],
    (function* () {
      for (let i = 0; i < players; i++) {
        const code = `B${i.toString(36).toUpperCase().padStart(7, '0')}`;
        yield [playerIds[i] as string, 5_000_000_000 + i, `Bench${i}`, null, null, 'en', code, baseTime, baseTime];
      }
    })(),
  );
  const petIds: string[] = [];
  const species = ['cat', 'dog', 'fox', 'bunny'];
  await copyRows(
    client,
    'pets',
    [
      'id', 'owner_id', 'name', 'species', 'stage', 'hunger', 'mood', 'cleanliness', 'health', 'sick', 'age_seconds',
      'stage_seconds', 'feed_count', 'play_count', 'clean_count', 'heal_count', 'overfeed_count', 'cooldowns', 'born_at',
      'last_snapshot_at', 'created_at', 'updated_at',
    ],
    (function* () {
      for (let i = 0; i < pets; i++) {
        const id = randomUUID();
        petIds.push(id);
        const bornAt = baseTime - Math.floor(rng() * 30 * 86_400_000);
        yield [
          id, playerIds[Math.floor(i / perPlayer)] as string, `Pet ${i}`, species[i % species.length] as string,
          Math.floor(rng() * (STAGE_ADULT + 1)), 100 * rng(), 100 * rng(), 100 * rng(), 100 * rng(), 0,
          (baseTime - bornAt) / 1000, 1000 * rng(), Math.floor(rng() * 50), Math.floor(rng() * 50),
          Math.floor(rng() * 50), Math.floor(rng() * 5), 0, '{}', bornAt, baseTime, bornAt, baseTime,
        ];
      }
    })(),
  );
  await client.query('vacuum analyze players');
  await client.query('vacuum analyze pets');
  log(`loaded ${players} players and ${pets} pets in ${round(nowMs() - started, 0)} ms`);
  return { petIds, baseTime };
}

/** Snapshots of every pet with changed values, as a flush after some play would write. */
function buildSnapshots(fixture: Fixture, roundIndex: number, rng: () => number): PetRecord[] {
  const at = fixture.baseTime + (roundIndex + 1) * 10_000;
  return fixture.petIds.map((id) => {
    const cooldowns: Record<string, number> = {};
    if (rng() < 0.3) cooldowns.feed = round(60 * rng(), 3);
    if (rng() < 0.2) cooldowns.play = round(45 * rng(), 3);
    return {
      id,
      stage: Math.floor(rng() * (STAGE_ADULT + 1)),
      hunger: 100 * rng(),
      mood: 100 * rng(),
      cleanliness: 100 * rng(),
      health: 100 * rng(),
      sick: rng() < 0.04 ? 1 : 0,
      age_seconds: 86_400 * 10 + roundIndex * 10 + rng(),
      stage_seconds: 3600 * rng(),
      feed_count: Math.floor(rng() * 60),
      play_count: Math.floor(rng() * 60),
      clean_count: Math.floor(rng() * 60),
      heal_count: Math.floor(rng() * 6),
      overfeed_count: Math.floor(rng() * 3),
      cooldowns: JSON.stringify(cooldowns),
      care_mistakes: Math.floor(rng() * 10),
      care_bonus: Math.floor(rng() * 5),
      hunger_critical_s: rng() < 0.2 ? 3600 * rng() : 0,
      mood_critical_s: rng() < 0.2 ? 3600 * rng() : 0,
      cleanliness_critical_s: rng() < 0.2 ? 3600 * rng() : 0,
      good_care_s: 21_600 * rng(),
      adult_form: Math.floor(rng() * 4),
      awake_until: rng() < 0.1 ? (at / 1000) + 7200 * rng() : 0,
      last_snapshot_at: at,
    };
  });
}

function snapshotRow(s: PetRecord): Array<string | number> {
  return SNAPSHOT_COLUMNS.map((c) => s[c]);
}

async function main(): Promise<void> {
  log(`snapshot bench: ${flags.pets} pets, ${flags.warmupRounds}+${flags.rounds} rounds, Postgres at ${TEST_DATABASE_URL}`);
  let scratch: ScratchDatabase | null = null;
  let db: Db | null = null;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    phase('setup');
    scratch = await createPostgresScratch();
    const schema = new URL(scratch.url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
    log(`scratch schema ${schema}`);
    db = openDatabase({ dialect: 'postgres', url: scratch.url });
    await migrateToLatest(db.kysely);
    await client.connect();
    await client.query(`set search_path = ${schema}`);
    const setting = async (name: string) =>
      (await client.query<{ v: string }>('select current_setting($1) as v', [name])).rows[0]?.v ?? '?';
    const serverVersion = await setting('server_version');
    const syncCommit = await setting('synchronous_commit');
    await client.query(`create table copy_target (
      id text primary key, stage integer not null, hunger double precision not null, mood double precision not null,
      cleanliness double precision not null, health double precision not null, sick integer not null,
      age_seconds double precision not null, stage_seconds double precision not null, feed_count integer not null,
      play_count integer not null, clean_count integer not null, heal_count integer not null,
      overfeed_count integer not null, cooldowns text not null, care_mistakes integer not null,
      care_bonus integer not null, hunger_critical_s double precision not null, mood_critical_s double precision not null,
      cleanliness_critical_s double precision not null, good_care_s double precision not null,
      adult_form integer not null, awake_until double precision not null, last_snapshot_at bigint not null)`);
    phase('fixture');
    const fixture = await loadFixture(client, flags.pets, flags.petsPerPlayer);
    const repo = new PetsRepository(db.kysely, 'postgres');
    const rng = makeRng(flags.seed + 1);

    const flushMs: number[] = [];
    const flushCpuMs: number[] = [];
    const copyMs: number[] = [];
    const ratios: number[] = [];
    const total = flags.warmupRounds + flags.rounds;
    for (let r = 0; r < total; r++) {
      const measured = r >= flags.warmupRounds;
      phase(measured ? `round ${r - flags.warmupRounds + 1}` : `warm-up ${r + 1}`);
      const snapshots = buildSnapshots(fixture, r, rng);
      // The sim host's path: every snapshot carries its owner's writer fence (0: never taken here).
      const fences = snapshots.map(() => 0);
      await client.query('truncate copy_target');
      await client.query('vacuum pets');
      const order = r % 2 === 0 ? (['flush', 'copy'] as const) : (['copy', 'flush'] as const);
      let f = 0;
      let fCpu = 0;
      let c = 0;
      for (const step of order) {
        if (step === 'flush') {
          const started = nowMs();
          const cpu0 = selfCpuSeconds();
          const written = await repo.saveSnapshots(snapshots, Date.now(), fences);
          f = nowMs() - started;
          fCpu = (selfCpuSeconds() - cpu0) * 1000;
          if (written !== snapshots.length) throw new Error(`flush wrote ${written} of ${snapshots.length} rows`);
        } else {
          const started = nowMs();
          const copied = await copyRows(client, 'copy_target', SNAPSHOT_COLUMNS, (function* () {
            for (const s of snapshots) yield snapshotRow(s);
          })());
          c = nowMs() - started;
          if (copied !== snapshots.length) throw new Error(`copy wrote ${copied} of ${snapshots.length} rows`);
        }
      }
      log(
        `${measured ? 'round' : 'warm-up'} ${measured ? r - flags.warmupRounds + 1 : r + 1}: ` +
          `flush ${round(f, 1)} ms (client cpu ${round(fCpu, 0)} ms), copy ${round(c, 1)} ms, ratio ${round(c / f, 3)}`,
      );
      if (measured) {
        flushMs.push(f);
        flushCpuMs.push(fCpu);
        copyMs.push(c);
        // Rates are rows / time for the same rows, so flush rate / COPY rate = COPY time / flush time.
        ratios.push(c / f);
      }
    }
    // Stats reach pg_stat_* at transaction end, give or take a moment.
    await sleep(1000);
    const hot = await client.query<{ upd: string; hot: string }>(
      "select n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_user_tables where relid = 'pets'::regclass",
    );
    const updates = Number(hot.rows[0]?.upd ?? NaN);
    const hotShare = Number(hot.rows[0]?.hot ?? NaN) / updates;
    log(`pets updates ${updates}, HOT share ${round(hotShare, 3)}`);
    const check = await client.query<{ n: string }>('select count(*) as n from pets where last_snapshot_at = $1', [
      fixture.baseTime + total * 10_000,
    ]);
    log(`rows carrying the last round's snapshot time: ${check.rows[0]?.n ?? '?'}`);

    const flushMedian = median(flushMs);
    const copyMedian = median(copyMs);
    const flushRate = (flags.pets / flushMedian) * 1000;
    const copyRate = (flags.pets / copyMedian) * 1000;
    // Median of the per-round ratios: each round's flush and COPY run back to back, so a noisy
    // stretch of the machine hits both sides of a ratio together.
    const ratio = median(ratios);
    emit({
      bench: 'snapshot',
      database: `postgres ${serverVersion} (synchronous_commit=${syncCommit})`,
      pets: flags.pets,
      rounds: flags.rounds,
      flushMsMedian: round(flushMedian, 1),
      flushMsMin: round(Math.min(...flushMs), 1),
      flushMsMax: round(Math.max(...flushMs), 1),
      flushClientCpuMsMedian: Math.round(median(flushCpuMs)),
      flushRowsPerSec: Math.round(flushRate),
      hotUpdateShare: round(hotShare, 3),
      copyMsMedian: round(copyMedian, 1),
      copyRowsPerSec: Math.round(copyRate),
      ratio: round(ratio, 3),
      ratioDefinition: 'median over rounds of (flush rows/s) / (COPY rows/s)',
      baseline: 'COPY FROM STDIN of the same rows (text format, serialisation timed) into a scratch table with the snapshot columns and a primary key on id',
      target: `flushMsMedian <= ${FLUSH_MS_TARGET} and ratio >= ${RATIO_TARGET}`,
      met: flushMedian <= FLUSH_MS_TARGET && ratio >= RATIO_TARGET,
    });
  } finally {
    await client.end().catch(() => undefined);
    await db?.close().catch(() => undefined);
    if (scratch) {
      await scratch.drop();
      log('scratch schema dropped');
    }
  }
}

runBench('snapshot', main);

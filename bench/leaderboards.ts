/**
 * Leaderboard reads at a million players on Postgres (ADR 0015): a board page (the top 100,
 * with names and pet names) together with my rank, as GET /api/v1/leaderboards/:board answers
 * it (the service, without HTTP), and my rank alone, for random players; against, in the same
 * run, a bare indexed `SELECT … ORDER BY score DESC LIMIT 100` of the same board, and (for
 * the record) a rank counted row by row from the index instead of from the score counts.
 *
 *   npm run bench:leaderboards -- --players=1000000 --reads=2000
 *
 * Setup (not timed): a scratch schema, migrations, then COPY of `players`, one pet each, and
 * every player's best score on the `game_treats` all-time board (skewed: few high scores, many
 * low ones, ~5,000 distinct), 1 % of the players excluded (hidden), the score counts built
 * from them, VACUUM ANALYZE. The schema is dropped at the end.
 */
import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pino } from 'pino';
import { openDatabase, type Db } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { LeaderboardService } from '../server/services/leaderboard-service.js';
import { ALL_TIME_KEY } from '../shared/leaderboards.js';
import { petRow } from '../test/helpers/rows.js';
import { createPostgresScratch, type ScratchDatabase } from '../test/helpers/services.js';
import { emit, log, nowMs, parseFlags, percentile, phase, round, runBench } from './lib.js';

const flags = parseFlags({ players: 1_000_000, reads: 2000, naiveReads: 200, pets: 1, maxScore: 5000, hiddenShare: 0.01 });
const TARGET_P99_MS = 20;
const BOARD = 'game_treats';
const START_MS = Date.UTC(2026, 5, 1);

function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value);
}

async function copyRows(client: pg.Client, table: string, columns: readonly string[], rows: () => Iterable<ReadonlyArray<string | number | null>>): Promise<void> {
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const row of rows()) {
      buf.push(row.map(copyField).join('\t'));
      if (buf.length === 5000) {
        yield `${buf.join('\n')}\n`;
        buf = [];
      }
    }
    if (buf.length > 0) yield `${buf.join('\n')}\n`;
  }
  await pipeline(Readable.from(chunks()), client.query(copyStreams.from(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

const playerId = (i: number) => `p${String(i).padStart(7, '0')}`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = nowMs();
  const value = await fn();
  return [nowMs() - t0, value];
}

async function main(): Promise<void> {
  phase('setup');
  const scratch: ScratchDatabase = await createPostgresScratch();
  const db: Db = openDatabase({ dialect: 'postgres', url: scratch.url });
  try {
    await migrateToLatest(db.kysely);
    const n = flags.players;
    // Deterministic per player: skewed scores (u³), 1 % hidden.
    const scoreOf = (i: number) => 1 + Math.floor(flags.maxScore * ((((i * 2654435761) >>> 0) % 1_000_003) / 1_000_003) ** 3);
    const hiddenOf = (i: number) => (((i * 40503) >>> 0) % 10_000) < flags.hiddenShare * 10_000;

    phase('seed');
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      let t0 = nowMs();
      await copyRows(client, 'players', ['id', 'telegram_id', 'first_name', 'last_name', 'username', 'language_code', 'invite_code', 'leaderboard_excluded_at', 'created_at', 'updated_at'], function* () {
        for (let i = 0; i < n; i++) yield [playerId(i), 1_000_000 + i, `Player${i}`, null, i % 3 === 0 ? `user${i}` : null, 'en', `B${String(i).padStart(9, '0')}`, hiddenOf(i) ? START_MS : null, START_MS, START_MS];
      });
      log(`players: ${n} in ${round((nowMs() - t0) / 1000, 1)} s`);
      if (flags.pets) {
        t0 = nowMs();
        const template = petRow('x', 'y');
        const columns = Object.keys(template);
        await copyRows(client, 'pets', columns, function* () {
          for (let i = 0; i < n; i++) {
            const row: Record<string, unknown> = { ...template, id: `pet${i}`, owner_id: playerId(i), name: `Pet${i}`, born_at: START_MS - (i % 1000) * 60_000 };
            yield columns.map((c) => row[c] as string | number | null);
          }
        });
        log(`pets: ${n} in ${round((nowMs() - t0) / 1000, 1)} s`);
      }
      t0 = nowMs();
      await copyRows(client, 'leaderboard_scores', ['board', 'period_key', 'player_id', 'score', 'hidden', 'updated_at'], function* () {
        for (let i = 0; i < n; i++) yield [BOARD, ALL_TIME_KEY, playerId(i), scoreOf(i), hiddenOf(i) ? 1 : 0, START_MS + (i % 100_000)];
      });
      await client.query(`insert into leaderboard_counts (board, period_key, score, n)
        select board, period_key, score, count(*) from leaderboard_scores where hidden = 0 group by board, period_key, score`);
      log(`scores and counts in ${round((nowMs() - t0) / 1000, 1)} s`);
      t0 = nowMs();
      await client.query('vacuum analyze players');
      await client.query('vacuum analyze pets');
      await client.query('vacuum analyze leaderboard_scores');
      await client.query('vacuum analyze leaderboard_counts');
      log(`vacuum analyze in ${round((nowMs() - t0) / 1000, 1)} s`);
    } finally {
      await client.end();
    }
    const distinct = Number((await sql<{ n: string }>`select count(*) as n from leaderboard_counts`.execute(db.kysely)).rows[0]?.n ?? 0);

    const lb = new LeaderboardService({
      db: db.kysely,
      dialect: 'postgres',
      logger: pino({ level: 'silent' }),
      clock: () => START_MS / 1000,
      timeScale: 1,
      clockOffsetSeconds: 0,
      now: () => START_MS,
    });
    const baseline = () =>
      db.kysely
        .selectFrom('leaderboard_scores')
        .select(['player_id', 'score'])
        .where('board', '=', BOARD)
        .where('period_key', '=', ALL_TIME_KEY)
        .where('hidden', '=', 0)
        .orderBy('score', 'desc')
        .orderBy('updated_at')
        .orderBy('player_id')
        .limit(100)
        .execute();
    const naiveRank = async (me: string) => {
      const mine = await db.kysely.selectFrom('leaderboard_scores').select('score').where('board', '=', BOARD).where('period_key', '=', ALL_TIME_KEY).where('player_id', '=', me).executeTakeFirstOrThrow();
      const row = await db.kysely
        .selectFrom('leaderboard_scores')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('board', '=', BOARD)
        .where('period_key', '=', ALL_TIME_KEY)
        .where('hidden', '=', 0)
        .where('score', '>', mine.score)
        .executeTakeFirstOrThrow();
      return Number(row.n) + 1;
    };
    const randomVisible = (): string => {
      for (;;) {
        const i = randomInt(n);
        if (!hiddenOf(i)) return playerId(i);
      }
    };

    phase('warm-up');
    for (let i = 0; i < 100; i++) {
      await lb.read(randomVisible(), BOARD, { period: 'all', scope: 'global', limit: 100, offset: 0 });
      await baseline();
    }

    phase('measure');
    const page: number[] = [];
    const rank: number[] = [];
    const base: number[] = [];
    const naive: number[] = [];
    let checked = 0;
    for (let r = 0; r < flags.reads; r++) {
      const me = randomVisible();
      // Alternating order, so neither side always runs on the warmer cache.
      const steps = [
        async () => {
          const [ms, view] = await timed(() => lb.read(me, BOARD, { period: 'all', scope: 'global', limit: 100, offset: 0 }));
          if (view.entries.length !== 100 || view.me === null) throw new Error('a page of 100 and my rank expected');
          page.push(ms);
        },
        async () => {
          const [ms, mine] = await timed(() => lb.rankOf(me, BOARD, ALL_TIME_KEY, 'global'));
          if (!mine) throw new Error('my rank expected');
          rank.push(ms);
          if (r < flags.naiveReads) {
            const [naiveMs, counted] = await timed(() => naiveRank(me));
            naive.push(naiveMs);
            if (counted !== mine.rank) throw new Error(`rank ${mine.rank} from the counts, ${counted} counted`);
            checked += 1;
          }
        },
        async () => {
          base.push((await timed(baseline))[0]);
        },
      ];
      if (r % 2 === 1) steps.reverse();
      for (const step of steps) await step();
    }
    const pageP99 = percentile(page, 0.99);
    const rankP99 = percentile(rank, 0.99);
    const baseP99 = percentile(base, 0.99);
    phase('result');
    emit({
      bench: 'leaderboards',
      players: n,
      pets: flags.pets ? n : 0,
      distinctScores: distinct,
      reads: flags.reads,
      pageP50Ms: round(percentile(page, 0.5)),
      pageP99Ms: round(pageP99),
      myRankP50Ms: round(percentile(rank, 0.5)),
      myRankP99Ms: round(rankP99),
      baselineP50Ms: round(percentile(base, 0.5)),
      baselineP99Ms: round(baseP99),
      naiveRankP50Ms: round(percentile(naive, 0.5)),
      naiveRankP99Ms: round(percentile(naive, 0.99)),
      ranksChecked: checked,
      ratio: round(pageP99 / baseP99, 2),
      targetP99Ms: TARGET_P99_MS,
      met: pageP99 <= TARGET_P99_MS && rankP99 <= TARGET_P99_MS,
    });
  } finally {
    await db.close();
    await scratch.drop();
  }
}

runBench('leaderboards', main);

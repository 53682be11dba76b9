/**
 * Share cards (ADR 0018), in one run against the real app (SQLite scratch database):
 *
 * 1. Rendering: the immutable card URL of `--pets` distinct pets (distinct names, so distinct
 *    inputs), story and preview, fetched over HTTP on a cold cache `--concurrency` at a time:
 *    cards per second per format and the p50/p99 latency of a request that renders. The
 *    event loop's delay (p99, max) is sampled meanwhile: renders run in worker threads.
 * 2. Serving a cached card: autocannon (`--connections`, as many as renders run at once, so
 *    the latencies compare) against one story card's immutable URL for
 *    `--duration` seconds: req/s and p99 latency.
 *
 * Ends with ONE JSON line: storyCardsPerS, previewCardsPerS, renderP99Ms, cachedP99Ms, ratio
 * (renderP99Ms / cachedP99Ms), and more.
 *
 *   npm run bench:cards -- --pets=24 --concurrency=2 --duration=5 --connections=2
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { buildApp, type App } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createScratch } from '../test/helpers/services.js';
import { emit, log, parseFlags, percentile, phase, round, runBench } from './lib.js';

const flags = parseFlags({ pets: 24, concurrency: 2, duration: 5, connections: 2 });

async function createPets(app: App, count: number): Promise<string[]> {
  const now = Date.now();
  await app.db.kysely
    .insertInto('players')
    .values({ id: 'bench', telegram_id: 3, first_name: 'Bench', last_name: null, username: null, language_code: 'en', invite_code: 'BENCH333', created_at: now, updated_at: now })
    .execute();
  const ids: string[] = [];
  const species = ['cat', 'dog', 'fox', 'bunny'];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await app.db.kysely
      .insertInto('pets')
      .values({
        id, owner_id: 'bench', name: `Bench pet ${i}`, species: species[i % 4]!, stage: i % 5, hunger: 60, mood: 70, cleanliness: 80, health: 100, sick: 0,
        age_seconds: i * 86_400, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0, cooldowns: '{}',
        care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0, good_care_s: 0, adult_form: i % 5 === 4 ? 1 + (i % 3) : 0,
        awake_until: 0, utc_offset_minutes: 0, born_at: now, last_snapshot_at: now, created_at: now, updated_at: now,
      })
      .execute();
    ids.push(id);
  }
  return ids;
}

/** The immutable URL of a pet's current card (the bare URL redirects to it). */
async function immutableUrl(base: string, petId: string, format: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/pets/${petId}/card.png?format=${format}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`card redirect: HTTP ${res.status}`);
  return base + res.headers.get('location');
}

/** Fetches every URL, `concurrency` at a time; each must be a fresh 200 PNG. */
async function renderAll(urls: string[], concurrency: number): Promise<{ perS: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!;
        const t = performance.now();
        const res = await fetch(url);
        const body = await res.arrayBuffer();
        if (res.status !== 200 || body.byteLength < 1000) throw new Error(`render: HTTP ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perS: urls.length / ((performance.now() - started) / 1000), latencies };
}

async function main(): Promise<void> {
  phase('start');
  const database = await createScratch('sqlite');
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMIT_PUBLIC_API_MAX: '0',
    CARD_RENDER_CONCURRENCY: String(flags.concurrency),
    CARD_RENDER_QUEUE: '1000',
    CARD_CACHE_MB: '512',
    TELEGRAM_BOT_USERNAME: 'telepets_bot',
  });
  const app = await buildApp(config, { logger: pino({ level: 'warn' }, pino.destination(2)) });
  const port = await app.start();
  const base = `http://127.0.0.1:${port}`;
  try {
    const pets = await createPets(app, flags.pets);
    log(`cards bench: ${pets.length} pets, renders ${flags.concurrency} at a time; cached: ${flags.connections} connections x ${flags.duration} s`);
    const loop = monitorEventLoopDelay({ resolution: 5 });

    phase('render');
    const story = await Promise.all(pets.map((id) => immutableUrl(base, id, 'story')));
    const preview = await Promise.all(pets.map((id) => immutableUrl(base, id, 'preview')));
    loop.enable();
    const storyRun = await renderAll(story, flags.concurrency);
    const previewRun = await renderAll(preview, flags.concurrency);
    loop.disable();
    const rendered = [...storyRun.latencies, ...previewRun.latencies];
    log(`story ${round(storyRun.perS, 2)}/s, preview ${round(previewRun.perS, 2)}/s, render p99 ${round(percentile(rendered, 0.99), 1)} ms`);

    phase('cached');
    const cached = await autocannon({ url: story[0]!, connections: flags.connections, duration: flags.duration });
    if (cached.non2xx > 0 || cached.errors > 0) throw new Error(`cached: ${cached.non2xx} non-2xx, ${cached.errors} errors`);
    const cachedP99Ms = cached.latency.p99;
    const renderP99Ms = round(percentile(rendered, 0.99), 1);
    emit({
      bench: 'cards',
      pets: pets.length,
      renderConcurrency: flags.concurrency,
      storyCardsPerS: round(storyRun.perS, 2),
      previewCardsPerS: round(previewRun.perS, 2),
      storyRenderP50Ms: round(percentile(storyRun.latencies, 0.5), 1),
      previewRenderP50Ms: round(percentile(previewRun.latencies, 0.5), 1),
      renderP99Ms,
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
      eventLoopDelayMaxMs: round(loop.max / 1e6, 1),
      cachedReqPerS: Math.round(cached.requests.average),
      cachedP99Ms,
      ratio: round(renderP99Ms / Math.max(cachedP99Ms, 1), 1),
      renders: app.http.services.cards.stats.renders,
    });
  } finally {
    await app.stop();
    await database.drop();
  }
}

runBench('cards', main, { deadlineS: 600 });

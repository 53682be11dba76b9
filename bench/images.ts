/**
 * The image pipeline's own cost, with the procedural provider (no network):
 *
 * 1. Queue overhead per job: enqueue → image stored (ready), one job at a time, through the
 *    real `ImageService.ensure` and the in-process queue (and Bull too when Redis answers),
 *    beside a baseline in the same run: the same generation and the same database write
 *    called directly, without a queue. p50/p99 of both, and the overhead (difference of p50s).
 *    Target: overhead p50 ≤ 20 ms.
 * 2. Serving: autocannon against `GET /api/v1/images/:id` on the real app (child process)
 *    beside a bare Fastify route serving the same bytes and headers. Target: ≥ 0.5 of the
 *    bare route's req/s.
 *
 *   npm run bench:images -- --jobs=200 --connections=50 --duration=8
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { buildApp, type App } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { imageKey } from '../server/images/image-jobs.js';
import { buildPrompt } from '../server/images/prompts.js';
import { createScratch, redisAvailable, TEST_REDIS_URL } from '../test/helpers/services.js';
import { emit, log, median, nextMessage, parseFlags, percentile, phase, round, runBench, spawnTsx, stopChild } from './lib.js';

const flags = parseFlags({ jobs: 200, connections: 50, duration: 8, rounds: 3 });
const OVERHEAD_TARGET_MS = 20;
const SERVING_TARGET = 0.5;

async function makeApp(env: Record<string, string>) {
  const database = await createScratch('sqlite');
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', IMAGE_CONCURRENCY: '1', ...env });
  // Logs go to stderr: stdout carries only the result line.
  const app = await buildApp(config, { logger: pino({ level: 'warn' }, pino.destination(2)) });
  await app.start();
  const now = Date.now();
  await app.db.kysely
    .insertInto('players')
    .values({ id: 'bench', telegram_id: 2, first_name: 'Bench', last_name: null, username: null, language_code: 'en', invite_code: 'BENCH222', created_at: now, updated_at: now })
    .execute();
  return { app, database };
}

async function createPets(app: App, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const now = Date.now();
    await app.db.kysely
      .insertInto('pets')
      .values({
        id, owner_id: 'bench', name: `P${i}`, species: 'cat', stage: 0, hunger: 60, mood: 70, cleanliness: 80, health: 100, sick: 0,
        age_seconds: 0, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0, cooldowns: '{}',
        care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0, good_care_s: 0, adult_form: 0,
        awake_until: 0, utc_offset_minutes: 0, born_at: now, last_snapshot_at: now, created_at: now, updated_at: now,
      })
      .execute();
    ids.push(id);
  }
  return ids;
}

/** enqueue → ready, one job at a time, timed from the ready event. */
async function queued(app: App, petIds: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const petId of petIds) {
    const started = performance.now();
    let imageId = '';
    const done = new Promise<void>((resolve) => {
      const off = app.bus.subscribe('bench', (owned) => {
        const event = owned.kind === 'image' ? owned.image : null;
        if (event?.status === 'ready' && (imageId === '' || event.imageId === imageId) && event.petId === petId) {
          off();
          resolve();
        }
      });
    });
    const image = await app.images.ensure({ id: petId, ownerId: 'bench', species: 'cat', stage: 0, variant: 0, skin: 'default' });
    imageId = image.id;
    await done;
    times.push(performance.now() - started);
  }
  return times;
}

/** The same generation and database writes without the queue: the baseline. */
async function direct(app: App, petIds: string[]): Promise<number[]> {
  const times: number[] = [];
  const prompt = buildPrompt({ species: 'cat', stage: 1, adultForm: 0, skin: 'default', preset: 'standard' });
  for (const petId of petIds) {
    const started = performance.now();
    const id = randomUUID();
    const seed = Math.floor(Math.random() * 2 ** 31);
    const now = Date.now();
    await app.pipeline.images.insertIfAbsent({
      id, pet_id: petId, owner_id: 'bench', stage: 1, variant: 0, skin: 'default', seed, preset: 'standard',
      image_key: imageKey({ petId, stage: 1, variant: 0, skin: 'default', seed, preset: 'standard' }), status: 'queued',
      reason: null, provider: null, model: null, mime: null, size_bytes: null, etag: null, image_b64: null,
      prompt: prompt.prompt, negative_prompt: prompt.negativePrompt, requested_by: 'system', created_at: now, updated_at: now, completed_at: null,
    });
    await app.pipeline.images.markRunning(id, now);
    const result = await app.pipeline.generator.generate(
      { prompt: prompt.prompt, negativePrompt: prompt.negativePrompt, seed, width: 768, height: 768, steps: 28, guidance: 7, species: 'cat', stage: 1, adultForm: 0, skin: 'default' },
      { imageId: id, preset: 'standard' },
    );
    await app.pipeline.images.markReady(id, { b64: result.bytes.toString('base64'), mime: result.mime, sizeBytes: result.bytes.length, etag: '"x"', provider: result.provider, model: result.model }, Date.now());
    times.push(performance.now() - started);
  }
  return times;
}

function stats(times: number[]) {
  return { p50Ms: round(median(times), 2), p99Ms: round(percentile(times, 0.99), 2) };
}

async function queueBench(kind: 'memory' | 'bull') {
  phase(`${kind} queue`);
  const env: Record<string, string> = kind === 'bull' ? { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `bench${Date.now()}` } : {};
  const { app, database } = await makeApp(env);
  try {
    const pets = await createPets(app, flags.jobs * 2 + 20);
    // Warm both paths (JIT, prepared statements).
    await queued(app, pets.slice(0, 10));
    await direct(app, pets.slice(10, 20));
    const q: number[] = [];
    const d: number[] = [];
    const half = flags.jobs;
    // Interleave in blocks so drift on a noisy machine hits both alike.
    for (let i = 0; i < half; i += 20) {
      q.push(...(await queued(app, pets.slice(20 + i, 20 + i + 20))));
      d.push(...(await direct(app, pets.slice(20 + half + i, 20 + half + i + 20))));
    }
    return { kind, queued: stats(q), direct: stats(d), overheadP50Ms: round(median(q) - median(d), 2) };
  } finally {
    await app.stop();
    await database.drop();
  }
}

async function servingBench() {
  phase('serving');
  const app = spawnTsx('bench/images-server.ts', ['--mode=app'], process.env, 'app');
  const appReady = await nextMessage(app, 'ready', 60_000);
  const appUrl = `http://127.0.0.1:${String(appReady.port)}${String(appReady.path)}`;
  const res = await fetch(appUrl);
  if (res.status !== 200) throw new Error(`image not served: ${res.status}`);
  const svgFile = path.join(os.tmpdir(), `bench-${Date.now()}.svg`);
  fs.writeFileSync(svgFile, Buffer.from(await res.arrayBuffer()));
  const bare = spawnTsx('bench/images-server.ts', ['--mode=bare', `--svgFile=${svgFile}`], process.env, 'bare');
  const bareReady = await nextMessage(bare, 'ready', 60_000);
  const bareUrl = `http://127.0.0.1:${String(bareReady.port)}${String(bareReady.path)}`;
  const run = async (url: string, seconds: number) => {
    const r = await autocannon({ url, connections: flags.connections, duration: seconds });
    return { reqPerSec: r['2xx'] / r.duration, p99Ms: r.latency.p99, non2xx: r.non2xx };
  };
  try {
    await run(appUrl, 2);
    await run(bareUrl, 2);
    const ratios: number[] = [];
    const appRuns: number[] = [];
    const bareRuns: number[] = [];
    for (let i = 0; i < flags.rounds; i++) {
      const a = await run(appUrl, flags.duration);
      const b = await run(bareUrl, flags.duration);
      if (a.non2xx > 0) throw new Error(`app answered ${a.non2xx} non-2xx`);
      log(`round ${i + 1}: app ${Math.round(a.reqPerSec)} req/s, bare ${Math.round(b.reqPerSec)} req/s`);
      appRuns.push(a.reqPerSec);
      bareRuns.push(b.reqPerSec);
      ratios.push(a.reqPerSec / b.reqPerSec);
    }
    return { appReqPerSec: Math.round(median(appRuns)), bareReqPerSec: Math.round(median(bareRuns)), ratio: round(median(ratios), 3), bytes: fs.statSync(svgFile).size };
  } finally {
    await stopChild(app, 30_000);
    await stopChild(bare, 10_000);
    fs.rmSync(svgFile, { force: true });
  }
}

async function main(): Promise<void> {
  log(`images bench: ${flags.jobs} jobs per path, serving ${flags.rounds} x ${flags.duration} s`);
  const queues = [await queueBench('memory')];
  log(`memory queue: ${JSON.stringify(queues[0])}`);
  if (await redisAvailable()) {
    queues.push(await queueBench('bull'));
    log(`bull queue: ${JSON.stringify(queues[1])}`);
  } else {
    log('Redis not reachable: Bull skipped');
  }
  const serving = await servingBench();
  const overheadMet = queues.every((q) => q.overheadP50Ms <= OVERHEAD_TARGET_MS);
  const servingMet = serving.ratio >= SERVING_TARGET;
  emit({
    bench: 'images',
    provider: 'procedural',
    jobs: flags.jobs,
    queues,
    overheadP50Ms: queues[0]?.overheadP50Ms,
    imageBytes: serving.bytes,
    servingReqPerSec: serving.appReqPerSec,
    bareReqPerSec: serving.bareReqPerSec,
    ratio: serving.ratio,
    target: `overheadP50Ms <= ${OVERHEAD_TARGET_MS} (every queue) and ratio >= ${SERVING_TARGET}`,
    met: overheadMet && servingMet,
  });
}

runBench('images', main);

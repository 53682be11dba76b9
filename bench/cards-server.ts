/**
 * Server side of bench/cards.ts, run as a child process (so the load generator does not share
 * its event loop): the real app on a scratch SQLite database with `--pets` pets of distinct
 * names, species, stages and ages. Sends `{"bench":true,"ready":true,"port":…,"pets":[…]}`.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createScratch } from '../test/helpers/services.js';
import { parseFlags, runChildServer, sendToParent } from './lib.js';

const flags = parseFlags({ pets: 24, concurrency: 2 });
const SPECIES = ['cat', 'dog', 'fox', 'bunny'];

async function main(): Promise<() => Promise<void>> {
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
  const now = Date.now();
  await app.db.kysely
    .insertInto('players')
    .values({ id: 'bench', telegram_id: 3, first_name: 'Bench', last_name: null, username: null, language_code: 'en', invite_code: 'BENCH333', created_at: now, updated_at: now })
    .execute();
  const pets: string[] = [];
  for (let i = 0; i < flags.pets; i++) {
    const id = randomUUID();
    await app.db.kysely
      .insertInto('pets')
      .values({
        id, owner_id: 'bench', name: `Bench pet ${i}`, species: SPECIES[i % 4]!, stage: i % 5, hunger: 60, mood: 70, cleanliness: 80, health: 100, sick: 0,
        age_seconds: i * 86_400, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0, cooldowns: '{}',
        care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0, good_care_s: 0, adult_form: i % 5 === 4 ? 1 + (i % 3) : 0,
        awake_until: 0, utc_offset_minutes: 0, born_at: now, last_snapshot_at: now, created_at: now, updated_at: now,
      })
      .execute();
    pets.push(id);
  }
  sendToParent({ ready: true, port, pets });
  return async () => {
    await app.stop();
    await database.drop();
  };
}

runChildServer('cards server', main);

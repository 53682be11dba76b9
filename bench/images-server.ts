/**
 * Server side of bench/images.ts, run as a child process: the real app on a scratch SQLite
 * database with one pet whose picture is made (procedural provider), or a bare Fastify app
 * serving the same bytes with the same headers. Sends `{"bench":true,"ready":...,"path":...}`.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createScratch } from '../test/helpers/services.js';
import { parseFlags, runChildServer, sendToParent } from './lib.js';

const flags = parseFlags({ mode: 'app', svgFile: '' });

async function main(): Promise<() => Promise<void>> {
  let stop: () => Promise<void>;
  if (flags.mode === 'bare') {
    const { readFileSync } = await import('node:fs');
    const body = readFileSync(flags.svgFile);
    const app = Fastify({ logger: false });
    app.get('/bare.svg', (_request, reply) =>
      reply.header('etag', '"bench"').header('cache-control', 'public, max-age=31536000, immutable').type('image/svg+xml').send(body),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    stop = () => app.close();
    sendToParent({ ready: true, port: (app.server.address() as AddressInfo).port, path: '/bare.svg' });
  } else {
    const database = await createScratch('sqlite');
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '123456789:BENCH_token_xxxxxxxxxxxxxxxxxxxx' });
    const app = await buildApp(config, { logger: pino({ level: 'warn' }) });
    const port = await app.start();
    const owner = await app.db.kysely
      .insertInto('players')
      .values({ id: 'bench', telegram_id: 1, first_name: 'Bench', last_name: null, username: null, language_code: 'en', invite_code: 'BENCH111', created_at: Date.now(), updated_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pet = await app.pets.create(owner.id, { name: 'Served', species: 'fox' });
    const image = await app.images.ensure({ id: pet.id, ownerId: owner.id, species: 'fox', stage: 0, variant: 0, skin: 'default' });
    for (let i = 0; i < 200; i++) {
      const meta = await app.pipeline.images.findMeta(image.id);
      if (meta?.status === 'ready') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    stop = async () => {
      await app.stop();
      await database.drop();
    };
    sendToParent({ ready: true, port, path: `/api/v1/images/${image.id}` });
  }
  return stop;
}

runChildServer('images bench server', main);

/**
 * Server side of bench/http.ts, run as a child process: either the real app (`buildApp` on
 * a scratch database) or a bare Fastify app with one route returning a small JSON object.
 * Sends `{"bench":true,"ready":...}` on stdout once listening; SIGTERM stops it cleanly.
 *
 *   node --import tsx bench/http-server.ts --mode=app|bare [--db=sqlite|postgres] [--botToken=...]
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createScratch } from '../test/helpers/services.js';
import { parseFlags, runChildServer, sendToParent } from './lib.js';

const flags = parseFlags({ mode: 'app', db: 'sqlite', botToken: '' });

async function main(): Promise<() => Promise<void>> {
  let stop: () => Promise<void>;
  if (flags.mode === 'bare') {
    const app = Fastify({ logger: false });
    app.get('/bare', () => ({ ok: true, name: 'bench', value: 42 }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    stop = () => app.close();
    sendToParent({ ready: true, port, mode: 'bare' });
  } else {
    const dialect = flags.db === 'postgres' ? 'postgres' : 'sqlite';
    const database = await createScratch(dialect);
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: flags.botToken,
      // One player floods on purpose: a budget it never reaches, so the limiter still runs and its cost is in the figure.
      RATE_LIMIT_API_MAX: '1000000000',
    });
    const app = await buildApp(config, { logger: pino({ level: 'warn' }) });
    const port = await app.start();
    stop = async () => {
      await app.stop();
      await database.drop();
    };
    sendToParent({ ready: true, port, mode: 'app', database: dialect });
  }
  return stop;
}

runChildServer('http bench server', main);

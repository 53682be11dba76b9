/**
 * Server side of bench/client.ts, run as a child process: the real app in dev sign-in mode
 * (no bot token, as outside Telegram) on a scratch SQLite database, serving the built Mini
 * App from dist/client. Sends `{"bench":true,"ready":true,"port":...}` once listening.
 */
import { pino } from 'pino';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createScratch } from '../test/helpers/services.js';
import { runChildServer, sendToParent } from './lib.js';

async function main(): Promise<() => Promise<void>> {
  const database = await createScratch('sqlite');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'warn', CLIENT_DIST_DIR: 'dist/client' });
  // Logs on stderr: stdout carries the control messages.
  const app = await buildApp(config, { logger: pino({ level: 'warn' }, pino.destination(2)) });
  const port = await app.start();
  sendToParent({ ready: true, port });
  return async () => {
    await app.stop();
    await database.drop();
  };
}

runChildServer('client bench server', main);

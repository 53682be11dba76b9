/**
 * What the server needs of a stand-in Telegram Bot API in dev mode (dev sign-in, no
 * TELEGRAM_BOT_TOKEN), and the one place that loads it. The implementation is the fake Bot
 * API in `dev/fake-telegram/`, a test and dev tool outside the server: it is imported
 * dynamically, so a server with a real bot token never loads it. Lint allows `dev/` only
 * in this file (eslint.config.js); `dev/` may import the types declared here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { RunMode } from '../config.js';

interface DevBotApiOptions {
  /** The bot token the stand-in accepts in `/bot<token>/<method>`. */
  token: string;
  logger?: Logger;
  /** The app's wall clock (epoch ms), for Telegram's `date` fields. */
  now?: () => number;
}

/** A Bot API the bot can call over HTTP, with a payment sheet under `/_dev/invoices`. */
export interface DevBotApi {
  /** The API as an encapsulated Fastify plugin, to register under a prefix. */
  plugin(): FastifyPluginAsync;
  /** Where updates (pre-checkout queries, payments) are POSTed, with the webhook secret. */
  setWebhookTarget(url: string | null, secretToken?: string): void;
  /** Stops deliveries and pending queries. */
  close(): Promise<void>;
}

/**
 * Loads the fake Bot API from `dev/` and builds one. Call it in dev mode only: in production
 * (`NODE_ENV=production`) it refuses before `dev/` is imported, so a production process never
 * has the module loaded at all.
 */
export async function loadDevBotApi(options: DevBotApiOptions, mode: RunMode): Promise<DevBotApi> {
  if (mode === 'production') throw new Error('the fake Bot API (dev/) is never loaded in production');
  const { FakeBotApi } = await import('../../dev/fake-telegram/fake-bot-api.js');
  return new FakeBotApi(options);
}

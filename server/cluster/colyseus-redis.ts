/**
 * Colyseus's Redis presence and driver with their connection errors logged (once per outage,
 * as warnings) instead of ioredis's "Unhandled error event" on stderr for every reconnect.
 */
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { SUBSCRIBER_ONLY } from '../util/redis-options.js';

function watch(client: Redis, name: string, logger: Logger): void {
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: err.message, client: name }, 'colyseus: Redis unavailable');
  });
  client.on('ready', () => {
    if (down) logger.info({ client: name }, 'colyseus: Redis is back');
    down = false;
  });
}

export class WatchedRedisPresence extends RedisPresence {
  constructor(options: RedisOptions, logger: Logger) {
    // Colyseus opens both connections with the same options; the subscriber is replaced by one
    // without the handshake a subscribed connection refuses (SUBSCRIBER_ONLY), before either connects.
    super({ ...options, lazyConnect: true });
    (this.sub as Redis).disconnect();
    this.sub = new Redis({ ...options, ...SUBSCRIBER_ONLY });
    this.sub.setMaxListeners(0);
    watch(this.pub as Redis, 'presence-pub', logger);
    watch(this.sub, 'presence-sub', logger);
    (this.pub as Redis).connect().catch(() => undefined); // failures are reported by watch()
  }
}

export class WatchedRedisDriver extends RedisDriver {
  constructor(options: RedisOptions, logger: Logger) {
    super(options);
    // The driver keeps its client private; it is an ioredis client like the presence's.
    watch((this as unknown as { _client: Redis })._client, 'driver', logger);
  }
}

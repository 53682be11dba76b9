/**
 * A subscription made while a subscriber connection is still in its handshake (connected, not
 * yet ready) must not break that handshake. ioredis 5 writes SUBSCRIBE at once in that state
 * (it is allowed while Redis loads), then sends its ready check (INFO), which Redis refuses on a
 * subscribed connection: the connection fails and every pending subscription with it. It
 * happened at start when forwarding subscribed just as the presence's connection came up.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisOwnerBus } from '../../../server/bus/owner-bus.js';
import type { OwnerEvent } from '../../../server/bus/owner-events.js';
import { WatchedRedisPresence } from '../../../server/cluster/colyseus-redis.js';
import { loadConfig } from '../../../server/config.js';
import { createMetrics } from '../../../server/metrics.js';
import { redisOptionsFromUrl } from '../../../server/util/redis-options.js';
import { needService, TEST_REDIS_URL } from '../../helpers/services.js';

const logger = pino({ level: 'silent' });
const deadlines = loadConfig({}).deadlines.redis;

/** The presence's subscriber connection (protected in Colyseus's class). */
const subOf = (presence: WatchedRedisPresence): Redis => (presence as unknown as { sub: Redis }).sub;

/** Resolves when `client` is ready, fails if it is not within 5 s. */
async function untilReady(client: Redis): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`the connection is ${client.status}, not ready`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('subscriptions made during a Redis handshake', () => {
  before(async function () {
    await needService(this, 'redis');
  });

  it("presence: a subscription in the connection's handshake succeeds and receives messages", async () => {
    const options = redisOptionsFromUrl(TEST_REDIS_URL, { connectTimeout: deadlines.connectTimeoutMs, commandTimeout: deadlines.commandTimeoutMs, maxRetriesPerRequest: 1 });
    const presence = new WatchedRedisPresence(options, logger);
    const channel = `handshake:${randomBytes(6).toString('hex')}`;
    try {
      const received: unknown[] = [];
      // 'connect' is emitted after the TCP connection opens and before the ready check.
      const subscribed = await new Promise<unknown>((resolve) => {
        subOf(presence).once('connect', () => {
          presence.subscribe(channel, (message: unknown) => received.push(message)).then(
            () => resolve('ok'),
            (err: unknown) => resolve(err),
          );
        });
      });
      assert.equal(subscribed, 'ok');
      const closed: string[] = [];
      subOf(presence).on('close', () => closed.push('close'));
      await untilReady(subOf(presence));
      await presence.publish(channel, { hello: 1 });
      const deadline = Date.now() + 5_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(received, [{ hello: 1 }]);
      assert.deepEqual(closed, [], 'the connection stayed up');
    } finally {
      presence.shutdown();
    }
  });

  it("owner bus: a subscription in the connection's handshake succeeds and receives events", async () => {
    const prefix = `hs${randomBytes(4).toString('hex')}:`;
    const make = (processId: string) =>
      new RedisOwnerBus({ redisUrl: TEST_REDIS_URL, prefix, processId, deadlines, logger, metrics: createMetrics() });
    const a = make('a');
    const b = make('b');
    const heard: string[] = [];
    try {
      await new Promise<void>((resolve) => {
        (a as unknown as { sub: Redis }).sub.once('connect', () => {
          a.subscribe('owner1', (event: OwnerEvent) => heard.push(event.kind));
          resolve();
        });
      });
      const event: OwnerEvent = { kind: 'holdings' };
      const deadline = Date.now() + 5_000;
      while (heard.length === 0 && Date.now() < deadline) {
        b.publish('owner1', event);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(heard.includes('holdings'), 'the subscriber heard the event');
      assert.equal((a as unknown as { sub: Redis }).sub.status, 'ready');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

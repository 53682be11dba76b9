/**
 * Image status changes, from whichever process made them to the home rooms: in process
 * with an EventEmitter, or across processes (separate workers) over Redis pub/sub.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisDeadlines } from '../config.js';
import type { ImageStatus } from '../db/schema.js';

export interface ImageEvent {
  imageId: string;
  petId: string;
  ownerId: string;
  stage: number;
  variant: number;
  skin: string;
  status: ImageStatus;
  provider: string | null;
  reason: string | null;
}

export interface ImageEventBus {
  publish(event: ImageEvent): void;
  subscribe(listener: (event: ImageEvent) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryEventBus(): ImageEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => emitter.emit('image', event),
    subscribe(listener) {
      emitter.on('image', listener);
      return () => emitter.off('image', listener);
    },
    close: () => Promise.resolve(),
  };
}

export function createRedisEventBus(redisUrl: string, channel: string, logger: Logger, deadlines: RedisDeadlines): ImageEventBus {
  const local = createMemoryEventBus();
  // Publishing is fire and forget, but still bounded; the subscriber waits for messages by design.
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: deadlines.connectTimeoutMs, commandTimeout: deadlines.commandTimeoutMs });
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null, connectTimeout: deadlines.connectTimeoutMs });
  for (const client of [pub, sub]) client.on('error', (err: Error) => logger.warn({ err: err.message }, 'image events: Redis error'));
  sub.subscribe(channel).catch((err: unknown) => logger.warn({ err }, 'image events: subscribe failed'));
  sub.on('message', (_channel: string, message: string) => {
    try {
      local.publish(JSON.parse(message) as ImageEvent);
    } catch {
      // Not ours or malformed: ignore.
    }
  });
  return {
    publish(event) {
      pub.publish(channel, JSON.stringify(event)).catch((err: unknown) => logger.warn({ err }, 'image events: publish failed'));
    },
    subscribe: (listener) => local.subscribe(listener),
    async close() {
      sub.disconnect();
      pub.disconnect();
      await local.close();
    },
  };
}

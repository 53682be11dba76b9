/**
 * The owner bus: one way for everything that happens to a player (owner-events.ts) to reach
 * whoever shows it, wherever it happened.
 *
 * - `subscribe(ownerId, listener)`: the owner's home room hears every event of its owner,
 *   published by any process of the cluster (a purchase on process B reaches the room on A).
 * - `react(kind, handler)`: what the game does about an event (a new stage queues its
 *   picture and counts for quests) runs once, in the process that published the event.
 *
 * `LocalOwnerBus` is the one-process bus; `RedisOwnerBus` adds Redis pub/sub with one channel
 * per owner, subscribed while this process has a listener for that owner. Events are handed
 * to local listeners at once, so one process behaves the same with or without Redis.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisDeadlines } from '../config.js';
import type { Metrics } from '../metrics.js';
import { KeyedListeners } from '../util/listeners.js';
import { SUBSCRIBER_ONLY } from '../util/redis-options.js';
import { asOwnerEvent, type OwnerEvent, type OwnerEventKind, type OwnerEventOf } from './owner-events.js';

export type OwnerListener = (event: OwnerEvent) => void;
export type OwnerReaction<K extends OwnerEventKind> = (ownerId: string, event: OwnerEventOf<K>) => void;

export interface OwnerBus {
  /** Tells the owner's listeners everywhere, and this process's reactions. */
  publish(ownerId: string, event: OwnerEvent): void;
  /** Hears every event of `ownerId` from any process; the returned function stops it. */
  subscribe(ownerId: string, listener: OwnerListener): () => void;
  /** Runs `handler` for every event of `kind` published by this process. */
  react<K extends OwnerEventKind>(kind: K, handler: OwnerReaction<K>): void;
  close(): Promise<void>;
}

interface BusDeps {
  logger: Logger;
  metrics: Metrics;
}

export class LocalOwnerBus implements OwnerBus {
  private readonly listeners = new KeyedListeners<string, OwnerListener>();
  private readonly reactions = new Map<OwnerEventKind, Array<(ownerId: string, event: OwnerEvent) => void>>();

  constructor(protected readonly deps: BusDeps) {}

  publish(ownerId: string, event: OwnerEvent): void {
    this.deps.metrics.ownerBusEvents.inc({ kind: event.kind, source: 'local' });
    for (const handler of this.reactions.get(event.kind) ?? []) {
      try {
        handler(ownerId, event);
      } catch (err) {
        this.deps.logger.error({ err, kind: event.kind, ownerId }, 'owner event reaction failed');
      }
    }
    this.deliver(ownerId, event);
  }

  subscribe(ownerId: string, listener: OwnerListener): () => void {
    return this.listeners.add(ownerId, listener);
  }

  react<K extends OwnerEventKind>(kind: K, handler: OwnerReaction<K>): void {
    const list = this.reactions.get(kind) ?? [];
    list.push(handler as (ownerId: string, event: OwnerEvent) => void);
    this.reactions.set(kind, list);
  }

  /** Whether this process has a listener for the owner. */
  protected listening(ownerId: string): boolean {
    return this.listeners.has(ownerId);
  }

  /** Hands the event to this process's listeners of the owner. */
  protected deliver(ownerId: string, event: OwnerEvent): void {
    this.listeners.each(
      ownerId,
      (listener) => listener(event),
      (err) => this.deps.logger.error({ err, kind: event.kind, ownerId }, 'owner event listener failed'),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What goes over Redis: the event and the process it came from (which already delivered it). */
interface Envelope {
  from: string;
  event: unknown;
}

export interface RedisOwnerBusOptions extends BusDeps {
  redisUrl: string;
  /** Channel names are `<prefix>owner:<ownerId>`. */
  prefix: string;
  /** This process (its own messages come back over Redis and are skipped). */
  processId: string;
  deadlines: RedisDeadlines;
}

/** Largest message accepted from Redis (a progress event with many notices is a few KB). */
const MAX_MESSAGE_BYTES = 64 * 1024;

export class RedisOwnerBus extends LocalOwnerBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channelPrefix: string;

  constructor(private readonly options: RedisOwnerBusOptions) {
    super(options);
    const { connectTimeoutMs, commandTimeoutMs } = options.deadlines;
    // Publishing is fire and forget but bounded; the subscriber connection waits for messages by design.
    this.pub = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: connectTimeoutMs, commandTimeout: commandTimeoutMs });
    this.sub = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectTimeout: connectTimeoutMs, ...SUBSCRIBER_ONLY });
    for (const client of [this.pub, this.sub]) client.on('error', (err: Error) => options.logger.warn({ err: err.message }, 'owner bus: Redis error'));
    this.channelPrefix = `${options.prefix}owner:`;
    this.sub.on('message', (channel: string, message: string) => this.received(channel, message));
  }

  override publish(ownerId: string, event: OwnerEvent): void {
    super.publish(ownerId, event);
    const envelope: Envelope = { from: this.options.processId, event };
    this.pub.publish(this.channelPrefix + ownerId, JSON.stringify(envelope)).catch((err: unknown) => {
      this.options.metrics.ownerBusEvents.inc({ kind: event.kind, source: 'publish_failed' });
      this.options.logger.warn({ err, kind: event.kind, ownerId }, 'owner bus: publish failed');
    });
  }

  override subscribe(ownerId: string, listener: OwnerListener): () => void {
    const first = !this.listening(ownerId);
    const remove = super.subscribe(ownerId, listener);
    const channel = this.channelPrefix + ownerId;
    if (first) this.sub.subscribe(channel).catch((err: unknown) => this.options.logger.warn({ err, ownerId }, 'owner bus: subscribe failed'));
    return () => {
      remove();
      if (!this.listening(ownerId)) this.sub.unsubscribe(channel).catch((err: unknown) => this.options.logger.warn({ err, ownerId }, 'owner bus: unsubscribe failed'));
    };
  }

  private received(channel: string, message: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    const ownerId = channel.slice(this.channelPrefix.length);
    const envelope = message.length <= MAX_MESSAGE_BYTES ? parseEnvelope(message) : null;
    const event = envelope ? asOwnerEvent(envelope.event) : null;
    if (!envelope || !event) {
      this.options.metrics.ownerBusEvents.inc({ kind: 'unknown', source: 'invalid' });
      this.options.logger.warn({ ownerId, bytes: message.length }, 'owner bus: dropped a message that is not an owner event');
      return;
    }
    if (envelope.from === this.options.processId) return;
    this.options.metrics.ownerBusEvents.inc({ kind: event.kind, source: 'remote' });
    this.deliver(ownerId, event);
  }

  override async close(): Promise<void> {
    this.sub.disconnect();
    this.pub.disconnect();
    await super.close();
  }
}

function parseEnvelope(message: string): Envelope | null {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return null;
    const { from, event } = value as Record<string, unknown>;
    return typeof from === 'string' ? { from, event } : null;
  } catch {
    return null;
  }
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { LocalOwnerBus, RedisOwnerBus, type OwnerBus } from '../../server/bus/owner-bus.js';
import type { OwnerEvent } from '../../server/bus/owner-events.js';
import { loadConfig } from '../../server/config.js';
import { createMetrics, type Metrics } from '../../server/metrics.js';
import { needService, TEST_REDIS_URL } from '../helpers/services.js';

const logger = pino({ level: 'silent' });
const deadlines = loadConfig({}).deadlines.redis;
const progress: OwnerEvent = { kind: 'progress', notices: [{ kind: 'achievement', achievementId: 'first_pet', rewardCoins: 20 }] };

/** Resolves once `predicate` holds, checking every 10 ms (fails after `ms`). */
async function until(predicate: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const count = async (metrics: Metrics, source: string, kind?: string) =>
  (await metrics.ownerBusEvents.get()).values.filter((v) => v.labels.source === source && (kind === undefined || v.labels.kind === kind)).reduce((a, v) => a + v.value, 0);

describe('owner bus in one process', () => {
  it("hands an owner's events to that owner's listeners only, and runs reactions once", () => {
    const bus = new LocalOwnerBus({ logger, metrics: createMetrics() });
    const heard: string[] = [];
    const reacted: string[] = [];
    const stop = bus.subscribe('alice', (event) => heard.push(`alice:${event.kind}`));
    bus.subscribe('bob', (event) => heard.push(`bob:${event.kind}`));
    bus.react('skin_changed', (ownerId, event) => reacted.push(`${ownerId}:${event.petId}:${event.skin}`));
    bus.publish('alice', { kind: 'skin_changed', petId: 'p1', skin: 'tuxedo' });
    bus.publish('alice', { kind: 'holdings' });
    stop();
    bus.publish('alice', { kind: 'holdings' });
    assert.deepEqual(heard, ['alice:skin_changed', 'alice:holdings']);
    assert.deepEqual(reacted, ['alice:p1:tuxedo']);
  });

  it('keeps telling the other listeners when one throws', () => {
    const bus = new LocalOwnerBus({ logger, metrics: createMetrics() });
    let heard = 0;
    bus.subscribe('alice', () => {
      throw new Error('broken listener');
    });
    bus.subscribe('alice', () => (heard += 1));
    bus.react('holdings', () => {
      throw new Error('broken reaction');
    });
    bus.publish('alice', { kind: 'holdings' });
    assert.equal(heard, 1);
  });
});

describe('owner bus across processes (Redis)', () => {
  const prefix = `telepets-test:${randomBytes(4).toString('hex')}:`;
  const buses: OwnerBus[] = [];
  const make = (processId: string, metrics = createMetrics()) => {
    const bus = new RedisOwnerBus({ redisUrl: TEST_REDIS_URL, prefix, processId, deadlines, logger, metrics });
    buses.push(bus);
    return { bus, metrics };
  };

  let raw: Redis;
  /** Waits until `count` connections are subscribed to the owner's channel (subscribing is asynchronous). */
  const subscribers = (ownerId: string, count: number) =>
    until(async () => {
      const [, n] = (await raw.pubsub('NUMSUB', `${prefix}owner:${ownerId}`)) as [string, number];
      return Number(n) === count;
    });

  before(async function () {
    await needService(this, 'redis');
    raw = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    raw?.disconnect();
  });

  it("delivers a purchase on process B to the owner's room on process A, once, and reactions only on B", async () => {
    const a = make('A');
    const b = make('B');
    const heardOnA: OwnerEvent[] = [];
    const heardOnB: OwnerEvent[] = [];
    const reactedOn: string[] = [];
    a.bus.react('progress', () => reactedOn.push('A'));
    b.bus.react('progress', () => reactedOn.push('B'));
    a.bus.subscribe('owner-1', (event) => heardOnA.push(event));
    b.bus.subscribe('owner-1', (event) => heardOnB.push(event));
    await subscribers('owner-1', 2);
    b.bus.publish('owner-1', progress);
    await until(() => heardOnA.length === 1);
    // Redis delivers in order: once B hears A's next event, its own came back and was skipped.
    a.bus.publish('owner-1', { kind: 'holdings' });
    await until(() => heardOnB.length === 2);
    assert.deepEqual(heardOnA, [progress, { kind: 'holdings' }]);
    assert.deepEqual(heardOnB, [progress, { kind: 'holdings' }]);
    assert.deepEqual(reactedOn, ['B']);
    assert.equal(await count(a.metrics, 'remote', 'progress'), 1);
  });

  it('stops hearing an owner after the last listener left', async () => {
    const a = make('A2');
    const b = make('B2');
    const heard: OwnerEvent[] = [];
    const stop = a.bus.subscribe('owner-2', (event) => heard.push(event));
    await subscribers('owner-2', 1);
    b.bus.publish('owner-2', { kind: 'holdings' });
    await until(() => heard.length === 1);
    stop();
    await subscribers('owner-2', 0);
    const probe = make('probe');
    let probeHeard = 0;
    probe.bus.subscribe('owner-2', () => (probeHeard += 1));
    await subscribers('owner-2', 1);
    b.bus.publish('owner-2', { kind: 'holdings' });
    await until(() => probeHeard === 1);
    assert.equal(heard.length, 1);
  });

  it('drops a message that is not an owner event, and counts it', async () => {
    const a = make('A3');
    const heard: OwnerEvent[] = [];
    a.bus.subscribe('owner-3', (event) => heard.push(event));
    await subscribers('owner-3', 1);
    {
      const channel = `${prefix}owner:owner-3`;
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ from: 'X', event: { kind: 'holdings', extra: { nested: true } } }));
      await raw.publish(channel, JSON.stringify({ from: 'X', event: { kind: 'progress', notices: [{ kind: 'streak', days: -1 }] } }));
      await raw.publish(channel, JSON.stringify({ from: 'X', event: { kind: 'coins', amount: 1_000_000 } }));
      await raw.publish(channel, JSON.stringify({ from: 'X', event: { kind: 'holdings' } }));
    }
    await until(() => heard.length === 1);
    assert.deepEqual(heard, [{ kind: 'holdings' }]);
    assert.equal(await count(a.metrics, 'invalid'), 4);
  });
});

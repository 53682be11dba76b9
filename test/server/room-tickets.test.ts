import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalRoomTickets, RedisRoomTickets, looksLikeTicket } from '../../server/auth/room-tickets.js';
import { TEST_REDIS_URL, needService } from '../helpers/services.js';

describe('room tickets in memory', () => {
  it('redeems a ticket once, for the player it was issued to', async () => {
    const store = new LocalRoomTickets(60, () => 1_000_000);
    const { ticket, expiresInSeconds } = await store.issue('p1');
    assert.equal(expiresInSeconds, 60);
    assert.ok(looksLikeTicket(ticket));
    assert.equal(await store.redeem(ticket), 'p1');
    assert.equal(await store.redeem(ticket), null);
  });

  it('refuses a ticket after its lifetime', async () => {
    let nowMs = 1_000_000;
    const store = new LocalRoomTickets(60, () => nowMs);
    const early = await store.issue('p1');
    const late = await store.issue('p2');
    nowMs += 59_999;
    assert.equal(await store.redeem(early.ticket), 'p1');
    nowMs += 1;
    assert.equal(await store.redeem(late.ticket), null);
  });

  it('keeps at most the configured number of unused tickets, dropping the oldest', async () => {
    const store = new LocalRoomTickets(60, () => 0, 3);
    const issued = [];
    for (let i = 0; i < 5; i++) issued.push((await store.issue(`p${i}`)).ticket);
    assert.deepEqual(await Promise.all(issued.map((t) => store.redeem(t))), [null, null, 'p2', 'p3', 'p4']);
  });

  it('refuses anything not shaped like a ticket without looking it up', async () => {
    const store = new LocalRoomTickets(60);
    for (const bad of ['', 'user=1&hash=abc', 'x'.repeat(44), 'é'.repeat(43)]) assert.equal(await store.redeem(bad), null);
  });
});

describe('room tickets in Redis', () => {
  let redis: Redis;
  const prefix = `telepets-test:${randomBytes(4).toString('hex')}:room-ticket:`;
  before(async function () {
    await needService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('lets exactly one of many simultaneous redemptions win, in any process', async () => {
    const a = new RedisRoomTickets(redis, 60, prefix);
    const other = redis.duplicate();
    const b = new RedisRoomTickets(other, 60, prefix);
    const { ticket } = await a.issue('p1');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).redeem(ticket)));
    other.disconnect();
    assert.deepEqual(results.filter((r) => r !== null), ['p1']);
  });

  it('stores a ticket with its lifetime as the key expiry', async () => {
    const store = new RedisRoomTickets(redis, 60, prefix);
    const { ticket } = await store.issue('p2');
    const ttl = await redis.ttl(prefix + ticket);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
  });

  it('answers NOT_READY instead of waiting when Redis does not answer', async () => {
    // A client for a port nothing listens on, with the offline queue on: commands would wait forever.
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => 1000, maxRetriesPerRequest: null });
    dead.on('error', () => undefined);
    const store = new RedisRoomTickets(dead, 60, prefix, 200);
    await assert.rejects(store.issue('p3'), (err: Error & { code?: string }) => err.code === 'NOT_READY');
    await assert.rejects(store.redeem('x'.repeat(43)), (err: Error & { code?: string }) => err.code === 'NOT_READY');
    dead.disconnect();
  });
});

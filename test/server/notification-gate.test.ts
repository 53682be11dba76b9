/** Telegram's sending limits: a token bucket for all chats and one message a second per chat, in memory and in Redis. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalSendGate, RedisSendGate } from '../../server/notifications/send-gate.js';
import { needService, TEST_REDIS_URL } from '../helpers/services.js';

describe('notification send gate', () => {
  it('in memory: a burst of the rate, then one per 1/rate seconds; one per chat per gap', async () => {
    let now = 0;
    const gate = new LocalSendGate({ ratePerSecond: 5, perChatMs: 1000 }, () => now);
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => gate.acquire(i)));
    assert.deepEqual(burst, [true, true, true, true, true, false, false, false]);
    now += 200; // one token back
    assert.equal(await gate.acquire(100), true);
    assert.equal(await gate.acquire(101), false);
    now += 2000;
    assert.equal(await gate.acquire(0), true, 'the chat may have another after its gap');
    assert.equal(await gate.acquire(0), false, 'but not two within a second');
  });

  describe('in Redis (shared by every process)', () => {
    let redis: Redis;
    before(async function () {
      await needService(this, 'redis');
      redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    });
    after(() => redis?.disconnect());

    it('two gates on one Redis share the bucket and the chat slots', async () => {
      const prefix = `gate-${randomBytes(4).toString('hex')}:`;
      const a = new RedisSendGate(redis, prefix, { ratePerSecond: 4, perChatMs: 1000 });
      const b = new RedisSendGate(redis, prefix, { ratePerSecond: 4, perChatMs: 1000 });
      const results = await Promise.all([a.acquire(1), b.acquire(2), a.acquire(3), b.acquire(4), a.acquire(5), b.acquire(6)]);
      // Refill during the round trips may add at most one token.
      const taken = results.filter(Boolean).length;
      assert.ok(taken >= 4 && taken <= 5, `took ${taken} of a bucket of 4`);
      const c = new RedisSendGate(redis, `${prefix}other:`, { ratePerSecond: 4, perChatMs: 1000 });
      assert.equal(await c.acquire(7), true);
      assert.equal(await c.acquire(7), false, 'one message a second to one chat, whichever process asks');
    });
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalOwnerLeases, RedisOwnerLeases } from '../../../server/cluster/owner-lease.js';
import { dropPrefix, needService, TEST_REDIS_URL } from '../../helpers/services.js';

/** Polls `condition` every 20 ms for up to `ms`; fails when it never holds. */
async function eventually(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('owner leases in Redis', () => {
  const base = `t-lease-${randomBytes(4).toString('hex')}`;
  const prefix = `${base}:`;
  let redis: Redis;
  const store = (processId: string, ttlMs = 10_000) => new RedisOwnerLeases({ redis, prefix, processId, ttlMs });
  const pttl = (ownerId: string) => redis.pttl(`${prefix}owner-lease:${ownerId}`);

  before(async function () {
    await needService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL, { commandTimeout: 2000, maxRetriesPerRequest: 1 });
  });
  after(async () => {
    if (!redis) return;
    redis.disconnect();
    await dropPrefix(base);
  });

  it('grants a free lease and refuses it to another process, naming the holder', async () => {
    const a = store('A');
    const b = store('B');
    assert.deepEqual(await a.claim('o1'), { ok: true });
    assert.deepEqual(await b.claim('o1'), { ok: false, heldBy: 'A' });
    assert.equal(await b.holder('o1'), 'A');
    assert.equal(await a.holder('nobody'), null);
    assert.equal(await redis.get(`${prefix}owner-lease:o1`), 'A');
  });

  it('grants a lease again to its holder and extends it', async () => {
    const a = store('A', 60_000);
    await redis.set(`${prefix}owner-lease:o2`, 'A', 'PX', 1000);
    assert.deepEqual(await a.claim('o2'), { ok: true });
    assert.ok((await pttl('o2')) > 1000);
  });

  it('renews the leases it holds in one call and names those it lost', async () => {
    const a = store('A', 60_000);
    const b = store('B');
    await redis.set(`${prefix}owner-lease:o3`, 'A', 'PX', 1000);
    assert.deepEqual(await b.claim('o4'), { ok: true });
    assert.deepEqual(await a.renew(['o3', 'o4', 'o5']), ['o4', 'o5']);
    assert.ok((await pttl('o3')) > 1000);
    assert.equal(await a.holder('o4'), 'B');
    assert.equal(await a.holder('o5'), null);
    assert.deepEqual(await a.renew([]), []);
  });

  it('lets another process claim a lease once it expired', async () => {
    const a = store('A', 100);
    const b = store('B');
    assert.deepEqual(await a.claim('o6'), { ok: true });
    await eventually(async () => (await b.holder('o6')) === null);
    assert.deepEqual(await b.claim('o6'), { ok: true });
    assert.deepEqual(await a.renew(['o6']), ['o6']);
    assert.equal(await a.holder('o6'), 'B');
  });

  it('releases only its own lease', async () => {
    const a = store('A');
    const b = store('B');
    assert.deepEqual(await a.claim('o7'), { ok: true });
    await b.release('o7');
    assert.equal(await a.holder('o7'), 'A');
    await a.release('o7');
    assert.equal(await a.holder('o7'), null);
    assert.deepEqual(await b.claim('o7'), { ok: true });
  });
});

describe('owner leases in one process', () => {
  it('grants every claim and never loses a lease', async () => {
    const local = new LocalOwnerLeases('me');
    assert.deepEqual(await local.claim('o1'), { ok: true });
    assert.deepEqual(await local.claim('o1'), { ok: true });
    assert.equal(await local.holder('o1'), 'me');
    assert.deepEqual(await local.renew(['o1', 'o2']), []);
    await local.release('o1');
    assert.equal(await local.holder('o1'), null);
  });
});

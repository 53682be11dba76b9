import assert from 'node:assert/strict';
import { needService, TEST_REDIS_URL } from '../helpers/services.js';
import { proxiedPostgresScratch, startTcpProxy } from '../helpers/tcp-proxy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('readiness with Redis', () => {
  before(async function () {
    await needService(this, 'redis');
  });

  it('is ready when the configured Redis answers', async () => {
    const s = await startTestServer({ env: { REDIS_URL: TEST_REDIS_URL } });
    try {
      const ready = await (async () => {
        for (let i = 0; i < 50; i++) {
          const res = await s.api(null, 'GET', '/readyz');
          if (res.status === 200) return res;
          await new Promise((r) => setTimeout(r, 100));
        }
        return s.api(null, 'GET', '/readyz');
      })();
      assert.equal(ready.status, 200);
      assert.equal(ready.body.checks.redis.ok, true);
    } finally {
      await s.stop({ dropDatabase: true });
    }
  });

  it('does not start in cluster mode when Redis is unreachable, and says why', async () => {
    await assert.rejects(startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } }), /cluster mode \(REDIS_URL\): Redis did not answer/);
  });

  it('answers 503 while a configured Redis is unreachable, and stays alive', async function () {
    this.timeout(30_000);
    const target = new URL(TEST_REDIS_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const s: TestServer = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    try {
      await proxy.cut();
      const res = await s.api(null, 'GET', '/readyz');
      assert.equal(res.status, 503);
      assert.equal(res.body.status, 'not_ready');
      assert.equal(res.body.checks.redis.ok, false);
      assert.equal(res.body.checks.database.ok, true);
      assert.equal((await s.api(null, 'GET', '/healthz')).status, 200);
    } finally {
      await s.stop({ dropDatabase: true });
      await proxy.close();
    }
  });
});

describe('readiness with Postgres', () => {
  before(async function () {
    await needService(this, 'postgres');
  });

  it('answers 503 while the database is unreachable and recovers when it is back', async function () {
    this.timeout(60_000);
    const { database, proxy } = await proxiedPostgresScratch();
    const s = await startTestServer({ database: database });
    try {
      assert.equal((await s.api(null, 'GET', '/readyz')).status, 200);
      await proxy.cut();
      const down = await s.api(null, 'GET', '/readyz');
      assert.equal(down.status, 503);
      assert.equal(down.body.checks.database.ok, false);
      const api = await s.api({ id: 5001 }, 'GET', '/api/v1/me');
      assert.equal(api.status, 503);
      assert.equal(api.body.error.code, 'NOT_READY');
      await proxy.restore();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await s.api(null, 'GET', '/readyz')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200);
      assert.equal((await s.api({ id: 5001 }, 'GET', '/api/v1/me')).status, 200);
    } finally {
      await s.stop({ dropDatabase: true });
      await proxy.close();
    }
  });
});

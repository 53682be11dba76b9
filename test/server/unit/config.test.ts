import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../../server/config.js';

describe('config', () => {
  it('has the documented defaults with an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.port, 2567);
    assert.deepEqual(c.database, { dialect: 'sqlite', file: path.resolve('data/telepets.db') });
    assert.equal(c.redisUrl, null);
    assert.equal(c.telegram.botToken, null);
    assert.equal(c.telegram.initDataMaxAgeSeconds, 86400);
    assert.equal(c.admin.password, null);
    assert.equal(c.sim.tickHz, 1);
    assert.equal(c.sim.timeScale, 1);
    assert.equal(c.sim.snapshotIntervalSeconds, 10);
  });

  it('bounds every call to another service by default', () => {
    const c = loadConfig({});
    assert.deepEqual(c.deadlines, {
      database: { connectTimeoutMs: 3000, statementTimeoutMs: 5000, queryTimeoutMs: 6000, idleInTransactionTimeoutMs: 10000, keepAliveDelayMs: 10000 },
      redis: { connectTimeoutMs: 2000, commandTimeoutMs: 2000 },
    });
    assert.equal(c.telegram.apiTimeoutSeconds, 10);
    assert.equal(c.images.hfTimeoutMs, 60000);
  });

  it('reads Postgres and SQLite URLs', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database.dialect, 'postgres');
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).database, { dialect: 'sqlite', file: '/tmp/x.db' });
  });

  it('reports every bad value at once with the variable name', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', SIM_TICK_HZ: '0', SIM_TIME_SCALE: '-1', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.message;
        for (const name of ['PORT', 'SIM_TICK_HZ', 'SIM_TIME_SCALE', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']) {
          assert.match(text, new RegExp(`${name}:`));
        }
        assert.equal(err.problems.length, 6);
        return true;
      },
    );
  });

  it('rejects a malformed bot token', () => {
    assert.throws(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token' }), /TELEGRAM_BOT_TOKEN/);
  });

  it('documents every variable in .env.example with its default', () => {
    const example = fs.readFileSync('.env.example', 'utf8');
    for (const v of CONFIG_VARIABLES) {
      assert.match(example, new RegExp(`^#? ?${v.name}=${v.default.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'), v.name);
    }
  });
});

describe('README configuration table', () => {
  it('lists every configuration variable', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const v of CONFIG_VARIABLES) assert.ok(readme.includes(`| \`${v.name}\` |`), v.name);
  });
});

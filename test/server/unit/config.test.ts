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
      database: { connectTimeoutMs: 3000, statementTimeoutMs: 2000, queryTimeoutMs: 2500, idleInTransactionTimeoutMs: 10000, keepAliveDelayMs: 10000, batchTimeoutMs: 30000 },
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

  it('has request limits a player never reaches by default, and 5 admin login attempts a minute', () => {
    assert.deepEqual(loadConfig({}).rateLimit, {
      windowSeconds: 60,
      apiPerPlayer: 600,
      publicApiPerIp: 300,
      purchases: 30,
      invoices: 10,
      friendAdds: 10,
      imageRequests: 10,
      sharePrepared: 10,
      adminLogin: 5,
      adminLoginWindowSeconds: 60,
      redisPrefix: 'telepets:rate-limit:',
    });
    assert.equal(loadConfig({ RATE_LIMIT_API_MAX: '0' }).rateLimit.apiPerPlayer, 0, '0 turns a limit off');
    assert.throws(() => loadConfig({ RATE_LIMIT_ADMIN_LOGIN_MAX: '0' }), /RATE_LIMIT_ADMIN_LOGIN_MAX/, 'the admin login limit cannot be turned off');
  });

  it('trusts X-Forwarded-For only from the proxies listed in TRUST_PROXY', () => {
    assert.equal(loadConfig({}).trustProxy, null);
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback,::1,fd00::/8' }).trustProxy, '10.0.0.1, 192.168.0.0/16,loopback,::1,fd00::/8');
    for (const bad of ['true', '2', '10.0.0.0/33', 'nginx', '10.0.0.1/8/1']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: bad }), /TRUST_PROXY/, bad);
    }
  });

  it('takes PUBLIC_ADDRESS as host[:port][/path] without a scheme', () => {
    assert.equal(loadConfig({}).publicAddress, null);
    for (const good of ['game.example.com', '127.0.0.1:2568', 'game.example.com/s1', 'localhost:8080/p/2']) {
      assert.equal(loadConfig({ PUBLIC_ADDRESS: good }).publicAddress, good);
    }
    for (const bad of ['ws://host:1', 'host:port', 'host/', 'host/a b', 'host?x=1']) {
      assert.throws(() => loadConfig({ PUBLIC_ADDRESS: bad }), /PUBLIC_ADDRESS/, bad);
    }
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

describe('analytics config', () => {
  it('has no export and an hourly job by default, and wants a long hash key', () => {
    assert.deepEqual(loadConfig({}).analytics, { hashKey: null, exportDir: null, jobIntervalSeconds: 3600, batchesPerWindow: 30 });
    assert.equal(loadConfig({ ANALYTICS_EXPORT_DIR: 'exports' }).analytics.exportDir, path.resolve('exports'));
    assert.throws(() => loadConfig({ ANALYTICS_HASH_KEY: 'too-short' }), /ANALYTICS_HASH_KEY/);
    assert.throws(() => loadConfig({ ANALYTICS_JOB_INTERVAL_S: '-1' }), /ANALYTICS_JOB_INTERVAL_S/);
  });
});

describe('share cards config', () => {
  it('has a bounded card cache and render budget by default, and checks the bot and Mini App names of share links', () => {
    assert.deepEqual(loadConfig({}).cards, { cacheBytes: 64 * 1024 * 1024, renderConcurrency: 2, renderQueue: 32 });
    assert.throws(() => loadConfig({ CARD_RENDER_CONCURRENCY: '0' }), /CARD_RENDER_CONCURRENCY/);
    assert.throws(() => loadConfig({ CARD_CACHE_MB: '-1' }), /CARD_CACHE_MB/);
    assert.equal(loadConfig({ TELEGRAM_BOT_USERNAME: '@telepets_bot' }).telegram.botUsername, 'telepets_bot');
    assert.throws(() => loadConfig({ TELEGRAM_BOT_USERNAME: 'bad name?x=1' }), /TELEGRAM_BOT_USERNAME/);
    assert.throws(() => loadConfig({ TELEGRAM_MINIAPP_NAME: 'a/b' }), /TELEGRAM_MINIAPP_NAME/);
  });
});

describe('README configuration table', () => {
  it('lists every configuration variable', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const v of CONFIG_VARIABLES) assert.ok(readme.includes(`| \`${v.name}\` |`), v.name);
  });
});

describe('production mode config', () => {
  const VALID: Record<string, string> = {
    NODE_ENV: 'production',
    TELEGRAM_BOT_TOKEN: '123456789:PROD_token_xxxxxxxxxxxxxxxxxxxx',
    TELEGRAM_WEBHOOK_SECRET: 'webhook_secret_0123456789',
    JWT_SECRET: 'j'.repeat(32),
    ADMIN_PASSWORD: 'a long admin password',
    DATABASE_URL: 'postgres://u@db:5432/telepets',
    PUBLIC_URL: 'https://pets.example.com',
  };
  const problemsOf = (env: Record<string, string>, purpose: 'server' | 'tool' = 'server'): string[] => {
    try {
      loadConfig(env, purpose);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
    return [];
  };
  const without = (...names: string[]) => Object.fromEntries(Object.entries(VALID).filter(([name]) => !names.includes(name)));

  it('is development by default and takes only development, test or production', () => {
    assert.equal(loadConfig({}).mode, 'development');
    assert.equal(loadConfig({ NODE_ENV: 'test' }).mode, 'test');
    assert.equal(loadConfig(VALID).mode, 'production');
    assert.deepEqual(problemsOf({ NODE_ENV: 'staging' }), ['NODE_ENV: must be one of development, test, production (got "staging")']);
    // A misspelt production is refused and still told what production would need.
    const prod = problemsOf({ NODE_ENV: 'prod' });
    assert.equal(prod[0], 'NODE_ENV: must be one of development, test, production (got "prod")');
    assert.ok(prod.some((p) => p.startsWith('TELEGRAM_BOT_TOKEN: required in production')));
  });

  it('starts with every production setting given', () => {
    const c = loadConfig(VALID);
    assert.equal(c.mode, 'production');
    assert.equal(c.database.dialect, 'postgres');
    assert.equal(c.telegram.publicUrl, 'https://pets.example.com');
  });

  const REQUIRED: Array<[string, RegExp]> = [
    ['TELEGRAM_BOT_TOKEN', /^TELEGRAM_BOT_TOKEN: required in production/],
    ['TELEGRAM_WEBHOOK_SECRET', /^TELEGRAM_WEBHOOK_SECRET: required in production/],
    ['JWT_SECRET', /^JWT_SECRET: required in production/],
    ['ADMIN_PASSWORD', /^ADMIN_PASSWORD: required in production/],
    ['DATABASE_URL', /^DATABASE_URL: required in production/],
    ['PUBLIC_URL', /^PUBLIC_URL: required in production/],
  ];
  for (const [name, message] of REQUIRED) {
    it(`refuses production without ${name}`, () => {
      const problems = problemsOf(without(name));
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', message);
    });
  }

  it('refuses SQLite, an http PUBLIC_URL, a short admin password and cluster mode without PUBLIC_ADDRESS', () => {
    assert.deepEqual(problemsOf({ ...VALID, DATABASE_URL: 'sqlite:/tmp/x.db' }), ['DATABASE_URL: production needs Postgres (postgres://…); SQLite is for development only']);
    assert.deepEqual(problemsOf({ ...VALID, PUBLIC_URL: 'http://pets.example.com' }), ['PUBLIC_URL: must be https:// in production (got "http://pets.example.com")']);
    assert.deepEqual(problemsOf({ ...VALID, ADMIN_PASSWORD: 'short' }), ['ADMIN_PASSWORD: must have 10-256 characters in production']);
    assert.match(problemsOf({ ...VALID, REDIS_URL: 'redis://cache:6379' }).join('\n'), /^PUBLIC_ADDRESS: required in production when REDIS_URL is set/);
    assert.deepEqual(problemsOf({ ...VALID, REDIS_URL: 'redis://cache:6379', PUBLIC_ADDRESS: 'pets.example.com/s1' }), []);
    // The same settings outside production are fine (dev sign-in, SQLite, no secrets).
    assert.deepEqual(problemsOf({ NODE_ENV: 'development', DATABASE_URL: 'sqlite:/tmp/x.db', REDIS_URL: 'redis://cache:6379' }), []);
  });

  it('lists every missing setting at once, on one line', () => {
    const env = { NODE_ENV: 'production', REDIS_URL: 'redis://cache:6379' };
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(
          err.problems.map((p) => p.split(':')[0]),
          ['DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'JWT_SECRET', 'ADMIN_PASSWORD', 'PUBLIC_URL', 'PUBLIC_ADDRESS'],
        );
        const line = err.oneLine();
        assert.ok(!line.includes('\n'), 'one line');
        assert.match(line, /^Invalid configuration for production \(NODE_ENV=production\): DATABASE_URL: required/);
        for (const name of ['DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'JWT_SECRET', 'ADMIN_PASSWORD', 'PUBLIC_URL', 'PUBLIC_ADDRESS']) {
          assert.match(line, new RegExp(`${name}: `));
        }
        return true;
      },
    );
  });

  it('asks the worker and the CLIs only for Postgres', () => {
    assert.deepEqual(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/telepets' }, 'tool'), []);
    assert.deepEqual(problemsOf({ NODE_ENV: 'production' }, 'tool'), ['DATABASE_URL: required in production (a postgres:// URL)']);
    assert.equal(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/telepets' }).length, 5, 'the server needs the rest');
  });
});

/** `npm run admin`: accounts made from a shell can sign in; bad input changes nothing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createAdminAuth } from '../../server/auth/admin-auth.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { createSqliteScratch, type ScratchDatabase } from '../helpers/services.js';

describe('npm run admin', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase;
  let db: Db;

  const cli = (args: string[], stdin = '') =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
      input: stdin,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' },
    });

  before(() => {
    scratch = createSqliteScratch();
  });
  after(async () => {
    await db?.close();
    await scratch.drop();
  });

  it('adds an account that signs in with its role, changes it, and refuses bad input', async () => {
    const added = cli(['add', 'mia', '--role', 'moderator'], 'a-long-password\n');
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /created moderator mia/);
    assert.equal(cli(['add', 'mia', '--role', 'admin'], 'another-password\n').status, 2, 'the name is taken');
    assert.equal(cli(['add', 'max', '--role', 'root'], 'a-long-password\n').status, 2, 'no such role');
    assert.equal(cli(['add', 'max', '--role', 'admin'], 'short\n').status, 2, 'too short a password');
    assert.equal(cli(['add', 'bad name', '--role', 'admin'], 'a-long-password\n').status, 2, 'a bad name');
    assert.equal(cli(['role', 'mia', 'admin']).status, 0);

    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    const repo = new AdminRepository(db.kysely);
    const auth = createAdminAuth({ accounts: repo, password: null, jwtSecret: 'k'.repeat(40), tokenTtlSeconds: 60, refreshTtlSeconds: 600 });
    const session = await auth.login('mia', 'a-long-password');
    assert.equal(session.account.role, 'admin');
    assert.deepEqual((await repo.listAccounts()).map((a) => a.name), ['mia']);

    assert.equal(cli(['disable', 'mia']).status, 0);
    await assert.rejects(auth.login('mia', 'a-long-password'), /Wrong name or password/);
    assert.match(cli(['list']).stdout, /^mia\tadmin\tdisabled/m);
    const audit = await repo.audit({ limit: 10 });
    assert.deepEqual(audit.map((e) => [e.actor_name, e.action]).reverse(), [
      ['cli', 'account.create'],
      ['cli', 'account.role'],
      ['cli', 'account.disable'],
    ]);
  });
  it('changes a password (ending its sessions), enables a disabled account, and refuses unknown commands and accounts', async () => {
    assert.equal(cli(['add', 'ola', '--role', 'moderator'], 'first-password\n').status, 0);
    db ??= openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    const repo = new AdminRepository(db.kysely);
    const auth = createAdminAuth({ accounts: repo, password: null, jwtSecret: 'k'.repeat(40), tokenTtlSeconds: 60, refreshTtlSeconds: 600 });
    const before = await auth.login('ola', 'first-password');

    const changed = cli(['passwd', 'ola'], 'second-password\n');
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /password of ola changed; its sessions ended/);
    await assert.rejects(auth.login('ola', 'first-password'), /Wrong name or password/);
    await assert.rejects(auth.refresh(before.refreshToken), 'the old session ended with the password');
    assert.equal((await auth.login('ola', 'second-password')).account.name, 'ola');

    assert.equal(cli(['disable', 'ola']).status, 0);
    const enabled = cli(['enable', 'ola']);
    assert.equal(enabled.status, 0, enabled.stderr);
    assert.match(enabled.stdout, /ola enabled/);
    assert.equal((await auth.login('ola', 'second-password')).account.role, 'moderator');
    assert.match(cli(['list']).stdout, /^ola\tmoderator\tactive\tlast sign-in \d{4}-/m);

    for (const [args, message] of [
      [['frobnicate'], /unknown command frobnicate/],
      [[], /no command/],
      [['passwd', 'nobody'], /nobody/],
      [['passwd', 'ola'], /no password on standard input/],
    ] as const) {
      const refused = cli([...args]);
      assert.equal(refused.status, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, message);
    }
    assert.equal((await auth.login('ola', 'second-password')).account.name, 'ola', 'refusals changed nothing');
  });

  it('exits 1 with the reason when the configuration is wrong', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', 'list'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: 'mysql://nowhere/db', LOG_LEVEL: 'silent' },
    });
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stderr, /DATABASE_URL/);
  });
});

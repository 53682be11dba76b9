import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { AppError } from '../../shared/errors.js';
import { createAdminAuth, type AdminAuth } from '../../server/auth/admin-auth.js';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { loadConfig } from '../../server/config.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';

const SECRET = 'x'.repeat(40);
/** 2031-06-01 10:00 UTC in epoch seconds: the clock the auth and the forged tokens use (never the real one). */
const NOW_S = Date.parse('2031-06-01T10:00:00Z') / 1000;
const TTL_S = 900;
const REFRESH_TTL_S = 3600;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('admin passwords', () => {
  it('verifies the right password and nothing else, and refuses malformed hashes', async () => {
    const hash = await hashPassword('correct horse battery', { N: 1024, r: 8, p: 1 });
    assert.match(hash, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse batterY', hash), false);
    for (const bad of ['', 'scrypt$1$2$3', 'bcrypt$1024$8$1$AAAA$BBBB', 'scrypt$x$8$1$AAAA$BBBB', 'scrypt$1024$8$1$AAAA$']) {
      assert.equal(await verifyPassword('correct horse battery', bad), false, bad);
    }
    // Parameters that would cost gigabytes are refused, not computed.
    assert.equal(await verifyPassword('x', 'scrypt$4194304$32$1$AAAA$BBBB'), false);
  });

  it('salts: the same password hashes differently each time', async () => {
    assert.notEqual(await hashPassword('same', { N: 1024, r: 8, p: 1 }), await hashPassword('same', { N: 1024, r: 8, p: 1 }));
  });
});

describeEachDialect('admin auth', (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let repo: AdminRepository;
  let nowMs: number;
  const make = (password: string | null, secret = SECRET): AdminAuth =>
    createAdminAuth({ accounts: repo, password, jwtSecret: secret, tokenTtlSeconds: TTL_S, refreshTtlSeconds: REFRESH_TTL_S, now: () => nowMs });

  beforeEach(async () => {
    nowMs = NOW_S * 1000;
    scratch = await createScratch(dialect);
    db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    await migrateToLatest(db.kysely);
    repo = new AdminRepository(db.kysely);
  });
  afterEach(async () => {
    await db.close();
    await scratch.drop();
  });

  it('is off without ADMIN_PASSWORD and accounts, and on once an account exists', async () => {
    const auth = make(null);
    assert.equal(await auth.enabled(), false);
    assert.equal(await code(auth.login('admin', 'x')), 'ADMIN_DISABLED');
    assert.equal(await code(auth.verify('x')), 'ADMIN_DISABLED');
    assert.equal(await auth.bootstrap(), false);
    await repo.createAccount({ name: 'mod', role: 'moderator', passwordHash: await hashPassword('a long password') }, nowMs);
    nowMs += 11_000; // past the re-check interval of "nobody can sign in"
    assert.equal(await auth.enabled(), true);
    const session = await auth.login('mod', 'a long password');
    assert.deepEqual(session.account, { id: session.account.id, name: 'mod', role: 'moderator' });
  });

  it('bootstraps the account admin from ADMIN_PASSWORD once, and keeps a password changed later', async () => {
    const auth = make('bootstrap-pw');
    assert.equal(await auth.bootstrap(), true);
    assert.equal(await auth.bootstrap(), false);
    const { account } = await auth.login('admin', 'bootstrap-pw');
    assert.equal(account.role, 'admin');
    await repo.updateAccount(account.id, { passwordHash: await hashPassword('changed by the cli') }, nowMs);
    assert.equal(await make('bootstrap-pw').bootstrap(), false);
    assert.equal(await code(auth.login('admin', 'bootstrap-pw')), 'AUTH_INVALID');
    assert.equal((await auth.login('admin', 'changed by the cli')).account.id, account.id);
  });

  it('refuses a wrong password, an unknown name and a disabled account alike', async () => {
    const auth = make('pw-pw-pw-pw');
    await auth.bootstrap();
    assert.equal(await code(auth.login('admin', 'nope')), 'AUTH_INVALID');
    assert.equal(await code(auth.login('nobody', 'pw-pw-pw-pw')), 'AUTH_INVALID');
    const { token, account } = await auth.login('admin', 'pw-pw-pw-pw');
    await repo.updateAccount(account.id, { disabledAt: nowMs }, nowMs);
    assert.equal(await code(auth.login('admin', 'pw-pw-pw-pw')), 'AUTH_INVALID');
    // A disabled account's token stops working at once, not when it expires.
    assert.equal(await code(auth.verify(token)), 'AUTH_INVALID');
  });

  it('reads the role from the account on every request: a demotion takes effect at once', async () => {
    const auth = make('pw-pw-pw-pw');
    await auth.bootstrap();
    const { token, account } = await auth.login('admin', 'pw-pw-pw-pw');
    assert.equal((await auth.verify(token)).role, 'admin');
    await repo.updateAccount(account.id, { role: 'moderator' }, nowMs);
    assert.equal((await auth.verify(token)).role, 'moderator');
  });

  it('refuses expired, foreign and garbage tokens; a token lives its lifetime and no longer', async () => {
    const auth = make('pw-pw-pw-pw');
    await auth.bootstrap();
    const { token } = await auth.login('admin', 'pw-pw-pw-pw');
    assert.equal(await code(make('pw-pw-pw-pw', 'y'.repeat(40)).verify(token)), 'AUTH_INVALID');
    assert.equal(await code(auth.verify('garbage')), 'AUTH_INVALID');
    nowMs += (TTL_S - 1) * 1000;
    assert.equal(await code(auth.verify(token)), 'OK');
    nowMs += 61_000;
    assert.equal(await code(auth.verify(token)), 'AUTH_INVALID');
  });

  describe('forged token claims', () => {
    let auth: AdminAuth;
    let accountId: string;
    /** A token signed with the right secret, issuer, audience and account; `claims` sets iat and exp (or leaves them out). */
    const forge = (claims: { iat?: number; exp?: number }) => {
      const jwt = new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject(accountId).setIssuer('telepets').setAudience('telepets-admin');
      if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
      return jwt.sign(Buffer.from(SECRET));
    };
    beforeEach(async () => {
      auth = make('pw-pw-pw-pw');
      await auth.bootstrap();
      accountId = (await repo.findAccountByName('admin'))!.id;
    });

    it('accepts one shaped like its own (the control for the cases below)', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S - 60, exp: NOW_S - 60 + TTL_S }))), 'OK');
    });

    it('refuses one without exp, without iat, issued in the future, or living longer than the lifetime', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S }))), 'AUTH_INVALID');
      assert.equal(await code(auth.verify(await forge({ exp: NOW_S + 60 }))), 'AUTH_INVALID');
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S + 3600, exp: NOW_S + 3600 + TTL_S }))), 'AUTH_INVALID');
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S, exp: NOW_S + TTL_S + 1 }))), 'AUTH_INVALID');
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S - 10 * TTL_S, exp: NOW_S + 60 }))), 'AUTH_INVALID');
    });
  });

  describe('refresh tokens', () => {
    let auth: AdminAuth;
    beforeEach(async () => {
      auth = make('pw-pw-pw-pw');
      await auth.bootstrap();
    });

    it('rotate: a refresh gives a new access token and a new refresh token, and the old one is spent', async () => {
      const first = await auth.login('admin', 'pw-pw-pw-pw');
      nowMs += 60_000;
      const second = await auth.refresh(first.refreshToken);
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.equal((await auth.verify(second.token)).name, 'admin');
      const third = await auth.refresh(second.refreshToken);
      assert.equal(third.account.name, 'admin');
    });

    it('a spent token presented again ends every session of the account (a stolen copy)', async () => {
      const first = await auth.login('admin', 'pw-pw-pw-pw');
      const other = await auth.login('admin', 'pw-pw-pw-pw');
      const second = await auth.refresh(first.refreshToken);
      // Within a few seconds it is two tabs racing: refused, and nothing else ends.
      assert.equal(await code(auth.refresh(first.refreshToken)), 'AUTH_INVALID');
      const still = await auth.refresh(second.refreshToken);
      nowMs += 11_000;
      assert.equal(await code(auth.refresh(first.refreshToken)), 'AUTH_INVALID');
      assert.equal(await code(auth.refresh(still.refreshToken)), 'AUTH_INVALID');
      assert.equal(await code(auth.refresh(other.refreshToken)), 'AUTH_INVALID');
    });

    it('expire, end at logout, and end when the account is disabled', async () => {
      const a = await auth.login('admin', 'pw-pw-pw-pw');
      nowMs += REFRESH_TTL_S * 1000;
      assert.equal(await code(auth.refresh(a.refreshToken)), 'AUTH_INVALID');
      const b = await auth.login('admin', 'pw-pw-pw-pw');
      await auth.logout(b.refreshToken);
      assert.equal(await code(auth.refresh(b.refreshToken)), 'AUTH_INVALID');
      const c = await auth.login('admin', 'pw-pw-pw-pw');
      await repo.updateAccount(c.account.id, { disabledAt: nowMs }, nowMs);
      assert.equal(await code(auth.refresh(c.refreshToken)), 'AUTH_INVALID');
      assert.equal(await code(auth.refresh('never-issued')), 'AUTH_INVALID');
    });

    it('two refreshes with one token at the same moment: exactly one wins, and the winner keeps its session', async () => {
      const { refreshToken } = await auth.login('admin', 'pw-pw-pw-pw');
      const results = await Promise.allSettled([auth.refresh(refreshToken), auth.refresh(refreshToken), auth.refresh(refreshToken)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.equal((await auth.refresh(won[0]!.value.refreshToken)).account.name, 'admin');
    });
  });
});

import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { AppError } from '../../../shared/errors.js';
import { createAdminAuth } from '../../../server/auth/admin-auth.js';

const SECRET = 'x'.repeat(40);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('admin auth', () => {
  it('issues a token for the right password that verifies', async () => {
    const auth = createAdminAuth({ password: 'pw', jwtSecret: SECRET, tokenTtlSeconds: 60 });
    const { token, expiresInSeconds } = await auth.login('pw');
    assert.equal(expiresInSeconds, 60);
    assert.equal(await code(auth.verify(token)), 'OK');
  });

  it('refuses a wrong password', async () => {
    const auth = createAdminAuth({ password: 'pw', jwtSecret: SECRET, tokenTtlSeconds: 60 });
    assert.equal(await code(auth.login('nope')), 'AUTH_INVALID');
  });

  it('refuses expired, foreign and garbage tokens', async () => {
    const auth = createAdminAuth({ password: 'pw', jwtSecret: SECRET, tokenTtlSeconds: 60 });
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('telepets')
      .setAudience('telepets-admin')
      .setExpirationTime(Date.UTC(2020, 0, 1) / 1000) // long expired, on any clock a test runs on
      .sign(Buffer.from(SECRET));
    assert.equal(await code(auth.verify(expired)), 'AUTH_INVALID');
    const other = createAdminAuth({ password: 'pw', jwtSecret: 'y'.repeat(40), tokenTtlSeconds: 60 });
    assert.equal(await code(auth.verify((await other.login('pw')).token)), 'AUTH_INVALID');
    assert.equal(await code(auth.verify('garbage')), 'AUTH_INVALID');
  });

  describe('token claims', () => {
    /** 2031-06-01 10:00 UTC, in epoch seconds: the clock both the auth and the forged tokens use (never the real one). */
    const NOW_S = Date.parse('2031-06-01T10:00:00Z') / 1000;
    const TTL_S = 900;
    const auth = createAdminAuth({ password: 'pw', jwtSecret: SECRET, tokenTtlSeconds: TTL_S, now: () => NOW_S * 1000 });
    /** A token signed with the right secret, issuer, audience and role; `claims` sets iat and exp (or leaves them out). */
    const forge = (claims: { iat?: number; exp?: number }) => {
      const jwt = new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuer('telepets').setAudience('telepets-admin');
      if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
      return jwt.sign(Buffer.from(SECRET));
    };

    it('accepts a forged token shaped like its own (the control for the cases below)', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S - 60, exp: NOW_S - 60 + TTL_S }))), 'OK');
    });

    it('refuses a token without exp', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S }))), 'AUTH_INVALID');
    });

    it('refuses a token without iat', async () => {
      assert.equal(await code(auth.verify(await forge({ exp: NOW_S + 60 }))), 'AUTH_INVALID');
    });

    it('refuses a token issued in the future', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S + 3600, exp: NOW_S + 3600 + TTL_S }))), 'AUTH_INVALID');
    });

    it('refuses a token that lives longer than the configured lifetime', async () => {
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S, exp: NOW_S + TTL_S + 1 }))), 'AUTH_INVALID');
      assert.equal(await code(auth.verify(await forge({ iat: NOW_S - 10 * TTL_S, exp: NOW_S + 60 }))), 'AUTH_INVALID');
    });

    it('signs its tokens at its own clock: valid within the lifetime, refused a minute after it', async () => {
      let nowMs = NOW_S * 1000;
      const clocked = createAdminAuth({ password: 'pw', jwtSecret: SECRET, tokenTtlSeconds: TTL_S, now: () => nowMs });
      const { token } = await clocked.login('pw');
      nowMs += (TTL_S - 1) * 1000;
      assert.equal(await code(clocked.verify(token)), 'OK');
      nowMs += 61_000;
      assert.equal(await code(clocked.verify(token)), 'AUTH_INVALID');
    });
  });

  it('is disabled entirely without a password', async () => {
    const auth = createAdminAuth({ password: null, jwtSecret: SECRET, tokenTtlSeconds: 60 });
    assert.equal(auth.enabled, false);
    assert.equal(await code(auth.login('')), 'ADMIN_DISABLED');
    assert.equal(await code(auth.verify('x')), 'ADMIN_DISABLED');
  });
});

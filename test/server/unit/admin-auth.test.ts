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

  it('is disabled entirely without a password', async () => {
    const auth = createAdminAuth({ password: null, jwtSecret: SECRET, tokenTtlSeconds: 60 });
    assert.equal(auth.enabled, false);
    assert.equal(await code(auth.login('')), 'ADMIN_DISABLED');
    assert.equal(await code(auth.verify('x')), 'ADMIN_DISABLED');
  });
});

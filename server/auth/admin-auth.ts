/**
 * Admin authentication: a password from the configuration exchanged for a short-lived
 * HS256 JWT. Nothing works when no admin password is configured.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../../shared/errors.js';

export interface AdminAuth {
  readonly enabled: boolean;
  login(password: string): Promise<{ token: string; expiresInSeconds: number }>;
  verify(token: string): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function createAdminAuth(options: {
  password: string | null;
  jwtSecret: string | null;
  tokenTtlSeconds: number;
}): AdminAuth {
  const secret = options.jwtSecret ? Buffer.from(options.jwtSecret) : randomBytes(32);
  const expected = options.password === null ? null : digest(options.password);
  const issuer = 'telepets';
  const audience = 'telepets-admin';
  return {
    enabled: expected !== null,
    async login(password) {
      if (expected === null) throw new AppError('ADMIN_DISABLED');
      if (!timingSafeEqual(digest(password), expected)) throw new AppError('AUTH_INVALID', 'Wrong password');
      const token = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('admin')
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${options.tokenTtlSeconds}s`)
        .sign(secret);
      return { token, expiresInSeconds: options.tokenTtlSeconds };
    },
    async verify(token) {
      if (expected === null) throw new AppError('ADMIN_DISABLED');
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer, audience });
        if (payload.role !== 'admin') throw new Error('not an admin token');
      } catch {
        throw new AppError('AUTH_INVALID', 'Admin token is missing, invalid or expired');
      }
    },
  };
}

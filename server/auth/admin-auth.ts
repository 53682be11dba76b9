/**
 * Admin authentication: a password from the configuration exchanged for a short-lived
 * HS256 JWT. Nothing works when no admin password is configured. A token must carry `iat`
 * and `exp`, must not be issued in the future, and must not live longer than the configured
 * lifetime: a token minted with the secret elsewhere (a script, an older build) without an
 * expiry would otherwise be valid forever.
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

/** Seconds of clock difference tolerated on `iat` and `exp` (several processes sign and verify). */
const CLOCK_TOLERANCE_S = 5;

export function createAdminAuth(options: {
  password: string | null;
  jwtSecret: string | null;
  tokenTtlSeconds: number;
  /** Wall clock in epoch ms (tests). */
  now?: () => number;
}): AdminAuth {
  const now = options.now ?? Date.now;
  const ttl = options.tokenTtlSeconds;
  const secret = options.jwtSecret ? Buffer.from(options.jwtSecret) : randomBytes(32);
  const expected = options.password === null ? null : digest(options.password);
  const issuer = 'telepets';
  const audience = 'telepets-admin';
  return {
    enabled: expected !== null,
    async login(password) {
      if (expected === null) throw new AppError('ADMIN_DISABLED');
      if (!timingSafeEqual(digest(password), expected)) throw new AppError('AUTH_INVALID', 'Wrong password');
      const issuedAt = Math.floor(now() / 1000);
      const token = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('admin')
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttl)
        .sign(secret);
      return { token, expiresInSeconds: ttl };
    },
    async verify(token) {
      if (expected === null) throw new AppError('ADMIN_DISABLED');
      try {
        // maxTokenAge makes jose require iat and refuse one in the future or older than the lifetime.
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer,
          audience,
          requiredClaims: ['exp', 'iat'],
          maxTokenAge: ttl,
          clockTolerance: CLOCK_TOLERANCE_S,
          currentDate: new Date(now()),
        });
        if (payload.role !== 'admin') throw new Error('not an admin token');
        if (payload.exp! - payload.iat! > ttl) throw new Error('the token outlives the configured lifetime');
      } catch {
        throw new AppError('AUTH_INVALID', 'Admin token is missing, invalid or expired');
      }
    },
  };
}

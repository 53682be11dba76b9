/**
 * Admin authentication (docs/admin.md): named accounts with a role and a scrypt hash,
 * signed in for a short-lived HS256 access token and a refresh token.
 *
 * - The access token carries the account id; every request re-reads the account, so a
 *   disabled account or a changed role takes effect at once, not when the token expires.
 *   A token must carry `iat` and `exp`, must not be issued in the future, and must not live
 *   longer than the configured lifetime (a token minted elsewhere without an expiry would
 *   otherwise be valid forever).
 * - The refresh token is 32 random bytes; only its SHA-256 is stored. Each refresh rotates
 *   it. Presenting a rotated (revoked) token again means two parties hold it: every session
 *   of the account is revoked.
 * - `ADMIN_PASSWORD` bootstraps the account `admin` once, when it does not exist yet.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../../shared/errors.js';
import type { AdminRole } from '../db/schema.js';
import type { AdminAccountRow, AdminRepository } from '../repositories/admin-repository.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

export interface AdminPrincipal {
  id: string;
  name: string;
  role: AdminRole;
}

export interface AdminSignIn {
  token: string;
  expiresInSeconds: number;
  refreshToken: string;
  refreshExpiresInSeconds: number;
  account: AdminPrincipal;
}

export interface AdminAuth {
  /** False when nobody can sign in: no `ADMIN_PASSWORD` and no account. */
  enabled(): Promise<boolean>;
  login(name: string, password: string): Promise<AdminSignIn>;
  refresh(refreshToken: string): Promise<AdminSignIn>;
  logout(refreshToken: string): Promise<void>;
  verify(token: string): Promise<AdminPrincipal>;
  /** Creates the account `admin` from `ADMIN_PASSWORD` when it does not exist; true when it did. */
  bootstrap(): Promise<boolean>;
}

/** The account `ADMIN_PASSWORD` creates, and the name a login without one means. */
export const BOOTSTRAP_ADMIN_NAME = 'admin';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Seconds of clock difference tolerated on `iat` and `exp` (several processes sign and verify). */
const CLOCK_TOLERANCE_S = 5;
/** A refresh token spent this recently and presented again is a race between tabs, not a theft. */
const REUSE_GRACE_MS = 10_000;
/** How long "no account exists" is believed before asking the database again. */
const ENABLED_RECHECK_MS = 10_000;

const principalOf = (row: AdminAccountRow): AdminPrincipal => ({ id: row.id, name: row.name, role: row.role });

export function createAdminAuth(options: {
  accounts: AdminRepository;
  password: string | null;
  jwtSecret: string | null;
  tokenTtlSeconds: number;
  refreshTtlSeconds: number;
  /** Wall clock in epoch ms (tests). */
  now?: () => number;
}): AdminAuth {
  const { accounts } = options;
  const now = options.now ?? Date.now;
  const ttl = options.tokenTtlSeconds;
  const secret = options.jwtSecret ? Buffer.from(options.jwtSecret) : randomBytes(32);
  const issuer = 'telepets';
  const audience = 'telepets-admin';
  let known: { enabled: boolean; at: number } | null = null;

  const enabled = async (): Promise<boolean> => {
    if (options.password !== null) return true;
    if (known && (known.enabled || now() - known.at < ENABLED_RECHECK_MS)) return known.enabled;
    known = { enabled: (await accounts.countAccounts()) > 0, at: now() };
    return known.enabled;
  };

  const invalid = (message = 'Admin token is missing, invalid or expired') => new AppError('AUTH_INVALID', message);

  async function issue(account: AdminAccountRow, parentId: string | null): Promise<AdminSignIn> {
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({ role: account.role, name: account.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.id)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(secret);
    const refreshToken = randomBytes(32).toString('base64url');
    await accounts.createSession(
      { id: randomUUID(), accountId: account.id, tokenHash: sha256(refreshToken), parentId, expiresAt: now() + options.refreshTtlSeconds * 1000 },
      now(),
    );
    return { token, expiresInSeconds: ttl, refreshToken, refreshExpiresInSeconds: options.refreshTtlSeconds, account: principalOf(account) };
  }

  return {
    enabled,

    async bootstrap() {
      if (options.password === null) return false;
      if (await accounts.findAccountByName(BOOTSTRAP_ADMIN_NAME)) return false;
      const created = await accounts.createAccount({ name: BOOTSTRAP_ADMIN_NAME, role: 'admin', passwordHash: await hashPassword(options.password) }, now());
      return created !== null;
    },

    async login(name, password) {
      if (!(await enabled())) throw new AppError('ADMIN_DISABLED');
      const account = await accounts.findAccountByName(name);
      // An unknown name costs the same scrypt as a known one.
      const ok = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
      if (!account || !ok || account.disabled_at !== null) throw new AppError('AUTH_INVALID', 'Wrong name or password');
      await accounts.touchLogin(account.id, now());
      return issue(account, null);
    },

    async refresh(refreshToken) {
      const session = await accounts.findSessionByHash(sha256(refreshToken));
      if (!session) throw invalid('Sign in again');
      if (session.revoked_at !== null) {
        // A rotated token presented again: someone else holds a copy. End every session;
        // unless it was rotated a moment ago (two tabs of the panel refreshing at once).
        if (now() - Number(session.revoked_at) > REUSE_GRACE_MS) await accounts.revokeAllSessions(session.account_id, now());
        throw invalid('Sign in again');
      }
      if (session.expires_at <= now()) throw invalid('Sign in again');
      const account = await accounts.findAccount(session.account_id);
      if (!account || account.disabled_at !== null) throw invalid('Sign in again');
      // Only one of two concurrent refreshes with the same token wins.
      if (!(await accounts.revokeSession(session.id, now()))) throw invalid('Sign in again');
      return issue(account, session.id);
    },

    async logout(refreshToken) {
      const session = await accounts.findSessionByHash(sha256(refreshToken));
      if (session) await accounts.revokeSession(session.id, now());
    },

    async verify(token) {
      if (!(await enabled())) throw new AppError('ADMIN_DISABLED');
      let accountId: string;
      try {
        // maxTokenAge makes jose require iat and refuse one in the future or older than the lifetime.
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer,
          audience,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: ttl,
          clockTolerance: CLOCK_TOLERANCE_S,
          currentDate: new Date(now()),
        });
        if (payload.exp! - payload.iat! > ttl) throw new Error('the token outlives the configured lifetime');
        accountId = payload.sub!;
      } catch {
        throw invalid();
      }
      const account = await accounts.findAccount(accountId);
      if (!account || account.disabled_at !== null) throw invalid();
      return principalOf(account);
    },
  };
}

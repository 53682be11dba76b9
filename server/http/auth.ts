/**
 * Request authentication hooks. Players send `Authorization: tma <initData>`; admins send
 * `Authorization: Bearer <jwt>` from POST /admin/login.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { AdminAuth, AdminPrincipal } from '../auth/admin-auth.js';
import type { AdminRole } from '../db/schema.js';
import type { PlayerRow } from '../repositories/players-repository.js';
import type { PlayerService } from '../services/player-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    player: PlayerRow | null;
    /** The signed-in admin account, behind `adminAuth`. */
    admin: AdminPrincipal | null;
  }
}

function credentials(request: FastifyRequest, scheme: string): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme) return null;
  const value = header.slice(space + 1).trim();
  return value === '' ? null : value;
}

/**
 * Callback style on purpose: a Mini App sends the same initData on every call, and a cached
 * one is accepted without a trip through the promise machinery.
 */
/** How young a player counts as new for `onNewPlayer` (its first requests). */
export const NEW_PLAYER_MS = 60_000;

/**
 * `onNewPlayer(ip, playerId, createdAt)` is told of every sign-in that was not cached (a new
 * player's first sign-in never is); it must not throw or wait.
 */
export function playerAuth(players: PlayerService, onNewPlayer?: (ip: string, playerId: string, createdAt: number) => void) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    const initData = credentials(request, 'tma');
    if (initData === null) {
      done(new AppError('AUTH_INVALID', 'Send Authorization: tma <initData>'));
      return;
    }
    const cached = players.authenticateCached(initData);
    if (cached) {
      request.player = cached;
      done(bannedError(cached));
      return;
    }
    players.authenticate(initData).then(
      (player) => {
        request.player = player;
        // Only here (not from the cache): a new player's first sign-in is never cached.
        onNewPlayer?.(request.ip, player.id, Number(player.created_at));
        done(bannedError(player));
      },
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  };
}

/** 403 PLAYER_BANNED for a banned player (bans drop the cached rows of every process). */
function bannedError(player: PlayerRow): AppError | undefined {
  return player.banned_at === null ? undefined : new AppError('PLAYER_BANNED');
}

export function adminAuth(admin: AdminAuth) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!(await admin.enabled())) throw new AppError('ADMIN_DISABLED');
    const token = credentials(request, 'bearer');
    if (token === null) throw new AppError('AUTH_INVALID', 'Send Authorization: Bearer <token>');
    request.admin = await admin.verify(token);
  };
}

/** Roles that may do what the role named allows: an admin may do anything a moderator may. */
const ROLE_RANK: Record<AdminRole, number> = { moderator: 1, admin: 2 };

/** A preHandler (after `adminAuth`) that lets only accounts of `role` or above through. */
export function requireRole(role: AdminRole) {
  return async (request: FastifyRequest): Promise<void> => {
    const admin = requireAdmin(request);
    if (ROLE_RANK[admin.role] < ROLE_RANK[role]) throw new AppError('ADMIN_ROLE_REQUIRED', `Only an ${role} may do this`);
  };
}

/** The signed-in admin; routes behind `adminAuth` always have one. */
export function requireAdmin(request: FastifyRequest): AdminPrincipal {
  if (!request.admin) throw new AppError('AUTH_INVALID');
  return request.admin;
}

/** The authenticated player; routes behind `playerAuth` always have one. */
export function requirePlayer(request: FastifyRequest): PlayerRow {
  if (!request.player) throw new AppError('AUTH_INVALID');
  return request.player;
}

/** What every route file needs: error responses in the OpenAPI schema, and the player-authenticated scope. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { adminAuth, NEW_PLAYER_MS, playerAuth } from './auth.js';
import type { HttpDeps } from './http-deps.js';

/** `{ status: ErrorResponse }` for each status, for a route's `response` schema. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: 'ErrorResponse#' }])) as Record<number, unknown>;

/** The OpenAPI security of player routes: `Authorization: tma <initData>`. */
export const PLAYER_SECURITY = [{ telegramInitData: [] }];

/**
 * Makes `scope` a player scope: every route in it authenticates the Telegram initData first,
 * then counts against the player's request budget, and so declares 429 in its OpenAPI responses.
 */
export function playerScope(scope: FastifyInstance, deps: Pick<HttpDeps, 'players' | 'rateLimits'> & Partial<Pick<HttpDeps, 'fraud' | 'now'>>) {
  const api = scope.withTypeProvider<TypeBoxTypeProvider>();
  api.decorateRequest('player', null);
  const { fraud, now } = deps;
  // New accounts per address: the anti-fraud review flags bursts from one address.
  const onNewPlayer =
    fraud && now ? (ip: string, playerId: string, createdAt: number) => (now() - createdAt < NEW_PLAYER_MS ? fraud.observeNewPlayer(ip, playerId) : undefined) : undefined;
  api.addHook('preHandler', playerAuth(deps.players, onNewPlayer));
  api.addHook('preHandler', deps.rateLimits.api);
  api.addHook('onRoute', (route) => {
    // In place: @fastify/swagger keeps a reference to this schema.
    if (!route.schema) return;
    route.schema.response = { ...errors(429), ...(route.schema.response as Record<number, unknown> | undefined) };
  });
  return api;
}

/** The OpenAPI security of admin routes: `Authorization: Bearer <token>` from POST /admin/login. */
export const ADMIN_SECURITY = [{ adminBearer: [] }];

/**
 * Makes `scope` an admin scope: every route in it verifies the admin's access token and
 * reads the account (`request.admin`); add `requireRole('admin')` for what moderators may not do.
 */
export function adminScope(scope: FastifyInstance, deps: Pick<HttpDeps, 'admin'>) {
  const api = scope.withTypeProvider<TypeBoxTypeProvider>();
  api.decorateRequest('admin', null);
  api.addHook('preHandler', adminAuth(deps.admin));
  return api;
}

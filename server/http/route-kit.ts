/** What every route file needs: error responses in the OpenAPI schema, and the player-authenticated scope. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { playerAuth } from './auth.js';
import type { HttpDeps } from './http-deps.js';

/** `{ status: ErrorResponse }` for each status, for a route's `response` schema. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: 'ErrorResponse#' }])) as Record<number, unknown>;

/** The OpenAPI security of player routes: `Authorization: tma <initData>`. */
export const PLAYER_SECURITY = [{ telegramInitData: [] }];

/** Makes `scope` a player scope: every route in it authenticates the Telegram initData first. */
export function playerScope(scope: FastifyInstance, deps: Pick<HttpDeps, 'players'>) {
  const api = scope.withTypeProvider<TypeBoxTypeProvider>();
  api.decorateRequest('player', null);
  api.addHook('preHandler', playerAuth(deps.players));
  return api;
}

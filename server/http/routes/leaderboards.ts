/** Leaderboard routes under /api/v1: the boards, and a page of one with my own rank (ADR 0015). */
import type { FastifyInstance } from 'fastify';
import { LeaderboardListSchema, LeaderboardParamsSchema, LeaderboardQuerySchema, LeaderboardSchema } from '../../../shared/dto.js';
import { LEADERBOARD_PAGE_MAX } from '../../../shared/leaderboards.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function leaderboardRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);
    const secured = PLAYER_SECURITY;

    api.get(
      '/leaderboards',
      {
        schema: {
          tags: ['leaderboards'],
          summary: 'The leaderboards, the periods each has, and when the current week ends',
          security: secured,
          response: { 200: LeaderboardListSchema, ...errors(401) },
        },
      },
      (request) => {
        requirePlayer(request);
        return deps.leaderboards.list();
      },
    );

    api.get(
      '/leaderboards/:board',
      {
        schema: {
          tags: ['leaderboards'],
          summary:
            'A page of a board (best first; ties share a rank) and my own rank and score, even outside the page (null without a score). ' +
            'Banned and excluded players are left out. A period the board does not have → 400 VALIDATION_FAILED',
          security: secured,
          params: LeaderboardParamsSchema,
          querystring: LeaderboardQuerySchema,
          response: { 200: LeaderboardSchema, ...errors(400, 401) },
        },
      },
      (request) =>
        deps.leaderboards.read(requirePlayer(request).id, request.params.board, {
          period: request.query.period ?? 'all',
          scope: request.query.scope ?? 'global',
          limit: request.query.limit === undefined ? LEADERBOARD_PAGE_MAX : Number(request.query.limit),
          offset: request.query.offset === undefined ? 0 : Number(request.query.offset),
        }),
    );
  };
}

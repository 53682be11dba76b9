/**
 * Admin API on players: bans. A ban needs the admin role; it is audited with its reason.
 */
import type { FastifyInstance } from 'fastify';
import { AdminReasonSchema, BanStateSchema, PlayerParamsSchema } from '../../../shared/dto.js';
import type { BanState } from '../../services/ban-service.js';
import { requireAdmin, requireRole } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

const banDto = (s: BanState) => ({
  playerId: s.playerId,
  banned: s.bannedAt !== null,
  bannedAt: s.bannedAt === null ? null : new Date(s.bannedAt).toISOString(),
  reason: s.reason,
});

export function adminPlayerRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = adminScope(root, deps);
    const adminOnly = requireRole('admin');

    api.post(
      '/players/:playerId/ban',
      {
        schema: {
          tags: ['admin'],
          summary: 'Ban a player: 403 PLAYER_BANNED on every REST call and room join, connections closed at once, pets hidden from friends',
          description: 'Banning a banned player changes nothing (and is not audited again).',
          security: ADMIN_SECURITY,
          params: PlayerParamsSchema,
          body: AdminReasonSchema,
          response: { 200: BanStateSchema, ...errors(400, 401, 403, 404) },
        },
        preHandler: adminOnly,
      },
      async (request) => banDto(await deps.bans.ban(requireAdmin(request), request.params.playerId, request.body.reason, request.ip)),
    );

    api.post(
      '/players/:playerId/unban',
      {
        schema: {
          tags: ['admin'],
          summary: 'Lift a ban: the player signs in and plays again at once',
          security: ADMIN_SECURITY,
          params: PlayerParamsSchema,
          body: AdminReasonSchema,
          response: { 200: BanStateSchema, ...errors(400, 401, 403, 404) },
        },
        preHandler: adminOnly,
      },
      async (request) => banDto(await deps.bans.unban(requireAdmin(request), request.params.playerId, request.body.reason, request.ip)),
    );
  };
}

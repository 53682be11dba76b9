/**
 * Admin API on players: search and a player's page (moderators too), bans and coins (the
 * admin role), renaming a pet (moderators too). Every change is audited with its reason.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  AdminCoinsBodySchema,
  AdminCoinsResultSchema,
  AdminLeaderboardExclusionResultSchema,
  AdminLeaderboardExclusionSchema,
  AdminPlayerPageQuerySchema,
  AdminPlayerPageSchema,
  AdminPlayerSearchQuerySchema,
  AdminPlayerSearchSchema,
  AdminReasonSchema,
  AdminRenamePetSchema,
  BanStateSchema,
  PetParamsSchema,
  PetSchema,
  PlayerParamsSchema,
} from '../../../shared/dto.js';
import { AppError } from '../../../shared/errors.js';
import type { BanState } from '../../services/ban-service.js';
import { requireAdmin, requireRole } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: '1-128 characters of A-Z a-z 0-9 _ . : -, one per grant or take you mean to make (or `idempotencyKey` in the body)' }),
  ),
});

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

    api.get(
      '/players',
      {
        schema: {
          tags: ['admin'],
          summary: 'Search players by Telegram id, invite code (exact), username or pet name (prefix, case-insensitive)',
          description:
            'Exact matches come first, then usernames, then pet names, each in index order; `matchedBy` says which. ' +
            'A player found twice on one page is listed once. Page on with `cursor` = `nextCursor`.',
          security: ADMIN_SECURITY,
          querystring: AdminPlayerSearchQuerySchema,
          response: { 200: AdminPlayerSearchSchema, ...errors(400, 401, 403) },
        },
      },
      (request) => deps.adminPlayers.search(request.query.q, request.query.limit ? Number(request.query.limit) : 20, request.query.cursor),
    );

    api.get(
      '/players/:playerId',
      {
        schema: {
          tags: ['admin'],
          summary: "A player's page: profile and ban, pets with their pictures, inventory, wallet entries, Stars orders and payments, friends, notifications",
          description: 'Payments carry their charge ids for POST /admin/stars/payments/:chargeId/refund.',
          security: ADMIN_SECURITY,
          params: PlayerParamsSchema,
          querystring: AdminPlayerPageQuerySchema,
          response: { 200: AdminPlayerPageSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.adminPlayers.page(request.params.playerId, request.query.ledgerLimit ? Number(request.query.ledgerLimit) : 50),
    );

    api.post(
      '/players/:playerId/coins',
      {
        schema: {
          tags: ['admin'],
          summary: 'Grant (amount > 0) or take (amount < 0) coins with a reason: one ledger transaction, audited',
          description:
            'Idempotency-Key header (or `idempotencyKey`) required: the same key again changes nothing (200, `replayed`); with another amount → 422 IDEMPOTENCY_KEY_REUSED. ' +
            'A grant pays the player’s debt first. A take never takes the wallet below zero → 409 INSUFFICIENT_FUNDS. The player’s room shows the new balance.',
          security: ADMIN_SECURITY,
          params: PlayerParamsSchema,
          headers: IdempotencyHeaders,
          body: AdminCoinsBodySchema,
          response: { 201: AdminCoinsResultSchema, 200: AdminCoinsResultSchema, ...errors(400, 401, 403, 404, 409, 422) },
        },
        preHandler: adminOnly,
      },
      async (request, reply) => {
        const header = request.headers['idempotency-key'];
        const key = header ?? request.body.idempotencyKey;
        if (header !== undefined && request.body.idempotencyKey !== undefined && header !== request.body.idempotencyKey) {
          throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key header and idempotencyKey differ');
        }
        const result = await deps.adminPlayers.adjustCoins(requireAdmin(request), request.params.playerId, request.body.amount, request.body.reason, key, request.ip);
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    );

    api.post(
      '/pets/:petId/rename',
      {
        schema: {
          tags: ['admin'],
          summary: "Rename a pet (the adoption's name rules and word filter); the owner's room shows it at once; audited",
          description: 'A name the filter refuses → 400 NAME_REJECTED; an invalid one → 400 NAME_INVALID.',
          security: ADMIN_SECURITY,
          params: PetParamsSchema,
          body: AdminRenamePetSchema,
          response: { 200: PetSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.adminPlayers.renamePet(requireAdmin(request), request.params.petId, request.body.name, request.body.reason, request.ip),
    );

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

    api.post(
      '/players/:playerId/leaderboards',
      {
        schema: {
          tags: ['admin'],
          summary: 'Remove a player from every leaderboard (`excluded: true`) or put them back (`false`), audited',
          description:
            'Scores are kept (and keep being recorded), so putting a player back restores every board. A banned player stays hidden until unbanned. ' +
            'Asking for what already is changes nothing (`changed: false`, not audited). Moderators and admins.',
          security: ADMIN_SECURITY,
          params: PlayerParamsSchema,
          body: AdminLeaderboardExclusionSchema,
          response: { 200: AdminLeaderboardExclusionResultSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.adminPlayers.setLeaderboardExcluded(requireAdmin(request), request.params.playerId, request.body.excluded, request.body.reason, request.ip),
    );
  };
}

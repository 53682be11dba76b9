/**
 * Admin API of moderation and the anti-fraud review (docs/moderation.md). Moderators and
 * admins may do everything here except a `ban` decision, which needs the admin role. Every
 * action is audited in the transaction of its change.
 */
import type { FastifyInstance } from 'fastify';
import {
  AdminReasonSchema,
  FraudDecisionResultSchema,
  FraudDecisionSchema,
  FraudFlagListSchema,
  FraudFlagParamsSchema,
  FraudFlagQuerySchema,
  ImageParamsSchema,
  ModerationPetParamsSchema,
  ModerationQueueQuerySchema,
  ModerationQueueSchema,
  ModerationResultSchema,
  NameAttemptParamsSchema,
  ReportParamsSchema,
  UnhidePictureSchema,
} from '../../../shared/dto.js';
import { requireAdmin } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

/** `<epoch ms>:<id>` → a cursor. */
function cursorOf(value: string | undefined): { at: number; id: string } | undefined {
  if (!value) return undefined;
  const colon = value.indexOf(':');
  return { at: Number(value.slice(0, colon)), id: value.slice(colon + 1) };
}

export function adminModerationRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = adminScope(root, deps);
    const secured = ADMIN_SECURITY;
    const tags = ['admin', 'moderation'];

    api.get(
      '/moderation/queue',
      {
        schema: {
          tags,
          summary: 'The moderation queue: reports grouped per pet (newest report first), or names the word filter refused',
          security: secured,
          querystring: ModerationQueueQuerySchema,
          response: { 200: ModerationQueueSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const q = request.query;
        const before = cursorOf(q.cursor);
        return deps.moderation.queue({
          status: q.status ?? 'open',
          kind: q.kind ?? 'report',
          limit: q.limit ? Number(q.limit) : 50,
          ...(before ? { before } : {}),
        });
      },
    );

    api.get(
      '/images/:imageId',
      {
        schema: {
          tags,
          summary: 'The bytes of any stored picture, hidden ones included (to judge an appeal); never cached',
          description: "Moderators and admins, with the Bearer token (the panel fetches it into an object URL). The public GET /api/v1/images/:imageId keeps refusing hidden pictures.",
          security: secured,
          params: ImageParamsSchema,
          produces: ['image/svg+xml', 'image/png', 'image/jpeg', 'image/webp'],
          response: { ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const image = await deps.images.bytesForModeration(request.params.imageId);
        return reply.header('cache-control', 'private, no-store').header('x-image-hidden', String(image.hidden)).type(image.mime).send(image.body);
      },
    );

    api.post(
      '/moderation/pets/:petId/hide-picture',
      {
        schema: {
          tags,
          summary: "Hide the pet's current picture: it shows its procedural picture instead; the bytes are kept for an appeal",
          description: "Resolves the pet's open picture reports. 409 NO_PICTURE_TO_HIDE when the pet shows no picture (or only its procedural stand-in).",
          security: secured,
          params: ModerationPetParamsSchema,
          body: AdminReasonSchema,
          response: { 200: ModerationResultSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      (request) => deps.moderation.hidePicture(requireAdmin(request), request.params.petId, request.body.reason, request.ip),
    );

    api.post(
      '/moderation/pets/:petId/unhide-picture',
      {
        schema: {
          tags,
          summary: 'An appeal: show a hidden picture again (the newest hidden one unless imageId names one)',
          security: secured,
          params: ModerationPetParamsSchema,
          body: UnhidePictureSchema,
          response: { 200: ModerationResultSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      (request) => deps.moderation.unhidePicture(requireAdmin(request), request.params.petId, request.body.reason, request.ip, request.body.imageId),
    );

    api.post(
      '/moderation/pets/:petId/dismiss',
      {
        schema: {
          tags,
          summary: 'Dismiss every open report of a pet (after renaming it, or when they are unfounded)',
          security: secured,
          params: ModerationPetParamsSchema,
          body: AdminReasonSchema,
          response: { 200: ModerationResultSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.moderation.dismissPetReports(requireAdmin(request), request.params.petId, request.body.reason, request.ip),
    );

    api.post(
      '/moderation/reports/:reportId/dismiss',
      {
        schema: {
          tags,
          summary: 'Dismiss one report (dismissing a resolved one changes nothing: resolvedReports 0)',
          security: secured,
          params: ReportParamsSchema,
          body: AdminReasonSchema,
          response: { 200: ModerationResultSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.moderation.dismissReport(requireAdmin(request), request.params.reportId, request.body.reason, request.ip),
    );

    api.post(
      '/moderation/names/:attemptId/dismiss',
      {
        schema: {
          tags,
          summary: 'Mark a refused name as seen',
          security: secured,
          params: NameAttemptParamsSchema,
          body: AdminReasonSchema,
          response: { 200: ModerationResultSchema, ...errors(400, 401, 403, 404) },
        },
      },
      (request) => deps.moderation.resolveNameAttempt(requireAdmin(request), request.params.attemptId, request.body.reason, request.ip),
    );

    api.get(
      '/fraud/flags',
      {
        schema: {
          tags: ['admin', 'fraud'],
          summary: 'Anti-fraud flags raised by the game, most recently seen first, with their evidence',
          security: secured,
          querystring: FraudFlagQuerySchema,
          response: { 200: FraudFlagListSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const q = request.query;
        const before = cursorOf(q.cursor);
        return deps.fraud.list({
          status: q.status ?? 'open',
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.playerId ? { playerId: q.playerId } : {}),
          limit: q.limit ? Number(q.limit) : 50,
          ...(before ? { before } : {}),
        });
      },
    );

    api.post(
      '/fraud/flags/:flagId/decide',
      {
        schema: {
          tags: ['admin', 'fraud'],
          summary: 'Decide a flag: clear, warn (a bot message), ban (admins only) or exclude from the leaderboards',
          description: 'A decided flag answers 409 FLAG_DECIDED. ban by a moderator: 403 ADMIN_ROLE_REQUIRED.',
          security: secured,
          params: FraudFlagParamsSchema,
          body: FraudDecisionSchema,
          response: { 200: FraudDecisionResultSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      (request) => deps.fraud.decide(requireAdmin(request), request.params.flagId, request.body.decision, request.body.reason, request.ip),
    );
  };
}

/**
 * Admin API on promotions: list and preview (moderators too), create, edit and end early
 * (the admin role). Every change is audited; the shop of every process picks it up at once.
 */
import type { FastifyInstance } from 'fastify';
import {
  AdminPromotionCreateSchema,
  AdminPromotionEndSchema,
  AdminPromotionListSchema,
  AdminPromotionPatchSchema,
  AdminPromotionPreviewBodySchema,
  AdminPromotionPreviewSchema,
  AdminPromotionSchema,
  PromotionParamsSchema,
} from '../../../shared/dto.js';
import { requireAdmin, requireRole } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

const RULES =
  'Rules (400 VALIDATION_FAILED): title 1–80 characters, discount 1–90 %, exactly one of itemId (sold in the shop) and kind, ' +
  'endsAt in the future and after startsAt, at most 90 days long; a startsAt in the past means now.';

export function adminPromotionRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = adminScope(root, deps);
    const adminOnly = requireRole('admin');
    const secured = ADMIN_SECURITY;

    api.get(
      '/promotions',
      {
        schema: {
          tags: ['admin'],
          summary: 'Every promotion, newest first, with its status (scheduled, running, ended)',
          security: secured,
          response: { 200: AdminPromotionListSchema, ...errors(401, 403) },
        },
      },
      async () => ({ items: await deps.promotions.list() }),
    );

    api.post(
      '/promotions/preview',
      {
        schema: {
          tags: ['admin'],
          summary: 'The prices players would see with a draft promotion: every affected item, stage and price variant',
          description: 'Priced by the shop itself, with the promotions running now (the best discount applies). Pass promotionId to preview an edit of it. ' + RULES,
          security: secured,
          body: AdminPromotionPreviewBodySchema,
          response: { 200: AdminPromotionPreviewSchema, ...errors(400, 401, 403) },
        },
      },
      (request) => deps.promotions.preview(request.body),
    );

    api.post(
      '/promotions',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a promotion (the shop shows it from its start, in every process)',
          description: RULES,
          security: secured,
          body: AdminPromotionCreateSchema,
          response: { 201: AdminPromotionSchema, ...errors(400, 401, 403) },
        },
        preHandler: adminOnly,
      },
      async (request, reply) => reply.code(201).send(await deps.promotions.create(requireAdmin(request), request.body, request.ip)),
    );

    api.patch(
      '/promotions/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Edit a scheduled or running promotion',
          description: `Fields left out keep their value; giving itemId or kind replaces the target. An ended promotion → 409 PROMOTION_ENDED. ${RULES}`,
          security: secured,
          params: PromotionParamsSchema,
          body: AdminPromotionPatchSchema,
          response: { 200: AdminPromotionSchema, ...errors(400, 401, 403, 404, 409) },
        },
        preHandler: adminOnly,
      },
      (request) => deps.promotions.update(requireAdmin(request), request.params.id, request.body, request.ip),
    );

    api.post(
      '/promotions/:id/end',
      {
        schema: {
          tags: ['admin'],
          summary: 'End a promotion now (a scheduled one never starts)',
          security: secured,
          params: PromotionParamsSchema,
          body: AdminPromotionEndSchema,
          response: { 200: AdminPromotionSchema, ...errors(400, 401, 403, 404, 409) },
        },
        preHandler: adminOnly,
      },
      (request) => deps.promotions.end(requireAdmin(request), request.params.id, request.body.reason ?? null, request.ip),
    );
  };
}

/** Admin API: login, the live room inspector, image experiments, and Stars payments (refunds, reconciliation). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AdminLoginSchema,
  AdminRoomDetailSchema,
  AdminRoomListSchema,
  AdminTokenSchema,
  ChargeParamsSchema,
  ExperimentListSchema,
  ExperimentQuerySchema,
  ReconciliationSchema,
  RefundResultSchema,
  StarPaymentListSchema,
  StarPaymentQuerySchema,
} from '../../../shared/dto.js';
import { AppError } from '../../../shared/errors.js';
import { adminAuth } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors } from '../route-kit.js';

export function adminRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/login',
      {
        schema: {
          tags: ['admin'],
          summary: 'Exchange the admin password for a short-lived token',
          description: 'Attempts are limited per client address (RATE_LIMIT_ADMIN_LOGIN_MAX per RATE_LIMIT_ADMIN_LOGIN_WINDOW_S, right or wrong); past that, 429 until the window ends.',
          body: AdminLoginSchema,
          response: { 200: AdminTokenSchema, ...errors(400, 401, 403, 429) },
        },
        // Before the body is read: a locked-out address costs a counter increment and nothing else.
        onRequest: deps.rateLimits.adminLogin,
      },
      (request) => deps.admin.login(request.body.password),
    );

    app.register(async (authed) => {
      const api = authed.withTypeProvider<TypeBoxTypeProvider>();
      api.addHook('preHandler', adminAuth(deps.admin));
      const secured = [{ adminBearer: [] }];

      api.get(
        '/rooms',
        {
          schema: {
            tags: ['admin'],
            summary: 'Home rooms of every process of the cluster (of this one without REDIS_URL)',
            security: secured,
            response: { 200: AdminRoomListSchema, ...errors(401, 403) },
          },
        },
        () => deps.roomInspector.list(),
      );

      api.get(
        '/stars/payments',
        {
          schema: {
            tags: ['admin'],
            summary: 'Stars payments, newest first (optionally of one player)',
            security: secured,
            querystring: StarPaymentQuerySchema,
            response: { 200: StarPaymentListSchema, ...errors(400, 401, 403) },
          },
        },
        async (request) => {
          const rows = await deps.stars.payments(request.query.limit ? Number(request.query.limit) : 50, request.query.playerId);
          return {
            items: rows.map((p) => ({
              chargeId: p.charge_id,
              orderId: p.order_id,
              playerId: p.player_id,
              telegramId: p.telegram_id,
              stars: p.amount,
              payload: p.payload,
              createdAt: new Date(p.created_at).toISOString(),
              refundedAt: p.refunded_at === null ? null : new Date(p.refunded_at).toISOString(),
            })),
          };
        },
      );

      api.post(
        '/stars/payments/:chargeId/refund',
        {
          schema: {
            tags: ['admin'],
            summary: 'Refund a Stars payment (refundStarPayment), reverse its entries and take back the grant (idempotent)',
            description: 'What was already spent becomes the player’s debt, paid back from later earnings.',
            security: secured,
            params: ChargeParamsSchema,
            response: { 200: RefundResultSchema, ...errors(400, 401, 403, 404, 503) },
          },
        },
        async (request) => {
          const outcome = await deps.stars.refund(request.params.chargeId);
          request.log.info({ chargeId: outcome.chargeId, alreadyRefunded: outcome.alreadyRefunded }, 'admin refunded a stars payment');
          return outcome;
        },
      );

      api.post(
        '/stars/reconcile',
        {
          schema: {
            tags: ['admin'],
            summary: 'Compare getStarTransactions with the recorded payments now and report differences',
            security: secured,
            response: { 200: ReconciliationSchema, ...errors(401, 403, 503) },
          },
        },
        () => deps.stars.reconcile(),
      );

      api.get(
        '/images/experiments',
        {
          schema: {
            tags: ['admin'],
            summary: 'Image generation attempts (model, preset, prompts, seed, duration, outcome), newest first',
            security: secured,
            querystring: ExperimentQuerySchema,
            response: { 200: ExperimentListSchema, ...errors(400, 401, 403) },
          },
        },
        async (request) => {
          const rows = await deps.images.experiments({
            ...(request.query.imageId ? { imageId: request.query.imageId } : {}),
            ...(request.query.outcome ? { outcome: request.query.outcome } : {}),
            limit: request.query.limit ? Number(request.query.limit) : 50,
          });
          return {
            items: rows.map((r) => ({
              id: r.id,
              imageId: r.image_id,
              attempt: r.attempt,
              provider: r.provider,
              model: r.model,
              preset: r.preset,
              prompt: r.prompt,
              negativePrompt: r.negative_prompt,
              seed: r.seed,
              durationMs: r.duration_ms,
              outcome: r.outcome,
              error: r.error,
              createdAt: new Date(r.created_at).toISOString(),
            })),
          };
        },
      );

      api.get(
        '/rooms/:roomId',
        {
          schema: {
            tags: ['admin'],
            summary: "A room's state, its clients, the sim's live component values for its pets and the last tick (from the process that holds it)",
            security: secured,
            params: Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) }),
            response: { 200: AdminRoomDetailSchema, ...errors(401, 403, 404) },
          },
        },
        async (request) => {
          const detail = await deps.roomInspector.detail(request.params.roomId);
          if (!detail) throw new AppError('ROOM_NOT_FOUND');
          return detail;
        },
      );
    });
  };
}

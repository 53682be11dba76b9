/**
 * Admin API: sign-in (access token + rotating refresh cookie), the account, the audit log,
 * the live room inspector, image experiments, and Stars payments (refunds, reconciliation).
 * Moderators may read everything here; refunds and reconciliation need the admin role.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AdminAccountSchema,
  AdminLoginSchema,
  AdminRoomDetailSchema,
  AdminRoomListSchema,
  AdminTokenSchema,
  AuditListSchema,
  AuditQuerySchema,
  ChargeParamsSchema,
  ExperimentListSchema,
  ExperimentQuerySchema,
  ReconciliationSchema,
  RefundResultSchema,
  StarPaymentListSchema,
  StarPaymentQuerySchema,
} from '../../../shared/dto.js';
import { AppError } from '../../../shared/errors.js';
import type { AdminSignIn } from '../../auth/admin-auth.js';
import { BOOTSTRAP_ADMIN_NAME } from '../../auth/admin-auth.js';
import { requireAdmin, requireRole } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

/** The refresh token's cookie: HttpOnly, only sent to the refresh and logout routes. */
const REFRESH_COOKIE = 'telepets_admin_refresh';
const REFRESH_PATH = '/admin/auth';

function refreshCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // Secure whenever the panel is served over https (directly or behind a proxy that says so).
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${REFRESH_COOKIE}=${value}; Path=${REFRESH_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

function cookieValue(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

function signedIn(request: FastifyRequest, reply: FastifyReply, session: AdminSignIn): AdminSignIn {
  void reply.header('set-cookie', refreshCookie(request, session.refreshToken, session.refreshExpiresInSeconds));
  void reply.header('cache-control', 'no-store');
  return session;
}

export function adminRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/login',
      {
        schema: {
          tags: ['admin'],
          summary: 'Sign in with an account name and password: a short-lived access token and a refresh token',
          description:
            'Without `name`, the account `admin` (the one ADMIN_PASSWORD creates). The refresh token also comes as an HttpOnly cookie for POST /admin/auth/refresh. ' +
            'Attempts are limited per client address (RATE_LIMIT_ADMIN_LOGIN_MAX per RATE_LIMIT_ADMIN_LOGIN_WINDOW_S, right or wrong); past that, 429 until the window ends.',
          body: AdminLoginSchema,
          response: { 200: AdminTokenSchema, ...errors(400, 401, 403, 429) },
        },
        // Before the body is read: a locked-out address costs a counter increment and nothing else.
        onRequest: deps.rateLimits.adminLogin,
      },
      async (request, reply) => {
        const session = await deps.admin.login(request.body.name ?? BOOTSTRAP_ADMIN_NAME, request.body.password);
        request.log.info({ admin: session.account.name }, 'admin signed in');
        return signedIn(request, reply, session);
      },
    );

    app.post(
      '/auth/refresh',
      {
        schema: {
          tags: ['admin'],
          summary: 'A new access token for the refresh token cookie; the refresh token is rotated',
          description:
            'Send the `telepets_admin_refresh` cookie set by POST /admin/login (scripts: `Cookie: telepets_admin_refresh=<refreshToken>`). ' +
            'A refresh token is good once; presenting a used one again (later than a few seconds) ends every session of the account.',
          response: { 200: AdminTokenSchema, ...errors(401) },
        },
        // Not counted against the login limit: a 256-bit token cannot be guessed, and a refresh
        // is one indexed lookup.
      },
      async (request, reply) => {
        const token = cookieValue(request, REFRESH_COOKIE);
        if (!token) throw new AppError('AUTH_INVALID', 'Sign in again');
        return signedIn(request, reply, await deps.admin.refresh(token));
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['admin'],
          summary: 'End this session: the refresh token (cookie) stops working and the cookie is cleared',
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const token = cookieValue(request, REFRESH_COOKIE);
        if (token) await deps.admin.logout(token);
        return reply.header('set-cookie', refreshCookie(request, '', 0)).code(204).send(null);
      },
    );

    app.register(async (authed) => {
      const api = adminScope(authed, deps);
      const secured = ADMIN_SECURITY;
      const adminOnly = requireRole('admin');

      api.get(
        '/me',
        {
          schema: {
            tags: ['admin'],
            summary: 'The signed-in account and its role',
            security: secured,
            response: { 200: AdminAccountSchema, ...errors(401, 403) },
          },
        },
        (request) => requireAdmin(request),
      );

      api.get(
        '/audit',
        {
          schema: {
            tags: ['admin'],
            summary: 'The audit log, newest first: who did what to what, with the state before and after',
            security: secured,
            querystring: AuditQuerySchema,
            response: { 200: AuditListSchema, ...errors(400, 401, 403) },
          },
        },
        async (request) => {
          const q = request.query;
          const limit = q.limit ? Number(q.limit) : 50;
          const cursor = q.before ? { at: Number(q.before.slice(0, q.before.indexOf(':'))), id: q.before.slice(q.before.indexOf(':') + 1) } : undefined;
          const rows = await deps.adminRepo.audit({
            ...(q.actorId ? { actorId: q.actorId } : {}),
            ...(q.action ? { action: q.action } : {}),
            ...(q.targetId ? { targetId: q.targetId } : {}),
            ...(cursor ? { before: cursor } : {}),
            limit,
          });
          const last = rows.at(-1);
          return {
            items: rows.map((r) => ({
              id: r.id,
              at: new Date(Number(r.at)).toISOString(),
              actorId: r.actor_id,
              actorName: r.actor_name,
              action: r.action,
              targetType: r.target_type,
              targetId: r.target_id,
              reason: r.reason,
              before: r.before === null ? null : (JSON.parse(r.before) as unknown),
              after: r.after === null ? null : (JSON.parse(r.after) as unknown),
              ip: r.ip,
            })),
            nextBefore: rows.length === limit && last ? `${Number(last.at)}:${last.id}` : null,
          };
        },
      );

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
          preHandler: adminOnly,
        },
        async (request) => {
          const admin = requireAdmin(request);
          const outcome = await deps.stars.refund(request.params.chargeId);
          request.log.info({ chargeId: outcome.chargeId, alreadyRefunded: outcome.alreadyRefunded, admin: admin.name }, 'admin refunded a stars payment');
          if (!outcome.alreadyRefunded) {
            await deps.adminRepo.record(
              { actor: admin, action: 'stars.refund', targetType: 'stars_payment', targetId: outcome.chargeId, after: outcome, ip: request.ip },
              deps.now(),
            );
          }
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
          preHandler: adminOnly,
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

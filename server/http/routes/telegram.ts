/**
 * POST /telegram/webhook: Telegram's updates for the bot. The secret token header is checked
 * before anything else (wrong or missing → 401, nothing read or written). Handler errors
 * answer 5xx, so Telegram delivers the update again; a bot not ready yet answers 503.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../shared/errors.js';
import type { HttpDeps } from '../http-deps.js';
import { errors } from '../route-kit.js';

const UpdateSchema = Type.Object(
  { update_id: Type.Integer({ minimum: 0 }) },
  { additionalProperties: true, description: 'A Telegram Update object (https://core.telegram.org/bots/api#update)' },
);

function secretMatches(given: string | string[] | undefined, expected: string | null): boolean {
  if (expected === null || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function telegramRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/telegram/webhook',
      {
        schema: {
          tags: ['telegram'],
          summary: 'Telegram bot updates (set as the bot webhook with a secret token)',
          headers: Type.Object({ 'x-telegram-bot-api-secret-token': Type.Optional(Type.String()) }),
          body: UpdateSchema,
          response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 500, 503) },
        },
        // Before body parsing and validation: an unauthenticated caller learns nothing.
        onRequest: async (request) => {
          if (!secretMatches(request.headers['x-telegram-bot-api-secret-token'], deps.telegram.webhookSecret)) {
            deps.metrics.telegramUpdates.inc({ kind: 'unknown', outcome: 'unauthorized' });
            throw new AppError('WEBHOOK_SECRET_INVALID');
          }
        },
      },
      async (request) => {
        const bot = deps.telegram.bot();
        if (!bot?.ready) throw new AppError('NOT_READY', 'The bot is starting; Telegram will deliver this update again');
        await bot.handleUpdate(request.body);
        return { ok: true };
      },
    );
  };
}

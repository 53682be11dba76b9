/** Shop routes under /api/v1: the catalog with current prices, and purchases with coins. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PurchaseBodySchema, PurchaseResultSchema, ShopSchema } from '../../../shared/dto.js';
import { AppError } from '../../../shared/errors.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Required: 1-128 characters of A-Z a-z 0-9 _ . : -, unique per purchase you mean to make' }),
  ),
});

export function shopRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);
    const secured = PLAYER_SECURITY;

    api.get(
      '/shop',
      {
        schema: {
          tags: ['shop'],
          summary: 'Items for coins and Stars products with my current prices, promotions and balances',
          security: secured,
          response: { 200: ShopSchema, ...errors(401) },
        },
      },
      (request) => deps.shop.catalog(requirePlayer(request).id),
    );

    api.post(
      '/shop/purchases',
      {
        schema: {
          tags: ['shop'],
          summary: 'Buy an item with coins (Idempotency-Key header required; a replay returns the first purchase)',
          description:
            'Coins move and items are granted in one transaction. Not enough coins → 409 INSUFFICIENT_FUNDS; ' +
            'a skin already owned → 409 ALREADY_OWNED; the same key with another item or quantity → 422 IDEMPOTENCY_KEY_REUSED.',
          security: secured,
          headers: IdempotencyHeaders,
          body: PurchaseBodySchema,
          response: { 201: PurchaseResultSchema, 200: PurchaseResultSchema, ...errors(400, 401, 404, 409, 422) },
        },
        preHandler: deps.rateLimits.purchases,
      },
      async (request, reply) => {
        const player = requirePlayer(request);
        let result;
        try {
          result = await deps.shop.purchase(player.id, request.body.itemId, request.body.quantity ?? 1, request.headers['idempotency-key']);
        } catch (err) {
          // shop_purchases_total by outcome: the refusal's code (anything else is INTERNAL).
          deps.metrics.purchases.inc({ outcome: err instanceof AppError ? err.code : 'INTERNAL' });
          throw err;
        }
        deps.metrics.purchases.inc({ outcome: result.replayed ? 'replayed' : 'ok' });
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    );
  };
}

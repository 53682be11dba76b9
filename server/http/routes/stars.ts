/** Telegram Stars routes under /api/v1: create an invoice for a product, follow an order. */
import type { FastifyInstance } from 'fastify';
import { CreateInvoiceBodySchema, OrderParamsSchema, StarsInvoiceSchema, StarsOrderSchema } from '../../../shared/dto.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function starsRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);
    const secured = PLAYER_SECURITY;

    api.post(
      '/stars/invoices',
      {
        schema: {
          tags: ['stars'],
          summary: 'Create a pending order and its Stars invoice link (open it with Telegram.WebApp.openInvoice)',
          security: secured,
          body: CreateInvoiceBodySchema,
          response: { 201: StarsInvoiceSchema, ...errors(400, 401, 404, 409, 503) },
        },
        preHandler: deps.rateLimits.invoices,
      },
      async (request, reply) => reply.code(201).send(await deps.stars.createInvoice(requirePlayer(request), request.body.productId)),
    );

    api.get(
      '/stars/orders/:orderId',
      {
        schema: {
          tags: ['stars'],
          summary: 'One of my orders: pending, paid or refunded',
          security: secured,
          params: OrderParamsSchema,
          response: { 200: StarsOrderSchema, ...errors(400, 401, 404) },
        },
      },
      (request) => deps.stars.order(requirePlayer(request).id, request.params.orderId),
    );
  };
}

/** Collection book routes under /api/v1 (ADR 0017): my book, and claiming a complete set's reward. */
import type { FastifyInstance } from 'fastify';
import { CollectionClaimSchema, CollectionSchema, CollectionSetParamsSchema } from '../../../shared/dto.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function collectionRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);
    const secured = PLAYER_SECURITY;

    api.get(
      '/collection',
      {
        schema: {
          tags: ['collection'],
          summary: 'My collection book: every skin by rarity and season, owned or how to get it, and the sets with their rewards',
          security: secured,
          response: { 200: CollectionSchema, ...errors(401) },
        },
      },
      (request) => deps.collection.book(requirePlayer(request).id),
    );

    api.post(
      '/collection/sets/:setId/claim',
      {
        schema: {
          tags: ['collection'],
          summary: "Collect a complete set's one-time coin reward",
          description:
            'Paid once through the ledger, even when claimed many times at once. A skin of the set missing → 409 SET_INCOMPLETE; ' +
            'claimed before (or by a concurrent request) → 409 ALREADY_CLAIMED; no such set → 404 SET_NOT_FOUND. A refusal writes nothing.',
          security: secured,
          params: CollectionSetParamsSchema,
          response: { 200: CollectionClaimSchema, ...errors(400, 401, 404, 409) },
        },
        preHandler: deps.rateLimits.purchases,
      },
      (request) => deps.collection.claim(requirePlayer(request).id, request.params.setId),
    );
  };
}

/** Pet image routes: listing, current picture, regenerate / re-run, and the bytes themselves. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { STAGES } from '../../../shared/balance.js';
import {
  ImageListSchema,
  ImageParamsSchema,
  ImageSchema,
  PetParamsSchema,
  RegenerateBodySchema,
  RerunBodySchema,
  StageQuerySchema,
} from '../../../shared/dto.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

const stageIndex = (stage: string | undefined) => (stage === undefined ? undefined : STAGES.indexOf(stage as (typeof STAGES)[number]));

/** Registered under /api/v1. The bytes route needs no auth: an <img> cannot send headers, and ids are unguessable. */
export function imageRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/images/:imageId',
      {
        schema: {
          tags: ['images'],
          summary: 'The image bytes (immutable: cache forever; If-None-Match → 304)',
          params: ImageParamsSchema,
          produces: ['image/svg+xml', 'image/png', 'image/jpeg', 'image/webp'],
          response: { ...errors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const image = await deps.images.bytes(request.params.imageId);
        void reply.header('etag', image.etag).header('cache-control', 'public, max-age=31536000, immutable');
        if (request.headers['if-none-match'] === image.etag) return reply.code(304).send();
        return reply.type(image.mime).send(image.body);
      },
    );

    app.register(async (authed) => {
      const api = playerScope(authed, deps);
      const secured = PLAYER_SECURITY;

      api.get(
        '/pets/:petId/images',
        {
          schema: {
            tags: ['images'],
            summary: "A pet's images, newest first, with status and metadata (owner or friend)",
            security: secured,
            params: PetParamsSchema,
            response: { 200: ImageListSchema, ...errors(400, 401, 403, 404) },
          },
        },
        async (request) => ({ items: await deps.images.list(requirePlayer(request).id, request.params.petId) }),
      );

      api.get(
        '/pets/:petId/images/current',
        {
          schema: {
            tags: ['images'],
            summary: "The ready picture of a stage (the pet's current stage by default)",
            security: secured,
            params: PetParamsSchema,
            querystring: StageQuerySchema,
            response: { 200: ImageSchema, ...errors(400, 401, 403, 404) },
          },
        },
        (request) => deps.images.current(requirePlayer(request).id, request.params.petId, stageIndex(request.query.stage)),
      );

      api.post(
        '/pets/:petId/images/regenerate',
        {
          schema: {
            tags: ['images'],
            summary: 'A new picture with a fresh seed (limited per player: in flight and per day)',
            security: secured,
            params: PetParamsSchema,
            body: RegenerateBodySchema,
            response: { 202: ImageSchema, ...errors(400, 401, 403, 404, 429, 503) },
          },
          preHandler: deps.rateLimits.imageRequests,
        },
        async (request, reply) => {
          const image = await deps.images.regenerate(requirePlayer(request).id, request.params.petId, stageIndex(request.body.stage));
          return reply.code(202).send(image);
        },
      );

      api.post(
        '/pets/:petId/images/rerun',
        {
          schema: {
            tags: ['images'],
            summary: 'The picture of a stored seed again (the procedural provider gives the same bytes)',
            security: secured,
            params: PetParamsSchema,
            body: RerunBodySchema,
            response: { 202: ImageSchema, ...errors(400, 401, 403, 404, 429, 503) },
          },
          preHandler: deps.rateLimits.imageRequests,
        },
        async (request, reply) => {
          const image = await deps.images.rerun(requirePlayer(request).id, request.params.petId, request.body.seed, stageIndex(request.body.stage));
          return reply.code(202).send(image);
        },
      );
    });
  };
}

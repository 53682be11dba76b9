/**
 * Share cards, share links and the public share page (ADR 0018).
 *
 * - `GET /api/v1/pets/:petId/card.png?format=&v=`: public like the image bytes (an <img> and
 *   Telegram's servers send no auth; pet ids are unguessable). With `v` the current content
 *   hash: immutable, ETag, If-None-Match → 304; otherwise a redirect to the current URL.
 * - `GET /api/v1/pets/:petId/share`, `POST /api/v1/pets/:petId/share/prepared`: the owner's.
 * - `GET /p/:shareCode`: the public HTML page (registered without the /api/v1 prefix).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CardQuerySchema, PetParamsSchema, PreparedShareSchema, ShareCodeParamsSchema, ShareInfoSchema } from '../../../shared/dto.js';
import { languageFromHeader, shareNotFoundHtml, sharePageCsp, sharePageHtml } from '../../cards/share-page.js';
import { cardPath } from '../../services/card-service.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * Where absolute share URLs point: PUBLIC_URL, or (when it is unset: development) the
 * origin the request came to, its Host checked against a strict pattern.
 */
export function publicBaseUrl(deps: Pick<HttpDeps, 'config'>, request: FastifyRequest): string {
  if (deps.config.telegram.publicUrl) return deps.config.telegram.publicUrl;
  const host = HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol === 'https' ? 'https' : 'http'}://${host}`;
}

const HtmlPage = Type.String({ description: 'text/html' });
/** OpenAPI only (loosely typed, as `errors()`): the redirect to the current card. */
const redirect = { 302: { description: 'To the immutable URL of the current card', type: 'null' } } as Record<number, unknown>;

/** Registered under /api/v1. */
export function shareRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/pets/:petId/card.png',
      {
        schema: {
          tags: ['share'],
          summary: "A pet's share card (PNG, story 1080×1920 or preview 1200×630). With v = the current content hash: immutable, ETag, 304; otherwise 302 to the current URL. 404 for a banned owner's pet",
          params: PetParamsSchema,
          querystring: CardQuerySchema,
          produces: ['image/png'],
          response: { ...redirect, ...errors(400, 404, 429, 503) },
        },
        onRequest: deps.rateLimits.publicApi,
      },
      async (request, reply) => {
        const format = request.query.format ?? 'story';
        const pet = await deps.cards.publicPet(request.params.petId);
        const hash = deps.cards.hash(pet, format);
        if (request.query.v !== hash) {
          // The current card moves on (a new picture, a rename, a birthday): a short cache only.
          return reply.header('cache-control', 'public, max-age=60').redirect(cardPath(pet.petId, format, hash), 302);
        }
        const etag = `"${hash}"`;
        void reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        const png = await deps.cards.cardFor(pet, format);
        return reply.type('image/png').send(png);
      },
    );

    app.register(async (authed) => {
      const api = playerScope(authed, deps);
      const secured = PLAYER_SECURITY;

      api.get(
        '/pets/:petId/share',
        {
          schema: {
            tags: ['share'],
            summary: "Share links of a pet of mine: its public page, the immutable card URLs and the bot link with my referral (gives the pet a share code the first time)",
            security: secured,
            params: PetParamsSchema,
            response: { 200: ShareInfoSchema, ...errors(400, 401, 403, 404) },
          },
        },
        (request, reply) => {
          void reply.header('cache-control', 'no-store');
          return deps.cards.shareInfo(requirePlayer(request).id, request.params.petId, publicBaseUrl(deps, request));
        },
      );

      api.post(
        '/pets/:petId/share/prepared',
        {
          schema: {
            tags: ['share'],
            summary: 'A message with the preview card and a button to the bot (my referral), prepared through Bot API savePreparedInlineMessage for WebApp.shareMessage; 503 SHARE_UNAVAILABLE when Telegram refuses or there is no bot',
            security: secured,
            params: PetParamsSchema,
            response: { 200: PreparedShareSchema, ...errors(400, 401, 403, 404, 503) },
          },
          preHandler: deps.rateLimits.sharePrepared,
        },
        (request) => deps.cards.prepared(requirePlayer(request), request.params.petId, publicBaseUrl(deps, request)),
      );
    });
  };
}

/** Registered at the root: the public share page. */
export function sharePageRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/p/:shareCode',
      {
        schema: {
          tags: ['share'],
          summary: "A pet's public share page (HTML, no login): Open Graph and Twitter card tags with the preview card, the pet's name and stage, a button opening the bot with the owner's referral. Language by Accept-Language. 404 page for unknown codes and banned owners",
          params: ShareCodeParamsSchema,
          produces: ['text/html'],
          response: { 200: HtmlPage, 404: HtmlPage, ...errors(400, 429) },
        },
        onRequest: deps.rateLimits.publicApi,
      },
      async (request, reply) => {
        const lang = languageFromHeader(request.headers['accept-language']);
        const base = publicBaseUrl(deps, request);
        void reply
          .header('content-security-policy', sharePageCsp(new URL(base).origin))
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .header('vary', 'Accept-Language')
          .type('text/html; charset=utf-8');
        const pet = await deps.cards.pageFor(request.params.shareCode);
        if (!pet) return reply.code(404).header('cache-control', 'no-store').send(shareNotFoundHtml(lang, `${base}/`));
        const hash = deps.cards.hash(pet, 'preview');
        return reply.header('cache-control', 'public, max-age=60').send(
          sharePageHtml({
            lang,
            name: pet.name,
            stage: pet.stage,
            ageDays: pet.ageDays,
            pageUrl: `${base}/p/${request.params.shareCode}`,
            previewCardUrl: base + cardPath(pet.petId, 'preview', hash),
            openUrl: deps.cards.botLink(pet.inviteCode) ?? `${base}/`,
          }),
        );
      },
    );
  };
}

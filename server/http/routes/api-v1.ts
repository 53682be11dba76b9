/** Player REST API under /api/v1: validate (schema), call a service, return a DTO. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AddFriendSchema,
  CareBodySchema,
  CareResultSchema,
  ClientConfigSchema,
  CreatePetSchema,
  DevInitDataBodySchema,
  DevInitDataSchema,
  FriendListSchema,
  FriendSchema,
  InventorySchema,
  MeSchema,
  PetListSchema,
  PetParamsSchema,
  PetSchema,
  RenamePetSchema,
  PetSummarySchema,
  RoomTicketSchema,
  SkinBodySchema,
  UpdateMeSchema,
  WakeResultSchema,
  type MeDto,
  AdoptedPetSchema,
} from '../../../shared/dto.js';
import { signInitData } from '../../auth/init-data.js';
import type { PlayerRow } from '../../repositories/players-repository.js';
import type { UtcOffsetView } from '../../services/player-service.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

const PetListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1–100, default 20' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

function toMeDto(p: PlayerRow, balances: { coins: number; debt: number }, offset: UtcOffsetView): MeDto {
  return {
    id: p.id,
    telegramId: p.telegram_id,
    firstName: p.first_name,
    lastName: p.last_name,
    username: p.username,
    languageCode: p.language_code,
    inviteCode: p.invite_code,
    utcOffsetMinutes: offset.utcOffsetMinutes,
    utcOffsetChange: offset.utcOffsetChange,
    coins: balances.coins,
    balances: { coins: balances.coins, debt: balances.debt },
    createdAt: new Date(p.created_at).toISOString(),
  };
}

export function apiV1Routes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/client-config',
      {
        schema: { tags: ['app'], summary: 'What the Mini App needs before sign-in', response: { 200: ClientConfigSchema, ...errors(429) } },
        onRequest: deps.rateLimits.publicApi,
      },
      () => ({
        devSignIn: deps.devBotToken !== null,
        botUsername: deps.config.telegram.botUsername,
        miniAppName: deps.config.telegram.miniAppName,
        timeScale: deps.config.sim.timeScale,
        clockOffsetSeconds: deps.config.sim.clockOffsetSeconds,
        devPaymentsPath: deps.telegram.devPaymentsPath,
      }),
    );

    if (deps.devBotToken !== null) {
      const devToken = deps.devBotToken;
      app.post(
        '/dev/init-data',
        {
          schema: {
            tags: ['dev'],
            summary: 'Dev sign-in: validly signed initData for a test user (only without TELEGRAM_BOT_TOKEN)',
            body: DevInitDataBodySchema,
            response: { 200: DevInitDataSchema, ...errors(400, 429) },
          },
          onRequest: deps.rateLimits.publicApi,
        },
        (request) => {
          const b = request.body;
          const telegramId = b.telegramId ?? 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
          const initData = signInitData(
            {
              user: {
                id: telegramId,
                first_name: b.firstName ?? `Player ${telegramId % 10000}`,
                ...(b.username ? { username: b.username } : {}),
                language_code: b.languageCode ?? 'en',
                allows_write_to_pm: b.allowsWriteToPm ?? true,
              },
              authDate: Math.floor(deps.now() / 1000),
              startParam: b.startParam ?? null,
              extra: { query_id: `dev-${telegramId}` },
            },
            devToken,
          );
          return { initData };
        },
      );
    }

    app.register(async (authed) => {
      const api = playerScope(authed, deps);
      const secured = PLAYER_SECURITY;

      api.get(
        '/me',
        { schema: { tags: ['players'], security: secured, response: { 200: MeSchema, ...errors(401) } } },
        async (request) => {
          const player = requirePlayer(request);
          return toMeDto(player, await deps.inventory.holdings(player.id), deps.players.utcOffsetView(player));
        },
      );

      api.patch(
        '/me',
        {
          schema: {
            tags: ['players'],
            summary: "Set my UTC offset (the device's time zone): from the end of my current day on, my day and my pets' quiet hours follow it",
            security: secured,
            body: UpdateMeSchema,
            response: { 200: MeSchema, ...errors(400, 401) },
          },
        },
        async (request) => {
          const player = await deps.players.setUtcOffset(requirePlayer(request), request.body.utcOffsetMinutes);
          return toMeDto(player, await deps.inventory.holdings(player.id), deps.players.utcOffsetView(player));
        },
      );

      api.post(
        '/rooms/tickets',
        {
          schema: {
            tags: ['players'],
            summary: 'A single-use ticket to join a room (my home or a friend\'s), valid for a minute: rooms never see initData',
            security: secured,
            response: { 201: RoomTicketSchema, ...errors(401) },
          },
        },
        async (request, reply) => reply.code(201).send(await deps.tickets.issue(requirePlayer(request).id)),
      );

      api.get(
        '/inventory',
        { schema: { tags: ['players'], summary: 'My coins, debt and items', security: secured, response: { 200: InventorySchema, ...errors(401) } } },
        (request) => deps.inventory.list(requirePlayer(request).id),
      );

      api.post(
        '/pets',
        {
          schema: {
            tags: ['pets'],
            summary: 'Adopt a pet',
            security: secured,
            body: CreatePetSchema,
            response: { 201: AdoptedPetSchema, ...errors(400, 401, 409) },
          },
        },
        async (request, reply) => {
          const player = requirePlayer(request);
          const pet = await deps.pets.create(player.id, request.body, deps.players.petUtcOffset(player));
          return reply.code(201).send(pet);
        },
      );

      api.get(
        '/pets',
        {
          schema: {
            tags: ['pets'],
            summary: 'My pets, oldest first, keyset-paginated',
            security: secured,
            querystring: PetListQuery,
            response: { 200: PetListSchema, ...errors(400, 401) },
          },
        },
        (request) => {
          const limit = request.query.limit === undefined ? 20 : Number(request.query.limit);
          return deps.pets.list(requirePlayer(request).id, limit, request.query.cursor);
        },
      );

      api.get(
        '/pets/:petId',
        {
          schema: {
            tags: ['pets'],
            summary: "A pet of mine or of a friend's",
            security: secured,
            params: PetParamsSchema,
            response: { 200: PetSchema, ...errors(400, 401, 403, 404) },
          },
        },
        (request) => deps.pets.get(requirePlayer(request).id, request.params.petId),
      );

      api.patch(
        '/pets/:petId',
        {
          schema: {
            tags: ['pets'],
            summary: 'Rename a pet of mine (the adoption\'s name rules: 400 NAME_INVALID, 400 NAME_REJECTED); the room shows it at once',
            security: secured,
            params: PetParamsSchema,
            body: RenamePetSchema,
            response: { 200: PetSchema, ...errors(400, 401, 403, 404) },
          },
        },
        (request) => deps.pets.rename(requirePlayer(request).id, request.params.petId, request.body.name),
      );

      api.get(
        '/pets/:petId/summary',
        {
          schema: {
            tags: ['pets'],
            summary: 'Meters, stage, age, time to the next stage, status flags and cooldowns',
            security: secured,
            params: PetParamsSchema,
            response: { 200: PetSummarySchema, ...errors(400, 401, 403, 404) },
          },
        },
        (request) => deps.pets.summary(requirePlayer(request).id, request.params.petId),
      );

      api.post(
        '/pets/:petId/care',
        {
          schema: {
            tags: ['pets'],
            summary: 'Feed (with a food item), play with, clean or heal a pet of mine; uses one item (same service as the room message)',
            security: secured,
            params: PetParamsSchema,
            body: CareBodySchema,
            response: { 200: CareResultSchema, ...errors(400, 401, 403, 404, 409) },
          },
        },
        (request) => deps.pets.care(requirePlayer(request).id, request.params.petId, request.body.action, request.body.itemId),
      );

      api.post(
        '/pets/:petId/wake',
        {
          schema: {
            tags: ['pets'],
            summary: 'Wake a sleeping pet of mine (it stays awake a while; costs mood)',
            security: secured,
            params: PetParamsSchema,
            response: { 200: WakeResultSchema, ...errors(400, 401, 403, 404, 409) },
          },
        },
        (request) => deps.pets.wake(requirePlayer(request).id, request.params.petId),
      );

      api.put(
        '/pets/:petId/skin',
        {
          schema: {
            tags: ['pets'],
            summary: "Dress a pet of mine in a skin I hold ('default' takes it off); its picture in that coat follows",
            security: secured,
            params: PetParamsSchema,
            body: SkinBodySchema,
            response: { 200: PetSchema, ...errors(400, 401, 403, 404, 409) },
          },
        },
        (request) => deps.pets.setSkin(requirePlayer(request).id, request.params.petId, request.body.skin),
      );

      api.post(
        '/friends',
        {
          schema: {
            tags: ['friends'],
            summary: "Befriend the owner of an invite code",
            security: secured,
            body: AddFriendSchema,
            response: { 201: FriendSchema, ...errors(400, 401, 404, 409) },
          },
          preHandler: deps.rateLimits.friendAdds,
        },
        async (request, reply) => {
          const friend = await deps.friends.addByInviteCode(requirePlayer(request), request.body.inviteCode);
          return reply.code(201).send(friend);
        },
      );

      api.get(
        '/friends',
        { schema: { tags: ['friends'], security: secured, response: { 200: FriendListSchema, ...errors(401) } } },
        async (request) => ({ items: await deps.friends.list(requirePlayer(request).id) }),
      );
    });
  };
}

/** Progression routes under /api/v1: streaks, quests and achievements, and claiming a quest's reward. */
import type { FastifyInstance } from 'fastify';
import { ProgressSchema, QuestClaimSchema, QuestParamsSchema } from '../../../shared/dto.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function progressRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);
    const secured = PLAYER_SECURITY;

    api.get(
      '/progress',
      {
        schema: {
          tags: ['progress'],
          summary: "My daily and weekly streaks, today's and this week's quests, and achievements with their progress",
          security: secured,
          response: { 200: ProgressSchema, ...errors(401) },
        },
      },
      (request) => deps.progress.view(requirePlayer(request).id),
    );

    api.post(
      '/quests/:questId/claim',
      {
        schema: {
          tags: ['progress'],
          summary: "Collect a completed quest's reward (once: again → 409 ALREADY_CLAIMED)",
          security: secured,
          params: QuestParamsSchema,
          response: { 200: QuestClaimSchema, ...errors(400, 401, 404, 409) },
        },
      },
      (request) => deps.progress.claim(requirePlayer(request).id, request.params.questId),
    );
  };
}

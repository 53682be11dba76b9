/** Players report a friend's pet to the moderators (docs/moderation.md). Registered under /api/v1. */
import type { FastifyInstance } from 'fastify';
import { CreateReportSchema, PetParamsSchema, ReportSchema } from '../../../shared/dto.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function reportRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);

    api.post(
      '/pets/:petId/reports',
      {
        schema: {
          tags: ['moderation'],
          summary: "Report a friend's pet (its name, picture or something else) to the moderators",
          description:
            'Once per reporter and pet: a repeat answers 200 with the first report (`created: false`) and stores nothing. ' +
            'At most 10 new reports an hour (429 RATE_LIMITED). Your own pet: 409 REPORT_OWN_PET; a pet of a non-friend: 403 FORBIDDEN.',
          security: PLAYER_SECURITY,
          params: PetParamsSchema,
          body: CreateReportSchema,
          response: { 201: ReportSchema, 200: ReportSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const report = await deps.moderation.report(requirePlayer(request).id, request.params.petId, request.body);
        return reply.code(report.created ? 201 : 200).send(report);
      },
    );
  };
}

/** GET /admin/dashboard: the panel's live figures (docs/admin.md), behind the admin token like every /admin route. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminDashboardSchema } from '../../../shared/dto.js';
import type { DashboardService } from '../../services/dashboard-service.js';
import { adminAuth } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors } from '../route-kit.js';

export function adminDashboardRoutes(deps: HttpDeps, dashboard: DashboardService) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = root.withTypeProvider<TypeBoxTypeProvider>();
    api.addHook('preHandler', adminAuth(deps.admin));

    api.get(
      '/dashboard',
      {
        schema: {
          tags: ['admin'],
          summary: 'Live figures: rooms and connections, loaded pets, tick time, queues, recent 5xx, and the UTC day so far',
          description:
            '`live` counts every process of the cluster with REDIS_URL (else this process); `process` and `errors` are the answering ' +
            "process's own; `today` is the whole game's UTC day of the server clock, read at most every 10 s per process.",
          security: [{ adminBearer: [] }],
          response: { 200: AdminDashboardSchema, ...errors(401, 403) },
        },
      },
      () => dashboard.read(),
    );
  };
}

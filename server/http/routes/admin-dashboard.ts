/** GET /admin/dashboard: the panel's live figures (docs/admin.md), behind the admin token like every /admin route. */
import type { FastifyInstance } from 'fastify';
import { AdminDashboardSchema } from '../../../shared/dto.js';
import type { DashboardService } from '../../services/dashboard-service.js';
import type { HttpDeps } from '../http-deps.js';
import { ADMIN_SECURITY, adminScope, errors } from '../route-kit.js';

export function adminDashboardRoutes(deps: HttpDeps, dashboard: DashboardService) {
  return async (root: FastifyInstance): Promise<void> => {
    // Admins and moderators alike: the figures are read-only.
    const api = adminScope(root, deps);

    api.get(
      '/dashboard',
      {
        schema: {
          tags: ['admin'],
          summary: 'Live figures: rooms and connections, loaded pets, tick time, queues, recent 5xx, and the UTC day so far',
          description:
            '`live` counts every process of the cluster with REDIS_URL (else this process); `process` and `errors` are the answering ' +
            "process's own; `today` is the whole game's UTC day of the server clock, read at most every 10 s per process.",
          security: ADMIN_SECURITY,
          response: { 200: AdminDashboardSchema, ...errors(401, 403) },
        },
      },
      () => dashboard.read(),
    );
  };
}

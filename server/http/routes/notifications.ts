/** The player's bot notification settings under /api/v1 (the switches of the Mini App). */
import type { FastifyInstance } from 'fastify';
import { NotificationSettingsPatchSchema, NotificationSettingsSchema } from '../../../shared/notifications.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function notificationRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);

    api.get(
      '/notifications/settings',
      {
        schema: {
          tags: ['notifications'],
          summary: 'What the bot may tell me while I am away: allowed by Telegram, blocked, all off, and each switch',
          security: PLAYER_SECURITY,
          response: { 200: NotificationSettingsSchema, ...errors(401) },
        },
      },
      (request) => deps.notifications.settings(requirePlayer(request).id),
    );

    api.patch(
      '/notifications/settings',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Turn all notifications or single switches on or off; returns the settings',
          security: PLAYER_SECURITY,
          body: NotificationSettingsPatchSchema,
          response: { 200: NotificationSettingsSchema, ...errors(400, 401) },
        },
      },
      (request) => deps.notifications.updateSettings(requirePlayer(request).id, request.body),
    );
  };
}

/** The owner bus: in process, or over Redis pub/sub in cluster mode (server/bus/owner-bus.ts). */
import fp from 'fastify-plugin';
import { LocalOwnerBus, RedisOwnerBus, type OwnerBus } from '../bus/owner-bus.js';

declare module 'fastify' {
  interface FastifyInstance {
    bus: OwnerBus;
  }
}

export const busPlugin = fp(
  async (app) => {
    const { config, logger, metrics, processId, redisPrefix } = app.core;
    const log = logger.child({ component: 'bus' });
    const bus: OwnerBus = config.redisUrl
      ? new RedisOwnerBus({ redisUrl: config.redisUrl, prefix: redisPrefix, processId, deadlines: config.deadlines.redis, logger: log, metrics })
      : new LocalOwnerBus({ logger: log, metrics });
    app.decorate('bus', bus);
    app.addHook('onClose', () => bus.close());
  },
  { name: 'bus', dependencies: ['core'] },
);

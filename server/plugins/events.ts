/**
 * The event log (docs/events.md): its repository, and the relay that hands new events to the
 * consumers registered with `app.eventLog.relay.add()`. The relay starts once the app is ready
 * and stops before the database closes; every process runs one, and each consumer is
 * delivered to by one process at a time.
 */
import fp from 'fastify-plugin';
import { DEFAULT_RELAY_OPTIONS, EventRelay } from '../events/relay.js';
import { EventsRepository } from '../repositories/events-repository.js';

export interface EventLog {
  events: EventsRepository;
  relay: EventRelay;
}

declare module 'fastify' {
  interface FastifyInstance {
    eventLog: EventLog;
  }
}

export const eventsPlugin = fp(
  async (app) => {
    const { logger, metrics, clock, processId } = app.core;
    const events = new EventsRepository(app.db.kysely, app.db.dialect);
    const relay = new EventRelay({ events, logger: logger.child({ component: 'events' }), metrics, now: clock }, { ...DEFAULT_RELAY_OPTIONS, holder: processId });
    app.decorate('eventLog', { events, relay });
    app.addHook('onReady', () => {
      relay.start();
      return Promise.resolve();
    });
    // onClose hooks run in reverse order of registration: before the database plugin's.
    app.addHook('onClose', () => relay.stop());
  },
  { name: 'events', dependencies: ['core', 'database'] },
);

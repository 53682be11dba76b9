/** Builds the colyseus.js client for this origin: it joins rooms with tickets from the REST API. */
import type { Api } from './api.js';
import { TicketClient } from './ticket-client.js';

export function createColyseusClient(api: Api): TicketClient {
  const endpoint = location.origin.replace(/^http/, 'ws');
  return new TicketClient(endpoint, async () => (await api.roomTicket()).ticket);
}

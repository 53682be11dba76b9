/**
 * A colyseus.js client that joins rooms with single-use room tickets. Before every join it
 * asks for a fresh ticket (`POST /api/v1/rooms/tickets`, authenticated with initData over
 * HTTPS in a header); the ticket authenticates the matchmaking request, and the WebSocket URL
 * carries no token at all. Reconnecting to a held seat needs no ticket (the seat's own token
 * is the proof). No DOM APIs: tests and load scripts use it too.
 */
import { Client, type Room } from 'colyseus.js';

type JoinOptions = Parameters<Client['joinOrCreate']>[1];
type RootSchema = Parameters<Client['joinOrCreate']>[2];

const AUTH_TOKEN_PARAM = /([?&])_authToken=[^&]*(&|$)/;

/** colyseus.js appends the join token to the WebSocket URL; rooms do not need it there. */
function withoutAuthToken(url: URL): string {
  return url.href.replace(AUTH_TOKEN_PARAM, (_match, before: string, after: string) => (after ? before : '')).replace(/[?&]$/, '');
}

export class TicketClient extends Client {
  /** `ticket` resolves to a fresh room ticket each time it is called. */
  constructor(
    endpoint: string,
    private readonly ticket: () => Promise<string>,
  ) {
    super(endpoint, { urlBuilder: withoutAuthToken });
  }

  protected override async createMatchMakeRequest<T = unknown>(
    method: string,
    roomName: string,
    options?: JoinOptions,
    rootSchema?: RootSchema,
    reuseRoomInstance?: Room,
  ): Promise<Room<T>> {
    if (method !== 'reconnect') this.auth.token = await this.ticket();
    return super.createMatchMakeRequest<T>(method, roomName, options, rootSchema as never, reuseRoomInstance);
  }
}

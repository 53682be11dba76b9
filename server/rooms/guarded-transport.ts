/**
 * The WebSocket transport with two changes:
 * - a connection that holds no reserved seat (nobody authenticated it through matchmaking) is
 *   refused with one warning line, instead of the error and stack trace Colyseus logs for
 *   each. Such connections are scanners, stale tabs and replayed URLs; the URL's query (which
 *   carries tokens) is never logged;
 * - a room that implements `FrameScreen` (frame-screen.ts) sees every frame of its clients
 *   before Colyseus decodes it, and may drop it: the socket's `message` events pass through
 *   the room's `screenFrame` first.
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode, Protocol, matchMaker, type Client } from '@colyseus/core';
import { WebSocketClient, WebSocketTransport, type TransportOptions } from '@colyseus/ws-transport';
import { isFrameScreen } from './frame-screen.js';

type RawClient = Parameters<WebSocketTransport['onConnection']>[0];

const ROOM_PATH = /\/[a-zA-Z0-9_-]+\/([a-zA-Z0-9_-]+)$/;

/**
 * Builds the guarded transport. Colyseus registers `onConnection` unbound (it runs with the
 * WebSocketServer as `this`), so the override keeps what it needs in this closure.
 */
export function createGuardedTransport(options: TransportOptions, logger: Logger, onRefused: () => void = () => undefined): WebSocketTransport {
  class GuardedWebSocketTransport extends WebSocketTransport {
    protected override async onConnection(rawClient: RawClient, req: http.IncomingMessage): Promise<void> {
      const url = new URL(req.url ?? '/', 'ws://server');
      const sessionId = url.searchParams.get('sessionId');
      const roomId = ROOM_PATH.exec(url.pathname)?.[1];
      const room = roomId ? matchMaker.getLocalRoomById(roomId) : undefined;
      if (!room || !room.hasReservedSeat(sessionId ?? '', url.searchParams.get('reconnectionToken') ?? '')) {
        onRefused();
        logger.warn({ path: url.pathname.slice(0, 80), ip: req.socket.remoteAddress }, 'websocket refused: no reserved seat');
        rawClient.on('error', () => undefined);
        const client = new WebSocketClient(sessionId ?? '', rawClient);
        client.error(ErrorCode.MATCHMAKE_EXPIRED, 'seat reservation expired.', () => rawClient.close(Protocol.WS_CLOSE_WITH_ERROR));
        return;
      }
      if (isFrameScreen(room)) {
        const id = sessionId ?? '';
        let client: Client | undefined;
        // Colyseus listens to the socket once the client has joined; until then there is nobody to screen for.
        screenMessages(rawClient, (frame) => {
          client ??= room.clients.getById(id);
          return client === undefined || room.screenFrame(client, frame);
        });
      }
      return super.onConnection(rawClient, req);
    }
  }
  return new GuardedWebSocketTransport(options);
}

/** Makes the socket emit a `message` only when `pass` lets the frame through (ws hands frames over as Buffers). */
function screenMessages(socket: RawClient, pass: (frame: Buffer) => boolean): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'message' && !(Buffer.isBuffer(args[0]) && pass(args[0]))) return false;
    return emit(event, ...args);
  }) as RawClient['emit'];
}

import { Client, type Room } from 'colyseus.js';
import { TicketClient } from '../../client/src/net/ticket-client.js';
import type { TestServer, TestUser } from './test-server.js';

/** Polls `check` (which may be async) until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with the next message of `type` the room receives. */
export function nextMessage<T = any>(room: Room, type: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${type}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = room.onMessage(type, (message: T) => {
      clearTimeout(timer);
      off();
      resolve(message);
    });
  });
}

/** A single-use room ticket for `user`, from the REST API like the Mini App gets one. */
export async function roomTicket(s: TestServer, user: TestUser): Promise<string> {
  const res = await s.api(user, 'POST', '/api/v1/rooms/tickets');
  if (res.status !== 201) throw Object.assign(new Error(res.body?.error?.code ?? `ticket: HTTP ${res.status}`), { code: res.status });
  return res.body.ticket as string;
}

/**
 * A client of `user` that joins with a fresh room ticket each time, as the Mini App does.
 * Without a user, a plain client whose join token is `token` (or none).
 */
export function clientFor(s: TestServer, user: TestUser | null, token?: string): Client {
  if (user) return new TicketClient(s.wsUrl, () => roomTicket(s, user));
  const client = new Client(s.wsUrl);
  if (token !== undefined) client.auth.token = token;
  return client;
}

/** Joins the user's own home (or `ownerId`'s home as a spectator). */
export async function joinHome(s: TestServer, user: TestUser, ownerId?: string): Promise<Room<any>> {
  const room = await clientFor(s, user).joinOrCreate<any>('home', ownerId ? { ownerId } : {});
  // Keep unhandled message types from warning: tests subscribe to what they need.
  room.onMessage('*', () => undefined);
  await waitFor(() => room.state?.pets !== undefined, 'initial state');
  return room;
}

/** The error a join failed with, as `{ code, message }`. */
export async function joinError(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: number; message?: string };
    return { code: e.code ?? 0, message: e.message ?? '' };
  }
  throw new Error('the join unexpectedly succeeded');
}

export function petView(room: Room<any>, petId: string): any {
  return room.state.pets.get(petId);
}

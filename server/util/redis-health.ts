/**
 * Why a Redis client is not usable, for /readyz: a client that is not connected says so with
 * its last connection error; a connected one must answer PING within a deadline.
 */
import type { Redis } from 'ioredis';
import { withDeadline } from './deadline.js';

const lastErrors = new WeakMap<Redis, string>();

/** Remembers the client's last connection error until it is ready again. */
export function watchRedis(client: Redis): Redis {
  client.on('error', (err: Error) => lastErrors.set(client, err.message));
  client.on('ready', () => lastErrors.delete(client));
  return client;
}

/** Resolves when the client answers PING within `timeoutMs`; rejects with the reason otherwise. */
export async function pingRedis(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status !== 'ready') {
    const last = lastErrors.get(client);
    throw new Error(`not connected (${client.status})${last ? `: ${last}` : ''}`);
  }
  await withDeadline(client.ping(), timeoutMs, () => new Error(`PING timed out after ${timeoutMs} ms`));
}

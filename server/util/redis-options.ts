/** ioredis options from a redis:// or rediss:// URL, for libraries that take one options object. */
import type { RedisOptions } from 'ioredis';

export function redisOptionsFromUrl(redisUrl: string, extra: RedisOptions = {}): RedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    ...extra,
  };
}

/**
 * For a connection that only subscribes. ioredis 5 writes SUBSCRIBE as soon as the socket is
 * open (it is allowed while Redis loads) and sends its handshake (CLIENT SETINFO, then the ready
 * check INFO) around it; Redis refuses those on a subscribed connection, and a refused ready
 * check drops the connection with every pending subscription (ioredis#2037). A subscriber needs
 * neither: without them it is ready as soon as it connects.
 */
export const SUBSCRIBER_ONLY: RedisOptions = { enableReadyCheck: false, disableClientInfo: true };

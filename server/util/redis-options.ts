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

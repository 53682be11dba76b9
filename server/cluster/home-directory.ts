/**
 * One home room per owner in the whole cluster.
 *
 * Colyseus's Redis driver answers a query by reading the whole room cache (HGETALL of every
 * room's listing) and filtering it, and its create lock is best effort. With one room per
 * player both fail at scale, so homes are found by their owner's key instead:
 * `<prefix>home:<ownerId>` holds the home's room id while the room lives (renewed by its
 * process; it expires after `ttlMs` when that process dies), or `creating:<token>` while one
 * process creates it. The key is taken with SET NX: of any number of joins arriving at once
 * on any processes, one creates the room and the others wait for its id.
 *
 * `HomeDriver` is the matchmaker driver: Colyseus's Redis driver for everything, except that
 * looking for a home goes through the directory (and creates it when there is none).
 */
import { randomBytes } from 'node:crypto';
import type { IRoomCache, MatchMakerDriver, SortOptions } from '@colyseus/core';
import type { RedisDriver } from '@colyseus/redis-driver';
import type { Redis } from 'ioredis';
import { ROOM_HOME } from '../../shared/protocol.js';

/** The join option that carries a creation token from the directory to the room it creates. */
export const HOME_TOKEN_OPTION = '__homeToken';
const CREATING = 'creating:';

/** Sets the key to `value` if it holds `expected` (or is absent when `expected` is ''), with a TTL. */
const BIND = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;
/** Extends each key that still holds its value; returns the indexes (1-based) that do not. */
const RENEW = `
local lost = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i + 1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  else
    table.insert(lost, i)
  end
end
return lost`;
/** Deletes the key if it still holds the value. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface HomeDirectoryOptions {
  redis: Redis;
  /** Keys are `<prefix>home:<ownerId>`. */
  prefix: string;
  /** How long a home's key outlives its last renewal (a dead process's homes free up after it). */
  ttlMs: number;
}

export class HomeDirectory {
  constructor(private readonly options: HomeDirectoryOptions) {}

  private key(ownerId: string): string {
    return `${this.options.prefix}home:${ownerId}`;
  }

  /** The home's room id, `creating` while a process creates it, or null. */
  async lookup(ownerId: string): Promise<{ roomId: string } | 'creating' | null> {
    const value = await this.options.redis.get(this.key(ownerId));
    if (value === null) return null;
    return value.startsWith(CREATING) ? 'creating' : { roomId: value };
  }

  /** Takes the right to create the owner's home; the token to pass to the room, or null if taken. */
  async reserve(ownerId: string): Promise<string | null> {
    const token = CREATING + randomBytes(12).toString('base64url');
    const ok = await this.options.redis.set(this.key(ownerId), token, 'PX', this.options.ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  /**
   * Makes `roomId` the owner's home: in place of the creation token it was created with, or
   * (a room created directly) only when the owner has none. False: another home exists.
   */
  async bind(ownerId: string, roomId: string, token: string | undefined): Promise<boolean> {
    const result = await this.options.redis.eval(BIND, 1, this.key(ownerId), token ?? '', roomId, this.options.ttlMs);
    return result === 1;
  }

  /** Keeps the given homes' keys alive; returns the owners whose key is gone or now names another room. */
  async renew(homes: ReadonlyArray<{ ownerId: string; roomId: string }>): Promise<string[]> {
    if (homes.length === 0) return [];
    const lost = (await this.options.redis.eval(
      RENEW,
      homes.length,
      ...homes.map((h) => this.key(h.ownerId)),
      this.options.ttlMs,
      ...homes.map((h) => h.roomId),
    )) as number[];
    return lost.map((i) => homes[i - 1]?.ownerId ?? '').filter((id) => id !== '');
  }

  /** Frees the owner's key if it still holds `value` (a room id, or a creation token that failed). */
  async release(ownerId: string, value: string): Promise<void> {
    await this.options.redis.eval(RELEASE, 1, this.key(ownerId), value);
  }
}

export interface HomeDriverOptions {
  /** Colyseus's Redis driver: listings, queries by room id, cleanup of dead processes. */
  inner: RedisDriver;
  homes: HomeDirectory;
  /** Creates the owner's home on the right process (matchMaker.createRoom with the token in its options). */
  create(ownerId: string, token: string): Promise<IRoomCache>;
  /** How long a join waits for a home another process is creating, or for a stale key to go. */
  waitMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** How long a home's key may name a room that is not listed before the key counts as stale. */
const UNLISTED_GRACE_MS = 3_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HomeDriver implements MatchMakerDriver {
  constructor(private readonly options: HomeDriverOptions) {}

  createInstance(initialValues?: Partial<IRoomCache>) {
    return this.options.inner.createInstance(initialValues);
  }

  has(roomId: string): Promise<boolean> {
    return this.options.inner.has(roomId);
  }

  query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions) {
    return this.options.inner.query(conditions, sortOptions);
  }

  cleanup(processId: string): Promise<void> {
    return this.options.inner.cleanup(processId);
  }

  findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions) {
    const ownerId = (conditions as Record<string, unknown>).ownerId;
    if (conditions.name === ROOM_HOME && conditions.roomId === undefined && typeof ownerId === 'string') {
      return this.findHome(ownerId, conditions.locked === false) as ReturnType<RedisDriver['findOne']>;
    }
    return this.options.inner.findOne(conditions, sortOptions);
  }

  /**
   * The owner's home: the listing its key names; the one another process is creating, once
   * it exists; or a new one created here (the key reserved first, so only one is created).
   * `unlocked`: a locked (full) home counts as none (the join then fails as HOME_FULL).
   */
  private async findHome(ownerId: string, unlocked: boolean): Promise<IRoomCache | undefined> {
    const { homes, inner, waitMs } = this.options;
    const sleep = this.options.sleep ?? defaultSleep;
    const now = this.options.now ?? (() => performance.now());
    const deadline = now() + waitMs;
    /** Since when the key has named a room without a listing. */
    let unlistedSince: number | null = null;
    for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
      const found = await homes.lookup(ownerId);
      if (found === null) {
        const token = await homes.reserve(ownerId);
        if (token !== null) {
          try {
            return await this.options.create(ownerId, token);
          } catch (err) {
            await homes.release(ownerId, token).catch(() => undefined);
            throw err;
          }
        }
      } else if (found !== 'creating') {
        const listing = await inner.findOne({ roomId: found.roomId });
        if (listing) return unlocked && listing.locked ? undefined : listing;
        // A room names itself in its onCreate and is listed right after: a moment without a
        // listing is a room being created. One that stays unlisted outlived its process
        // (whose listings were cleaned up): its key goes.
        unlistedSince ??= now();
        if (now() - unlistedSince >= UNLISTED_GRACE_MS) {
          await homes.release(ownerId, found.roomId);
          unlistedSince = null;
          continue;
        }
      } else {
        unlistedSince = null;
      }
      if (now() >= deadline) return undefined;
      await sleep(delay);
    }
  }

  shutdown(): void {
    this.options.inner.shutdown().catch(() => undefined);
  }

  clear(): void {
    this.options.inner.clear();
  }
}

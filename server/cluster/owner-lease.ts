/**
 * Owner leases: at any moment at most one process simulates a player's pets. A process
 * claims the owner's lease before loading their pets, renews every lease it holds well within
 * the lease's time to live, and releases it when the owner is unloaded. A process that stops
 * renewing (crashed, paused) loses its leases when they expire; the writer fence in the
 * database (`PetsRepository.takeWriterFence`) makes sure its late writes change nothing.
 *
 * Two stores with one contract: in process memory (one process: always granted), and in
 * Redis when `REDIS_URL` is set.
 */
import type { Redis } from 'ioredis';
import { AppError } from '../../shared/errors.js';
import { withDeadline } from '../util/deadline.js';

export type LeaseClaim = { ok: true } | { ok: false; heldBy: string };

export interface OwnerLeaseStore {
  /** This process's id, as stored in the leases it holds. */
  readonly processId: string;
  /** How long a lease lasts without renewal (ms); renew well within it. */
  readonly ttlMs: number;
  /** Takes the owner's lease, or extends it when this process already holds it. */
  claim(ownerId: string): Promise<LeaseClaim>;
  /** The id of the process holding the owner's lease; null when nobody does. */
  holder(ownerId: string): Promise<string | null>;
  /** Extends every lease of `ownerIds` this process holds; returns the owner ids whose lease it no longer holds. */
  renew(ownerIds: readonly string[]): Promise<string[]>;
  /** Gives the owner's lease up if this process holds it (someone else's is left alone). */
  release(ownerId: string): Promise<void>;
}

export const DEFAULT_OWNER_LEASE_TTL_MS = 10_000;

/** One process: every lease is this process's. */
export class LocalOwnerLeases implements OwnerLeaseStore {
  private readonly held = new Set<string>();

  constructor(
    readonly processId = 'local',
    readonly ttlMs = DEFAULT_OWNER_LEASE_TTL_MS,
  ) {}

  claim(ownerId: string): Promise<LeaseClaim> {
    this.held.add(ownerId);
    return Promise.resolve({ ok: true });
  }

  holder(ownerId: string): Promise<string | null> {
    return Promise.resolve(this.held.has(ownerId) ? this.processId : null);
  }

  renew(_ownerIds: readonly string[]): Promise<string[]> {
    return Promise.resolve([]);
  }

  release(ownerId: string): Promise<void> {
    this.held.delete(ownerId);
    return Promise.resolve();
  }
}

interface RedisOwnerLeasesOptions {
  redis: Redis;
  /** Key prefix, e.g. 'telepets:'; the lease of an owner is `<prefix>owner-lease:<ownerId>`. */
  prefix: string;
  processId: string;
  ttlMs?: number;
  /** Deadline of every Redis call (ms). */
  timeoutMs?: number;
}

/** Takes the key when free, or extends it when this process holds it; returns the holder. */
const CLAIM = `
local held = redis.call('get', KEYS[1])
if not held then
  redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
  return ARGV[1]
end
if held == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
end
return held
`;

/** Extends each key still holding ARGV[1]; returns the 1-based indexes of those that do not. */
const RENEW = `
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then
    redis.call('pexpire', key, ARGV[2])
  else
    lost[#lost + 1] = i
  end
end
return lost
`;

/** Deletes the key only while it holds ARGV[1]. */
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
`;

/** Leases in Redis: a key per owner holding the process id, with a time to live. */
export class RedisOwnerLeases implements OwnerLeaseStore {
  readonly processId: string;
  readonly ttlMs: number;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: RedisOwnerLeasesOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.processId = options.processId;
    this.ttlMs = options.ttlMs ?? DEFAULT_OWNER_LEASE_TTL_MS;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  private key(ownerId: string): string {
    return `${this.prefix}owner-lease:${ownerId}`;
  }

  async claim(ownerId: string): Promise<LeaseClaim> {
    const key = this.key(ownerId);
    // The common case (nobody holds it) in one plain SET NX; the script only for the rest.
    const set = await this.deadline(this.redis.set(key, this.processId, 'PX', this.ttlMs, 'NX'));
    if (set === 'OK') return { ok: true };
    const held = (await this.deadline(this.redis.eval(CLAIM, 1, key, this.processId, this.ttlMs))) as string;
    return held === this.processId ? { ok: true } : { ok: false, heldBy: held };
  }

  holder(ownerId: string): Promise<string | null> {
    return this.deadline(this.redis.get(this.key(ownerId)));
  }

  async renew(ownerIds: readonly string[]): Promise<string[]> {
    if (ownerIds.length === 0) return [];
    const keys = ownerIds.map((id) => this.key(id));
    const lost = (await this.deadline(this.redis.eval(RENEW, keys.length, ...keys, this.processId, this.ttlMs))) as number[];
    return lost.map((i) => ownerIds[i - 1] as string);
  }

  async release(ownerId: string): Promise<void> {
    await this.deadline(this.redis.eval(RELEASE, 1, this.key(ownerId), this.processId));
  }

  private deadline<T>(command: Promise<T>): Promise<T> {
    return withDeadline(command, this.timeoutMs, () => new AppError('NOT_READY', 'Redis did not answer in time'));
  }
}

/**
 * The owner's pets are simulated by another process (`heldBy`, its process id): forward to
 * it, or wait for its lease to end. A 503 NOT_READY for callers that do neither.
 */
export class OwnerElsewhere extends AppError {
  constructor(
    readonly ownerId: string,
    readonly heldBy: string,
  ) {
    super('NOT_READY', 'The player is served by another process', { heldBy });
    this.name = 'OwnerElsewhere';
  }
}

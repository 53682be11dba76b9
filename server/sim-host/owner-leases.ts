/**
 * Which owners' pets this process keeps loaded, and for whom. A holder (a home room, the
 * REST lease) acquires an owner; the first one in loads the owner's pets, the last one out
 * saves and unloads them. The REST lease lasts `restLeaseIdleSeconds` after the last call.
 * An owner another process took over is dropped: unloaded without saving, its listeners told.
 */
import type { Logger } from 'pino';
import type { OwnerListener } from './sync-scheduler.js';

/** A loaded (or loading, or unloading) owner. */
export interface OwnerEntry {
  holders: Set<string>;
  petIds: Set<string>;
  listeners: Set<OwnerListener>;
  loading: Promise<void> | null;
  unloading: Promise<void> | null;
  restTimer: NodeJS.Timeout | null;
  /** Wall-clock ms of the last REST use; the REST lease ends `restLeaseIdleSeconds` after it. */
  restTouchedAt: number;
  /** The writer fence taken when the owner was loaded (0 until then); every write carries it. */
  fence: number;
  /** Another process took the owner: nothing of it is written any more. */
  lost: boolean;
  /** Order of loading on this process (spreads owners over the sync phases). */
  seq: number;
  /** Stops hearing the owner's bus events meant for the simulation (set once loaded). */
  unfollow: (() => void) | null;
}

export interface AcquireOptions {
  /**
   * How long to wait (ms) for another process's lease on the owner to end (it may have died
   * and its lease not yet expired) before failing with `OwnerElsewhere`; 0 = fail at once.
   */
  waitForLeaseMs?: number;
}

interface OwnerLeasesDeps {
  logger: Logger;
  now: () => number;
  restLeaseIdleSeconds: number;
  /** Loads the owner's pets into the world (adding them to `owner.petIds`). */
  load(ownerId: string, owner: OwnerEntry, options: AcquireOptions): Promise<void>;
  /** Saves the owner's pets when its last holder left. */
  save(owner: OwnerEntry): Promise<void>;
  /** Takes the owner's pets out of the world once saved, if no holder came back meanwhile. */
  unload(owner: OwnerEntry): void;
  /** After unloading: gives up the owner's lease (before the owner can be loaded again). */
  released(ownerId: string): Promise<void>;
}

const REST_HOLDER = 'rest';

export class OwnerLeases {
  private readonly owners = new Map<string, OwnerEntry>();
  private loaded = 0;

  constructor(private readonly deps: OwnerLeasesDeps) {}

  get(ownerId: string): OwnerEntry | undefined {
    return this.owners.get(ownerId);
  }

  values(): IterableIterator<OwnerEntry> {
    return this.owners.values();
  }

  /** Loads the owner's pets (once) and registers `holder` as keeping them loaded. */
  async acquire(ownerId: string, holder: string, options: AcquireOptions = {}): Promise<void> {
    let owner = this.owners.get(ownerId);
    if (owner?.unloading) {
      await owner.unloading;
      owner = this.owners.get(ownerId);
    }
    if (!owner) {
      owner = {
        holders: new Set(),
        petIds: new Set(),
        listeners: new Set(),
        loading: null,
        unloading: null,
        restTimer: null,
        restTouchedAt: 0,
        fence: 0,
        lost: false,
        seq: this.loaded++,
        unfollow: null,
      };
      this.owners.set(ownerId, owner);
      const entry = owner;
      entry.loading = this.deps.load(ownerId, entry, options).finally(() => {
        entry.loading = null;
      });
    }
    owner.holders.add(holder);
    if (owner.loading) {
      try {
        await owner.loading;
      } catch (err) {
        owner.holders.delete(holder);
        if (owner.holders.size === 0 && this.owners.get(ownerId) === owner) this.owners.delete(ownerId);
        throw err;
      }
    }
  }

  /** Drops `holder`; the last one out saves and unloads the owner's pets. */
  async release(ownerId: string, holder: string): Promise<void> {
    const owner = this.owners.get(ownerId);
    if (!owner || !owner.holders.delete(holder)) return;
    if (owner.holders.size > 0 || owner.unloading) return;
    const entry = owner;
    entry.unloading = (async () => {
      try {
        if (!entry.lost) await this.deps.save(entry);
      } finally {
        if (entry.holders.size === 0 || entry.lost) {
          this.deps.unload(entry);
          if (entry.restTimer) clearTimeout(entry.restTimer);
          // Given up while still listed: a new load of the owner waits for `unloading`.
          if (!entry.lost) await this.deps.released(ownerId).catch((err: unknown) => this.deps.logger.warn({ err, ownerId }, 'owner lease release failed'));
          if (this.owners.get(ownerId) === entry) this.owners.delete(ownerId);
        }
        entry.unloading = null;
      }
    })();
    await entry.unloading;
  }

  /** Keeps the owner loaded for a REST call and for `restLeaseIdleSeconds` after it. */
  async touch(ownerId: string): Promise<void> {
    await this.acquire(ownerId, REST_HOLDER);
    this.keepAlive(ownerId);
  }

  /**
   * Extends the REST lease of a loaded owner (no-op if it has none and is held by a room).
   * One timer per owner re-arms itself instead of a new timer per request.
   */
  keepAlive(ownerId: string): void {
    const owner = this.owners.get(ownerId);
    if (!owner || !owner.holders.has(REST_HOLDER)) return;
    owner.restTouchedAt = this.deps.now();
    if (owner.restTimer) return;
    const idleMs = this.deps.restLeaseIdleSeconds * 1000;
    const check = () => {
      const left = owner.restTouchedAt + idleMs - this.deps.now();
      if (left > 0) {
        owner.restTimer = setTimeout(check, left);
        return;
      }
      owner.restTimer = null;
      this.release(ownerId, REST_HOLDER).catch((err: unknown) => this.deps.logger.error({ err, ownerId }, 'release failed'));
    };
    owner.restTimer = setTimeout(check, idleMs);
  }

  /**
   * Another process took the owner: unloads its pets without saving them and tells its
   * listeners. An owner being saved and unloaded finishes that (its write is fenced) first.
   * Returns whether the owner was loaded here.
   */
  drop(ownerId: string): boolean {
    const owner = this.owners.get(ownerId);
    if (!owner || owner.lost) return false;
    owner.lost = true;
    this.deps.logger.warn({ ownerId }, 'owner taken over by another process; dropped without saving');
    const finish = () => {
      this.deps.unload(owner);
      if (owner.restTimer) clearTimeout(owner.restTimer);
      owner.restTimer = null;
      if (this.owners.get(ownerId) === owner) this.owners.delete(ownerId);
    };
    // Being unloaded: `release` finishes that without saving. Being loaded: once loaded.
    if (owner.loading) void owner.loading.then(finish, () => undefined);
    else if (!owner.unloading) finish();
    for (const listener of owner.listeners) {
      try {
        listener.onLost?.();
      } catch (err) {
        this.deps.logger.error({ err, ownerId }, 'sim listener failed');
      }
    }
    return true;
  }

  isLoaded(ownerId: string): boolean {
    const owner = this.owners.get(ownerId);
    return owner !== undefined && owner.loading === null;
  }

  /** Cancels every REST lease timer (on shutdown; the pets are already saved). */
  clearTimers(): void {
    for (const owner of this.owners.values()) if (owner.restTimer) clearTimeout(owner.restTimer);
  }
}

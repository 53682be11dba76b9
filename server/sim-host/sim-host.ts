/**
 * The sim host owns this process's pet world. It loads an owner's pets when something
 * needs them (a home room, a REST call), catches them up with `advance()` from server time,
 * ticks all loaded pets centrally, applies queued care commands between ticks, tells
 * subscribers (rooms) what changed, and flushes changed pets to the database in batches,
 * when an owner is unloaded and on shutdown.
 *
 * `SimHost` is the one face the rest of the server sees; it holds the world and the loaded
 * pets and puts together the parts that each do one thing:
 * - `OwnerLeases` (owner-leases.ts): which owners are loaded and for whom, the REST lease;
 * - an `OwnerLeaseStore` (cluster/owner-lease.ts): the cluster-wide lease that makes this
 *   process the one writer of an owner's pets, renewed on a timer; with the writer fence
 *   taken on load, a process that lost an owner can no longer write its pets;
 * - `CommandQueue` (command-queue.ts): changes applied between ticks, holds, care in two steps;
 * - `SyncScheduler` (sync-scheduler.ts): rooms told of a tick, spread over phases, in time slices;
 * - `SnapshotStore` (snapshot-store.ts): dirty pets, recorded life events, snapshot writes;
 * - pet-rows.ts: a stored row to the world's values and back.
 */
import type { Logger } from 'pino';
import { CARE_ACTIONS, STAGE_ADULT, type CareAction, type ItemId, type Species } from '../../shared/balance.js';
import {
  addPet,
  advance,
  careCount,
  cooldownRemaining,
  createPetWorld,
  emptyStats,
  isAsleep,
  readStats,
  removePet,
  secondsToNextStage,
  setUtcOffset,
  tickWorld,
  type CareResult,
  type LifeEvent,
  type PetStats,
  type PetUtcOffset,
  type PetWorld,
} from '../../sim/index.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import { LocalOwnerLeases, OwnerElsewhere, type OwnerLeaseStore } from '../cluster/owner-lease.js';
import type { Metrics } from '../metrics.js';
import type { PetEventsRepository, PetFact } from '../repositories/pet-events-repository.js';
import type { PetRow, PetRecord, PetsRepository } from '../repositories/pets-repository.js';
import { CommandQueue } from './command-queue.js';
import { OwnerLeases, type AcquireOptions, type OwnerEntry } from './owner-leases.js';
import {
  cooldownsFromRow,
  countsFromRow,
  gameClockAt,
  metaFromRow,
  recordOf,
  statsFromRow,
  type GameClock,
  type PetMeta,
} from './pet-rows.js';
import { SnapshotStore } from './snapshot-store.js';
import { SyncScheduler, safeCall, syncPhases, type OwnerListener } from './sync-scheduler.js';

export { OwnerElsewhere } from '../cluster/owner-lease.js';
export type { AcquireOptions } from './owner-leases.js';

/** How often a claim of a lease held elsewhere is tried again while waiting for it (ms). */
const LEASE_POLL_MS = 250;

export interface SimHostOptions {
  tickHz: number;
  timeScale: number;
  /** Seconds added to the game clock (time of day for quiet hours); 0 in production. */
  clockOffsetSeconds: number;
  snapshotIntervalSeconds: number;
  restLeaseIdleSeconds: number;
  /** How long `acquire` waits by default for another process's lease on the owner to end (ms); 0 when absent. */
  leaseWaitMs?: number;
}

export interface SimHostDeps {
  pets: PetsRepository;
  events: PetEventsRepository;
  logger: Logger;
  metrics: Metrics;
  /** Where growth and good care are announced. */
  bus: OwnerBus;
  /** Wall clock in epoch milliseconds (tests may pass their own). */
  now?: () => number;
  /** Cluster-wide owner leases; one process (always granted) when absent. */
  leases?: OwnerLeaseStore;
}

/** A care decided and not applied yet (`SimHost.prepareCare`). */
export interface PreparedCare {
  result: CareResult;
  snapshot: PetRecord | null;
  /** The care heals a sick pet. */
  cured: boolean;
  /** The pet's life events not written yet. */
  facts: PetFact[];
}

/** A loaded pet as seen from outside the world. */
export interface LivePet {
  id: string;
  ownerId: string;
  name: string;
  species: Species;
  /** The coat it wears ('default' or a skin id). */
  skin: string;
  stats: PetStats;
  /** Game seconds until each action is ready; 0 = ready. */
  cooldowns: Record<CareAction, number>;
  counts: Record<CareAction, number>;
  overfeeds: number;
  /** Game seconds until the next stage at the current pace; null when not growing. */
  nextStageSeconds: number | null;
  asleep: boolean;
  bornAt: number;
  /** Wall-clock time (ms) the values refer to. */
  at: number;
  eid: number;
}

export class SimHost {
  readonly world: PetWorld;
  private readonly pets = new Map<string, PetMeta>();
  private readonly owners: OwnerLeases;
  private readonly sync: SyncScheduler;
  private tickTimer: NodeJS.Timeout | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private readonly store: SnapshotStore;
  private readonly queue: CommandQueue;
  private readonly now: () => number;
  private readonly leases: OwnerLeaseStore;
  /** Owners whose lease this process holds, each with the number of its claim. */
  private readonly leased = new Map<string, number>();
  private claims = 0;
  private renewTimer: NodeJS.Timeout | null = null;
  private renewing = false;
  /** performance.now() of the last renewal Redis answered; past the TTL every lease may be gone. */
  private renewedAt = 0;
  /** Wall-clock ms that `world.time` corresponds to. */
  private worldAt: number;
  lastTick = { at: 0, durationMs: 0, dtGameSeconds: 0, dueEvents: 0, loadedPets: 0 };
  /**
   * Phases the rooms are spread over. Phase `k` is due in the slots `n` (wall-clock time
   * divided into `1000 / (tickHz * phases)` ms) with `n % phases == k`; `lastSlot` is the last
   * slot synced, so a late timer syncs the phases it missed and every room keeps `tickHz`.
   */
  private readonly phases: number;
  private readonly slotMs: number;
  private lastSlot: number | null = null;

  constructor(
    private readonly options: SimHostOptions,
    private readonly deps: SimHostDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.leases = deps.leases ?? new LocalOwnerLeases();
    this.sync = new SyncScheduler(deps.logger);
    this.phases = syncPhases(options.tickHz);
    this.slotMs = 1000 / (options.tickHz * this.phases);
    this.worldAt = this.now();
    this.world = createPetWorld({
      capacity: 4096,
      seed: this.worldAt >>> 0,
      clockAtZero: gameClockAt(this.worldAt, this.gameClock),
    });
    this.store = new SnapshotStore({
      world: this.world,
      pets: deps.pets,
      events: deps.events,
      logger: deps.logger,
      metrics: deps.metrics,
      now: this.now,
      snapshot: (petId) => this.snapshot(petId),
      fenceOf: (petId) => this.fenceOf(petId),
      fenced: (petIds) => {
        for (const ownerId of new Set(petIds.map((id) => this.pets.get(id)?.ownerId))) if (ownerId) this.ownerLost(ownerId);
      },
      isHeld: (petId) => this.queue.isHeld(petId),
    });
    this.owners = new OwnerLeases({
      logger: deps.logger,
      now: this.now,
      restLeaseIdleSeconds: options.restLeaseIdleSeconds,
      load: (ownerId, owner, options) => this.loadOwner(ownerId, owner, options),
      save: async (owner) => {
        // A care being stored with its item becomes live before the pets are written and go.
        await this.queue.waitUnheld(owner.petIds);
        // Owners let go of together (many homes closing, a shutdown) are written in one batch.
        await this.store.flushSoon(owner.petIds);
      },
      unload: (owner) => {
        owner.unfollow?.();
        owner.unfollow = null;
        for (const petId of owner.petIds) this.unloadPet(petId);
      },
      released: (ownerId) => {
        this.leased.delete(ownerId);
        return this.leases.release(ownerId);
      },
    });
    this.queue = new CommandQueue({
      world: this.world,
      pet: (petId) => this.pets.get(petId),
      worldAt: () => this.worldAt,
      markDirty: (petId) => this.store.markDirty(petId),
      touched: (ownerIds) => {
        for (const ownerId of ownerIds) {
          const owner = this.owners.get(ownerId);
          if (owner) for (const l of owner.listeners) safeCall(() => l.onChange(), this.deps.logger);
        }
      },
      writesSettled: () => this.store.writesSettled(),
    });
  }

  /** The game clock of the world's current time. */
  get clock(): number {
    return this.world.clockAtZero + this.world.time;
  }

  get timeScale(): number {
    return this.options.timeScale;
  }

  /** How wall-clock time maps to the game clock. */
  get gameClock(): GameClock {
    return { timeScale: this.options.timeScale, offsetSeconds: this.options.clockOffsetSeconds };
  }

  get loadedPetCount(): number {
    return this.pets.size;
  }

  start(): void {
    if (this.tickTimer) return;
    this.worldAt = this.now();
    // Keep the world's clock on the wall clock however long it waited to start.
    this.world.clockAtZero = gameClockAt(this.worldAt, this.gameClock) - this.world.time;
    // The world ticks once per phase; each sub-tick syncs the rooms of one phase, so every
    // room still gets `tickHz` updates a second (sync-scheduler.ts).
    this.tickTimer = setInterval(() => this.tickPhase(), this.slotMs);
    this.snapshotTimer = setInterval(() => {
      this.flushDirty().catch((err: unknown) => this.deps.logger.error({ err }, 'snapshot flush failed'));
    }, this.options.snapshotIntervalSeconds * 1000);
  }

  /** Advances the world to the wall clock (one central tick for every loaded pet) and syncs every room. */
  tick(): void {
    if (this.advance()) this.sync.schedule(this.listeners());
  }

  /** The timer's tick: advances the world and syncs the rooms of the phases due since the last one. */
  tickPhase(): void {
    const slot = Math.floor(this.now() / this.slotMs);
    const from = this.lastSlot === null ? slot : Math.max(this.lastSlot + 1, slot - this.phases + 1);
    if (slot < from || !this.advance()) return;
    this.lastSlot = slot;
    const due = new Set<number>();
    for (let n = from; n <= slot; n++) due.add(n % this.phases);
    this.sync.schedule(this.listeners(due));
  }

  /** One central tick for every loaded pet, up to the wall clock; false when no time passed. */
  private advance(): boolean {
    const started = performance.now();
    const nowMs = this.now();
    const dtGame = ((nowMs - this.worldAt) / 1000) * this.options.timeScale;
    if (dtGame <= 0) return false;
    tickWorld(this.world, dtGame);
    this.worldAt = nowMs;
    for (const { eid, event } of this.world.events) this.onLifeEvent(eid, event);
    this.world.events.length = 0;
    const durationMs = performance.now() - started;
    this.lastTick = {
      at: nowMs,
      durationMs,
      dtGameSeconds: dtGame,
      dueEvents: this.world.lastTick.dueEvents,
      loadedPets: this.pets.size,
    };
    this.deps.metrics.simTickDuration.observe(durationMs / 1000);
    this.deps.metrics.simLoadedPets.set(this.pets.size);
    return true;
  }

  /** Every subscriber (room) of every loaded owner, or of the owners in the given phases. */
  private listeners(phases?: ReadonlySet<number>): OwnerListener[] {
    const listeners: OwnerListener[] = [];
    for (const owner of this.owners.values()) {
      if (phases && !phases.has(owner.seq % this.phases)) continue;
      for (const listener of owner.listeners) listeners.push(listener);
    }
    return listeners;
  }

  private onLifeEvent(eid: number, event: LifeEvent): void {
    const meta = this.metaByEid(eid);
    if (!meta) return;
    this.store.record(meta, event, this.clock);
    // The owner bus tells the game (pictures, quests) and the owner's room of growth and good care.
    if (event.kind === 'stage') {
      const adultForm = event.to === STAGE_ADULT ? readStats(this.world, eid).adultForm : -1;
      this.deps.bus.publish(meta.ownerId, { kind: 'stage_changed', petId: meta.id, from: event.from, to: event.to, adultForm });
    } else if (event.kind === 'bonus') {
      this.deps.bus.publish(meta.ownerId, { kind: 'care_bonus', petId: meta.id, day: Math.floor(this.clock / 86400) });
    }
    const owner = this.owners.get(meta.ownerId);
    if (owner) for (const l of owner.listeners) safeCall(() => l.onLifeEvent?.(meta.id, event), this.deps.logger);
  }

  private readonly eidToPet = new Map<number, string>();

  private metaByEid(eid: number): PetMeta | undefined {
    const id = this.eidToPet.get(eid);
    return id === undefined ? undefined : this.pets.get(id);
  }

  /**
   * Loads the owner's pets (once) and registers `holder` as keeping them loaded. Fails with
   * `OwnerElsewhere` when another process holds the owner's lease (after waiting
   * `options.waitForLeaseMs`, by default `leaseWaitMs`, for it to end).
   */
  acquire(ownerId: string, holder: string, options?: AcquireOptions): Promise<void> {
    return this.owners.acquire(ownerId, holder, options);
  }

  /** Drops `holder`; the last one out flushes and unloads the owner's pets. */
  release(ownerId: string, holder: string): Promise<void> {
    return this.owners.release(ownerId, holder);
  }

  /** Keeps the owner loaded for a REST call and for `restLeaseIdleSeconds` after it. */
  touch(ownerId: string): Promise<void> {
    return this.owners.touch(ownerId);
  }

  /**
   * Extends the REST lease of a loaded owner (no-op if it has none and is held by a room).
   * One timer per owner re-arms itself instead of a new timer per request.
   */
  keepAlive(ownerId: string): void {
    this.owners.keepAlive(ownerId);
  }

  isOwnerLoaded(ownerId: string): boolean {
    return this.owners.isLoaded(ownerId);
  }

  /**
   * Throws `OwnerElsewhere` when another process simulates the owner's pets (cluster mode):
   * what must be done with their live state is then done there. One process: never throws.
   */
  async assertServedHere(ownerId: string): Promise<void> {
    if (this.owners.get(ownerId)) return;
    const holder = await this.leases.holder(ownerId);
    if (holder !== null && holder !== this.leases.processId) throw new OwnerElsewhere(ownerId, holder);
  }

  subscribe(ownerId: string, listener: OwnerListener): () => void {
    const owner = this.owners.get(ownerId);
    if (!owner) throw new Error(`owner ${ownerId} is not loaded`);
    owner.listeners.add(listener);
    return () => owner.listeners.delete(listener);
  }

  /**
   * The owner's writer fence as loaded here (0 when not loaded). A care stored outside the
   * snapshot flushes (`PetsRepository.saveCare`) carries it; when that write is refused for
   * it, call `fenceRejected`.
   */
  writerFence(ownerId: string): number {
    return this.owners.get(ownerId)?.fence ?? 0;
  }

  /** A write of the owner's pets was refused for an older writer fence: counted, and the owner dropped. */
  fenceRejected(ownerId: string, rows = 1): void {
    this.deps.metrics.snapshotFencingRejections.inc(rows);
    this.ownerLost(ownerId);
  }

  /** Claims the lease, takes the writer fence, then loads the pets: from then on this process is their one writer. */
  private async loadOwner(ownerId: string, owner: OwnerEntry, options: AcquireOptions): Promise<void> {
    await this.claimLease(ownerId, options.waitForLeaseMs ?? this.options.leaseWaitMs ?? 0);
    const claim = ++this.claims;
    this.leased.set(ownerId, claim);
    this.startRenewing();
    try {
      owner.fence = await this.deps.pets.takeWriterFence(ownerId);
      const rows = await this.deps.pets.listAllByOwner(ownerId);
      if (owner.lost) throw new OwnerElsewhere(ownerId, (await this.leases.holder(ownerId).catch(() => null)) ?? 'unknown');
      for (const row of rows) this.loadPet(row, owner);
      owner.unfollow = this.followUtcOffset(ownerId);
    } catch (err) {
      for (const petId of owner.petIds) this.unloadPet(petId);
      owner.petIds.clear();
      if (this.leased.get(ownerId) === claim) {
        this.leased.delete(ownerId);
        await this.leases.release(ownerId).catch((e: unknown) => this.deps.logger.warn({ err: e, ownerId }, 'owner lease release failed'));
      }
      throw err;
    }
  }

  /** Takes the owner's lease, trying again every `LEASE_POLL_MS` for up to `waitMs`. */
  private async claimLease(ownerId: string, waitMs: number): Promise<void> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      const claim = await this.leases.claim(ownerId);
      if (claim.ok) return;
      const left = deadline - performance.now();
      if (left <= 0) throw new OwnerElsewhere(ownerId, claim.heldBy);
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(LEASE_POLL_MS, left)));
    }
  }

  /** Renews every held lease each third of the lease's time to live. */
  private startRenewing(): void {
    if (this.renewTimer) return;
    this.renewedAt = performance.now();
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leases.ttlMs / 3)));
    this.renewTimer.unref();
  }

  /** One renewal round: owners whose lease is gone are dropped without writing. */
  private async renewLeases(): Promise<void> {
    if (this.renewing || this.leased.size === 0) return;
    this.renewing = true;
    const claims = new Map(this.leased);
    try {
      const lost = await this.leases.renew([...claims.keys()]);
      this.renewedAt = performance.now();
      // Only a claim still current is lost: one given up and taken again meanwhile is not.
      for (const ownerId of lost) if (this.leased.get(ownerId) === claims.get(ownerId)) this.ownerLost(ownerId);
    } catch (err) {
      this.deps.logger.warn({ err }, 'owner lease renewal failed');
      // Unrenewed for a whole TTL: every lease may have expired and been taken elsewhere.
      if (performance.now() - this.renewedAt >= this.leases.ttlMs) {
        for (const [ownerId, claim] of claims) if (this.leased.get(ownerId) === claim) this.ownerLost(ownerId);
      }
    } finally {
      this.renewing = false;
    }
  }

  /** Another process has the owner now: unloaded without writing, listeners told. */
  private ownerLost(ownerId: string): void {
    this.leased.delete(ownerId);
    this.owners.drop(ownerId);
  }

  private fenceOf(petId: string): number {
    const meta = this.pets.get(petId);
    return meta ? this.writerFence(meta.ownerId) : 0;
  }

  /** Adds a pet row to the world, caught up from its snapshot to the world's time. */
  private loadPet(row: PetRow, owner: OwnerEntry): void {
    if (this.pets.has(row.id)) return;
    const offlineGameSeconds = Math.max(0, ((this.worldAt - row.last_snapshot_at) / 1000) * this.options.timeScale);
    const stats = statsFromRow(row, this.gameClock);
    const events: LifeEvent[] = [];
    advance(stats, offlineGameSeconds, events);
    const eid = addPet(this.world, stats, {
      cooldownSeconds: cooldownsFromRow(row, offlineGameSeconds),
      counts: countsFromRow(row),
      overfeeds: row.overfeed_count,
    });
    this.pets.set(row.id, metaFromRow(row, eid));
    this.eidToPet.set(eid, row.id);
    owner.petIds.add(row.id);
    // Growth or sickness while offline is stored (and recorded, at the time it happened).
    const meta = this.pets.get(row.id);
    const loadedAt = this.clock;
    if (meta) for (const event of events) this.store.record(meta, event, loadedAt - offlineGameSeconds + event.atSeconds);
  }

  private unloadPet(petId: string): void {
    const meta = this.pets.get(petId);
    if (!meta) return;
    removePet(this.world, meta.eid);
    this.eidToPet.delete(meta.eid);
    this.pets.delete(petId);
    this.store.forget(petId);
  }

  /** A loaded pet now wears `skin` (stored by the caller); its owner's rooms show it. */
  setSkin(petId: string, skin: string): void {
    const meta = this.pets.get(petId);
    if (!meta || meta.skin === skin) return;
    meta.skin = skin;
    const owner = this.owners.get(meta.ownerId);
    if (owner) for (const l of owner.listeners) safeCall(() => l.onChange(), this.deps.logger);
  }

  /** A loaded pet now has `name` (stored by the caller); its owner's rooms show it. */
  setName(petId: string, name: string): void {
    const meta = this.pets.get(petId);
    if (!meta || meta.name === name) return;
    meta.name = name;
    const owner = this.owners.get(meta.ownerId);
    if (owner) for (const l of owner.listeners) safeCall(() => l.onChange(), this.deps.logger);
  }

  /** Adds a newly created pet if its owner is loaded (otherwise it loads with the owner). */
  petCreated(row: PetRow): void {
    const owner = this.owners.get(row.owner_id);
    if (!owner || owner.loading || owner.unloading) return;
    this.loadPet(row, owner);
    for (const l of owner.listeners) safeCall(() => l.onChange(), this.deps.logger);
  }

  /**
   * Queues a change to a loaded pet; it is applied with the other queued commands right after
   * the current turn of the event loop, between ticks, at the world's current time. The pet
   * is marked dirty (to be saved) when `changed(result)` says the command changed it.
   */
  command<T>(petId: string, apply: (world: PetWorld, eid: number) => T, changed: (result: T) => boolean): Promise<T> {
    return this.queue.command(petId, apply, changed);
  }

  /** Gives an owner's loaded pets the owner's UTC offset and its planned change (quiet hours follow it). */
  /**
   * Hears the owner's offset changes made by any process (a sign-in answered elsewhere) while
   * this process simulates their pets; the returned function stops.
   */
  private followUtcOffset(ownerId: string): () => void {
    return this.deps.bus.subscribe(ownerId, (event) => {
      if (event.kind !== 'utc_offset') return;
      const offset = { utcOffsetMinutes: event.utcOffsetMinutes, nextUtcOffsetMinutes: event.nextUtcOffsetMinutes, changesAt: event.changesAt ?? Infinity };
      this.setOwnerUtcOffset(ownerId, offset).catch((err: unknown) => this.deps.logger.warn({ err, ownerId }, 'utc offset not applied'));
    });
  }

  async setOwnerUtcOffset(ownerId: string, offset: PetUtcOffset): Promise<void> {
    const owner = this.owners.get(ownerId);
    if (!owner) return;
    await Promise.all(
      [...owner.petIds].map((petId) =>
        this.command(petId, (world, eid) => setUtcOffset(world, eid, offset), () => true).catch(() => undefined),
      ),
    );
  }

  /**
   * Keeps `petId` out of snapshot writes until `unhold`, and resolves once every write that
   * started before is done: from then on, the stored row only changes through the caller.
   */
  hold(petId: string): Promise<void> {
    return this.queue.hold(petId);
  }

  unhold(petId: string): void {
    this.queue.unhold(petId);
  }

  /**
   * Decides a care action at the world's current time without applying it: the result, and
   * for an accepted one the pet's snapshot with the care done, to be stored with its item
   * before `commitCare` makes it live; whether it cures the pet; and the pet's life events
   * not written yet, to be stored with it (before the care in the log, as they came first).
   */
  async prepareCare(petId: string, action: CareAction, item: ItemId): Promise<PreparedCare> {
    const prepared = await this.queue.prepareCare(petId, action, item);
    return { ...prepared, facts: prepared.snapshot ? this.store.pendingOf(petId) : [] };
  }

  /** Applies a care action `prepareCare` accepted and whose item is spent (no checks again). */
  commitCare(petId: string, action: CareAction, item: ItemId): Promise<CareResult> {
    return this.queue.commitCare(petId, action, item);
  }

  live(petId: string): LivePet | null {
    const meta = this.pets.get(petId);
    return meta ? this.liveInto(meta, { stats: emptyStats(), cooldowns: {} as Record<CareAction, number>, counts: {} as Record<CareAction, number> }) : null;
  }

  /**
   * Calls `fn` with each of the owner's loaded pets, read into one object reused from call to
   * call (a room syncs 10,000 times a second: no copies made). `fn` must not keep it.
   */
  forEachOwnerPet(ownerId: string, fn: (pet: Readonly<LivePet>) => void): void {
    const owner = this.owners.get(ownerId);
    if (!owner) return;
    for (const petId of owner.petIds) {
      const meta = this.pets.get(petId);
      if (meta) fn(this.liveInto(meta, this.scratch));
    }
  }

  private readonly scratch = { stats: emptyStats(), cooldowns: {} as Record<CareAction, number>, counts: {} as Record<CareAction, number> };

  private liveInto(meta: PetMeta, into: { stats: PetStats; cooldowns: Record<CareAction, number>; counts: Record<CareAction, number> }): LivePet {
    const stats = readStats(this.world, meta.eid, into.stats);
    const { cooldowns, counts } = into;
    for (const action of CARE_ACTIONS) {
      cooldowns[action] = cooldownRemaining(this.world, meta.eid, action);
      counts[action] = careCount(this.world, meta.eid, action);
    }
    return {
      id: meta.id,
      ownerId: meta.ownerId,
      name: meta.name,
      species: meta.species,
      skin: meta.skin,
      stats,
      cooldowns,
      counts,
      overfeeds: this.world.components.Care.overfeeds[meta.eid] as number,
      nextStageSeconds: stats.stage >= STAGE_ADULT ? null : secondsToNextStage(stats),
      asleep: isAsleep(stats),
      bornAt: meta.bornAt,
      at: this.worldAt,
      eid: meta.eid,
    };
  }

  /** Ids of every loaded pet. */
  loadedPetIds(): IterableIterator<string> {
    return this.pets.keys();
  }

  ownerPets(ownerId: string): LivePet[] {
    const owner = this.owners.get(ownerId);
    if (!owner) return [];
    const result: LivePet[] = [];
    for (const petId of owner.petIds) {
      const pet = this.live(petId);
      if (pet) result.push(pet);
    }
    return result;
  }

  /** Raw component values of a loaded pet, for the admin room inspector. */
  inspect(petId: string): { eid: number; components: Record<string, unknown> } | null {
    const meta = this.pets.get(petId);
    if (!meta) return null;
    const eid = meta.eid;
    const c = this.world.components;
    const pick = (store: Record<string, unknown>) => {
      const out: Record<string, number> = {};
      for (const [key, arr] of Object.entries(store)) {
        if (ArrayBuffer.isView(arr) && key !== 'readyAt' && key !== 'counts') out[key] = (arr as Float64Array)[eid] as number;
      }
      return out;
    };
    const care: Record<string, unknown> = { overfeeds: c.Care.overfeeds[eid] };
    for (const action of CARE_ACTIONS) {
      care[`${action}ReadyInGameSeconds`] = cooldownRemaining(this.world, eid, action);
      care[`${action}Count`] = careCount(this.world, eid, action);
    }
    return {
      eid,
      components: {
        Meters: { ...pick(c.Meters), healthNow: readStats(this.world, eid).health },
        Life: { ...pick(c.Life), ageSeconds: this.world.time - (c.Life.bornAt[eid] as number) },
        Growth: pick(c.Growth),
        Segment: pick(c.Segment),
        Care: care,
        worldTime: this.world.time,
      },
    };
  }

  /** The stored form of a loaded pet's values as of the world's current time. */
  private snapshot(petId: string): PetRecord | null {
    const pet = this.live(petId);
    const meta = this.pets.get(petId);
    if (!pet || !meta) return null;
    return recordOf(meta, pet.stats, pet.cooldowns, pet.counts, pet.overfeeds, this.worldAt);
  }

  /**
   * Writes the given pets' current state; clears their dirty mark unless they changed
   * meanwhile. A held pet (its care being stored) is skipped and stays dirty.
   */
  flushPets(petIds: readonly string[]): Promise<number> {
    return this.store.flushPets(petIds);
  }

  /** Writes the life events recorded since the last call; kept for the next call on failure. */
  flushEvents(): Promise<number> {
    return this.store.flushEvents();
  }

  /** Flushes every pet changed by a command or an event since its last flush, and the events. */
  flushDirty(): Promise<number> {
    return this.store.flushDirty();
  }

  get dirtyCount(): number {
    return this.store.dirtyCount;
  }

  /**
   * Stops ticking, applies queued commands, brings the world to the wall clock and flushes
   * every loaded pet: a graceful shutdown loses nothing.
   */
  async stop(): Promise<void> {
    if (this.queue.closed) return;
    // A care being stored with its item finishes first (its write has a deadline of its own).
    await this.queue.waitUnheld();
    this.queue.close();
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    this.tickTimer = null;
    this.snapshotTimer = null;
    this.queue.applyPending();
    this.tick();
    await this.store.flushAll([...this.pets.keys()]);
    this.owners.clearTimers();
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    const leased = [...this.leased.keys()];
    this.leased.clear();
    await Promise.all(
      leased.map((ownerId) =>
        this.leases.release(ownerId).catch((err: unknown) => this.deps.logger.warn({ err, ownerId }, 'owner lease release failed')),
      ),
    );
  }
}

/**
 * What of the pet world reaches the database, and when. A pet is dirty after a change that
 * `advance()` cannot reproduce from its last snapshot (a life event worth storing, a command
 * that changed it); dirty pets are written in batches, and life events worth recording are
 * kept until the next flush. A write never moves a stored pet back in time (the repository's
 * guarded write), and a held pet (its care being stored with its item) is left alone.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ADULT_FORMS, STAGE_ADULT, STAGES, type AdultForm, type StageName } from '../../shared/balance.js';
import { readStats, type LifeEvent, type PetWorld } from '../../sim/index.js';
import type { GameEvent } from '../events/event-kinds.js';
import type { Metrics } from '../metrics.js';
import type { PetEventsRepository, PetFact } from '../repositories/pet-events-repository.js';
import type { PetRecord, PetsRepository } from '../repositories/pets-repository.js';
import type { PetMeta } from './pet-rows.js';

interface SnapshotStoreDeps {
  world: PetWorld;
  pets: PetsRepository;
  events: PetEventsRepository;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  /** The stored form of a loaded pet as of the world's time; null when it is not loaded. */
  snapshot(petId: string): PetRecord | null;
  /** Whether the pet's care is being stored with its item (flushes skip it). */
  isHeld(petId: string): boolean;
  /** The writer fence of the pet's owner as loaded; its snapshots carry it. */
  fenceOf(petId: string): number;
  /** These pets' writes were refused for a newer writer fence: their owners are someone else's. */
  fenced(petIds: readonly string[]): void;
}

export class SnapshotStore {
  private readonly dirty = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  /** Life events waiting to be recorded with the next flush (or with a care of the pet). */
  private pendingEvents: PetFact[] = [];
  private flushing: Promise<void> | null = null;
  /** Snapshot and life event writes under way (periodic, unloading, shutdown): a care waits for them. */
  private readonly writes = new Set<Promise<unknown>>();
  /** Pets `flushSoon` was asked for in this turn of the event loop, and the write that takes them. */
  private readonly soon = new Set<string>();
  private soonWrite: Promise<number> | null = null;

  constructor(private readonly deps: SnapshotStoreDeps) {}

  get dirtyCount(): number {
    return this.dirty.size;
  }

  markDirty(petId: string): void {
    const version = (this.versions.get(petId) ?? 0) + 1;
    this.versions.set(petId, version);
    this.dirty.set(petId, version);
  }

  /** Drops what is kept about an unloaded pet. */
  forget(petId: string): void {
    this.dirty.delete(petId);
    this.versions.delete(petId);
  }

  /**
   * Marks the pet dirty for facts worth storing now and queues the ones worth recording:
   * stage changes (with the adult form) and sickness, each with its event of the log.
   * Mistakes, offsets and sleep are only counted or shown, and `advance()` reproduces them
   * from the snapshot.
   */
  record(meta: PetMeta, event: LifeEvent, clockAtEnd: number): void {
    if (event.kind !== 'stage' && event.kind !== 'sick') return;
    this.markDirty(meta.id);
    const stats = readStats(this.deps.world, meta.eid);
    const petId = meta.id;
    const nowMs = this.deps.now();
    const data: Record<string, unknown> = {};
    let logged: GameEvent;
    if (event.kind === 'stage') {
      // Stage and form numbers from the sim index these tables.
      const from = STAGES[event.from] as StageName;
      const to = STAGES[event.to] as StageName;
      const adultForm = event.to === STAGE_ADULT ? (ADULT_FORMS[stats.adultForm] as AdultForm) : null;
      Object.assign(data, { from, to });
      if (adultForm !== null) Object.assign(data, { adultForm, careMistakes: stats.careMistakes, careBonus: stats.careBonus });
      this.deps.logger.info({ petId, ownerId: meta.ownerId, ...data }, 'pet grew');
      logged = { kind: 'stage', playerId: meta.ownerId, at: nowMs, payload: { petId, from, to, adultForm } };
    } else {
      this.deps.logger.info({ petId, ownerId: meta.ownerId }, 'pet fell sick');
      logged = { kind: 'sickness', playerId: meta.ownerId, at: nowMs, payload: { petId, sick: true } };
    }
    this.pendingEvents.push({
      row: {
        id: randomUUID(),
        pet_id: petId,
        owner_id: meta.ownerId,
        kind: event.kind,
        stage: event.kind === 'stage' ? event.to : null,
        data: JSON.stringify(data),
        game_clock: clockAtEnd,
        created_at: nowMs,
      },
      event: logged,
    });
  }

  /** The pet's life events not written yet (a care stores them with it, before its own event). */
  pendingOf(petId: string): PetFact[] {
    return this.pendingEvents.filter((f) => f.row.pet_id === petId);
  }

  /** Settles once every snapshot or life event write under way has; null when none is. */
  writesSettled(): Promise<unknown> | null {
    return this.writes.size > 0 ? Promise.allSettled([...this.writes]) : null;
  }

  /**
   * Writes the given pets' current state; clears their dirty mark unless they changed
   * meanwhile. A held pet (its care being stored) is skipped and stays dirty.
   */
  async flushPets(petIds: readonly string[]): Promise<number> {
    if (petIds.length === 0) return 0;
    const started = performance.now();
    const snapshots: PetRecord[] = [];
    const fences: number[] = [];
    const versions: Array<[string, number | undefined]> = [];
    for (const petId of petIds) {
      if (this.deps.isHeld(petId)) continue;
      const snap = this.deps.snapshot(petId);
      if (!snap) continue;
      snapshots.push(snap);
      fences.push(this.deps.fenceOf(petId));
      versions.push([petId, this.dirty.get(petId)]);
    }
    if (snapshots.length === 0) return 0;
    const write = this.deps.pets.writeSnapshots(snapshots, this.deps.now(), fences);
    this.writes.add(write);
    let written: number;
    let fenced: string[];
    try {
      ({ written, fenced } = await write);
    } catch (err) {
      // The pets stay dirty for the next flush; the alert TelepetsSnapshotFlushFailing reads this.
      this.deps.metrics.snapshotFlushFailures.inc();
      throw err;
    } finally {
      this.writes.delete(write);
    }
    for (const [petId, version] of versions) {
      if (version !== undefined && this.dirty.get(petId) === version) this.dirty.delete(petId);
    }
    this.deps.metrics.snapshotFlushDuration.observe((performance.now() - started) / 1000);
    this.deps.metrics.snapshotFlushRows.inc(written);
    if (fenced.length > 0) {
      this.deps.metrics.snapshotFencingRejections.inc(fenced.length);
      this.deps.fenced(fenced);
    }
    return written;
  }

  /**
   * Writes the life events recorded since the last call, with their events of the log; kept
   * for the next call on failure (a chunk is written whole or not at all, and one written
   * already is skipped with its event).
   */
  async flushEvents(): Promise<number> {
    // A held pet's facts wait: its care stores them, so they come before the care in the log.
    const batch = this.pendingEvents.filter((f) => !this.deps.isHeld(f.row.pet_id));
    if (batch.length === 0) return 0;
    this.pendingEvents = this.pendingEvents.filter((f) => this.deps.isHeld(f.row.pet_id));
    // A care waits for this write too (`hold`): the facts are written before it, or by it.
    const write = this.deps.events.insertMany(batch);
    this.writes.add(write);
    try {
      return await write;
    } catch (err) {
      this.pendingEvents = batch.concat(this.pendingEvents);
      this.deps.metrics.snapshotFlushFailures.inc();
      throw err;
    } finally {
      this.writes.delete(write);
    }
  }

  /** Flushes every pet changed by a command or an event since its last flush, and the events. */
  /**
   * Writes these pets together with every other pet asked for in the same turn of the event
   * loop (homes closing at once, a shutdown with thousands of rooms): one batch write instead
   * of one each. Resolves with the batch's count.
   */
  flushSoon(petIds: Iterable<string>): Promise<number> {
    for (const id of petIds) this.soon.add(id);
    this.soonWrite ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const ids = [...this.soon];
      this.soon.clear();
      this.soonWrite = null;
      return this.flushPets(ids);
    });
    return this.soonWrite;
  }

  async flushDirty(): Promise<number> {
    if (this.flushing) await this.flushing;
    await this.flushEvents();
    const ids = [...this.dirty.keys()];
    if (ids.length === 0) return 0;
    let written = 0;
    const run = this.flushPets(ids).then((n) => {
      written = n;
    });
    this.flushing = run.finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    return written;
  }

  /** On shutdown: waits for a periodic flush under way, then writes `petIds` and the events. */
  async flushAll(petIds: readonly string[]): Promise<void> {
    if (this.flushing) await this.flushing;
    await this.flushPets(petIds);
    await this.flushEvents();
  }
}

/**
 * Changes to loaded pets, applied between ticks. A command is queued and applied with the
 * other queued commands right after the current turn of the event loop, at the world's
 * current time. A care paid for with an item goes through here in two steps: `prepareCare`
 * decides it and returns the record to store with the item, `commitCare` makes it live; in
 * between the pet is held (`hold`), so no snapshot write can overwrite the stored care.
 */
import { CARE_ACTIONS, type CareAction, type ItemId } from '../../shared/balance.js';
import { AppError } from '../../shared/errors.js';
import {
  careCount,
  commitCare,
  cooldownRemaining,
  emptyStats,
  previewCare,
  type CareResult,
  type PetWorld,
} from '../../sim/index.js';
import type { PetRecord } from '../repositories/pets-repository.js';
import { recordOf, type PetMeta } from './pet-rows.js';

interface CommandQueueDeps {
  world: PetWorld;
  /** A loaded pet; undefined when it is not loaded. */
  pet(petId: string): PetMeta | undefined;
  /** Wall-clock ms that the world's time corresponds to. */
  worldAt(): number;
  /** Marks a pet to be saved. */
  markDirty(petId: string): void;
  /** Called after each batch with the owners whose pets it reached, in order. */
  touched(ownerIds: ReadonlySet<string>): void;
  /** Settles once every snapshot or life event write under way has; null when none is. */
  writesSettled(): Promise<unknown> | null;
}

/** A change to one pet, applied between ticks by `applyPending`. */
interface Command {
  petId: string;
  apply(world: PetWorld, eid: number): unknown;
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

/** How long unloading or stopping waits for cares being stored with their items. */
const HOLD_WAIT_MS = 5000;

export class CommandQueue {
  private commands: Command[] = [];
  private flushScheduled = false;
  private closedFlag = false;
  /**
   * Pets whose care is being stored with its item: flushes leave them alone (and dirty) until
   * the care is live, so no snapshot taken before the care can overwrite the one with it.
   */
  private readonly held = new Map<string, number>();

  constructor(private readonly deps: CommandQueueDeps) {}

  /** True once `close` ran: new commands are refused with SHUTTING_DOWN. */
  get closed(): boolean {
    return this.closedFlag;
  }

  close(): void {
    this.closedFlag = true;
  }

  /**
   * Queues a change to a loaded pet; it is applied with the other queued commands right after
   * the current turn of the event loop, between ticks, at the world's current time. The pet
   * is marked dirty (to be saved) when `changed(result)` says the command changed it.
   */
  command<T>(petId: string, apply: (world: PetWorld, eid: number) => T, changed: (result: T) => boolean): Promise<T> {
    if (this.closedFlag) return Promise.reject(new AppError('SHUTTING_DOWN'));
    return new Promise<T>((resolve, reject) => {
      this.commands.push({
        petId,
        apply: (world, eid) => {
          const result = apply(world, eid);
          if (changed(result)) this.deps.markDirty(petId);
          return result;
        },
        resolve: resolve,
        reject,
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.applyPending());
      }
    });
  }

  /** Applies every queued command now (the scheduled run finds nothing left). */
  applyPending(): void {
    this.flushScheduled = false;
    const batch = this.commands;
    if (batch.length === 0) return;
    this.commands = [];
    const touched = new Set<string>();
    for (const cmd of batch) {
      const meta = this.deps.pet(cmd.petId);
      if (!meta) {
        cmd.reject(new AppError('PET_NOT_FOUND'));
        continue;
      }
      try {
        cmd.resolve(cmd.apply(this.deps.world, meta.eid));
        touched.add(meta.ownerId);
      } catch (err) {
        cmd.reject(err);
      }
    }
    this.deps.touched(touched);
  }

  /**
   * Decides a care action at the world's current time without applying it: the result, and
   * for an accepted one the pet's snapshot with the care done, to be stored with its item
   * before `commitCare` makes it live.
   */
  prepareCare(petId: string, action: CareAction, item: ItemId): Promise<{ result: CareResult; snapshot: PetRecord | null; cured: boolean }> {
    return this.command(
      petId,
      (world, eid) => {
        const stats = emptyStats();
        const wasSick = world.components.Life.sick[eid] === 1;
        const result = previewCare(world, eid, action, item, stats);
        const meta = this.deps.pet(petId);
        if (!result.ok || !meta) return { result, snapshot: null, cured: false };
        const cooldowns = {} as Record<CareAction, number>;
        const counts = {} as Record<CareAction, number>;
        for (const a of CARE_ACTIONS) {
          cooldowns[a] = a === action ? result.cooldownSeconds : cooldownRemaining(world, eid, a);
          counts[a] = careCount(world, eid, a) + (a === action ? 1 : 0);
        }
        const overfeeds = (world.components.Care.overfeeds[eid] as number) + (result.overfed ? 1 : 0);
        return { result, snapshot: recordOf(meta, stats, cooldowns, counts, overfeeds, this.deps.worldAt()), cured: wasSick && !stats.sick };
      },
      () => false,
    );
  }

  /** Applies a care action `prepareCare` accepted and whose item is spent (no checks again). */
  commitCare(petId: string, action: CareAction, item: ItemId): Promise<CareResult> {
    return this.command(petId, (world, eid) => commitCare(world, eid, action, item), () => true);
  }

  /**
   * Keeps `petId` out of snapshot writes until `unhold`, and resolves once every write that
   * started before is done: from then on, the stored row only changes through the caller.
   */
  async hold(petId: string): Promise<void> {
    this.held.set(petId, (this.held.get(petId) ?? 0) + 1);
    const settled = this.deps.writesSettled();
    if (settled) await settled;
  }

  unhold(petId: string): void {
    const n = (this.held.get(petId) ?? 0) - 1;
    if (n > 0) this.held.set(petId, n);
    else this.held.delete(petId);
  }

  isHeld(petId: string): boolean {
    return this.held.has(petId);
  }

  /** Resolves once none of `petIds` (every held pet by default) is held, or after `HOLD_WAIT_MS` (the rest stay unwritten). */
  async waitUnheld(petIds: Iterable<string> = this.held.keys()): Promise<void> {
    const ids = [...petIds];
    for (let waitedMs = 0; ids.some((id) => this.held.has(id)) && waitedMs < HOLD_WAIT_MS; waitedMs += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

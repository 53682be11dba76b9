/**
 * Pets: adoption, listing, reading (live from the simulation when loaded, otherwise caught
 * up from the stored snapshot on the fly) and care — the one care path used by REST and by
 * the home room alike.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { itemOfSkin,
  ACTION_ITEM_KIND,
  ADULT_FORMS,
  CRITICAL_THRESHOLD,
  DEFAULT_ACTION_ITEM,
  ITEMS,
  MAX_PETS_PER_PLAYER,
  NEW_PET_METERS,
  SPECIES,
  STAGES,
  STAGE_ADULT,
  STARTER_PACK,
  isSpecies,
  stageName,
  type CareAction,
  type ItemId,
  type Species,
} from '../../shared/balance.js';
import type { AdoptedPetDto, CareResultDto, CreatePetBody, PetDto, PetListDto, PetSummaryDto, WakeResultDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { isNameBlocked } from '../../shared/name-filter.js';
import { describeNameRefusal, normalizeName } from '../../shared/names.js';
import {
  advance,
  allGood,
  isAsleep,
  wakePet,
  type CareResult,
  healthRatePerSecond,
  isGrowing,
  secondsToNextStage,
  type PetStats,
  type PetUtcOffset,
} from '../../sim/index.js';
import type { PetRow, PetsRepository } from '../repositories/pets-repository.js';
import { cooldownsFromRow, petOffsetColumns, statsFromRow } from '../sim-host/pet-rows.js';
import type { LivePet, SimHost } from '../sim-host/sim-host.js';
import type { FriendService } from './friend-service.js';
import type { InventoryService } from './inventory-service.js';
import type { ReferralService } from './referral-service.js';
import type { OwnerBus } from '../bus/owner-bus.js';

export interface PetServiceDeps {
  pets: PetsRepository;
  friends: FriendService;
  inventory: InventoryService;
  sim: SimHost;
  /** Where a change of coat is announced (its picture is needed, the room shows it). */
  bus: OwnerBus;
  /** Referral rewards, decided with a player's first adoption (none: no rewards). */
  referrals?: ReferralService;
  now?: () => number;
}

const UTC: PetUtcOffset = { utcOffsetMinutes: 0, nextUtcOffsetMinutes: 0, changesAt: Infinity };

/** A pet name as adoption and renaming accept it (normalised), or NAME_INVALID / NAME_REJECTED. */
export function checkedName(raw: string): string {
  const checked = normalizeName(raw);
  if (!checked.ok) throw new AppError('NAME_INVALID', describeNameRefusal(checked.reason));
  // Friends see it: no obscenities or slurs (EN and RU, disguises undone).
  if (isNameBlocked(checked.name)) throw new AppError('NAME_REJECTED');
  return checked.name;
}

/** A pet's values at one instant, wherever they came from: a loaded pet or a stored row caught up. */
type PetReading = Pick<LivePet, 'id' | 'ownerId' | 'name' | 'species' | 'skin' | 'stats' | 'cooldowns' | 'bornAt' | 'at'> & {
  counts: Record<CareAction | 'overfeed', number>;
  live: boolean;
};

/** Care actions one pet may have waiting behind the one being stored. */
export const MAX_QUEUED_CARE_PER_PET = 16;

/**
 * The item a care action uses: `itemId`, or the action's plainest one. Throws ITEM_INVALID
 * when the item is not of the action's kind.
 */
export function careItem(action: CareAction, itemId?: ItemId): ItemId {
  const item = itemId ?? DEFAULT_ACTION_ITEM[action];
  if (ITEMS[item].kind !== ACTION_ITEM_KIND[action]) {
    throw new AppError('ITEM_INVALID', `${action} needs an item of kind ${ACTION_ITEM_KIND[action]}, not ${item}`);
  }
  return item;
}

export class PetService {
  private readonly now: () => number;
  private readonly careQueues = new Map<string, { waiting: number; tail: Promise<void> }>();
  /** Told of every name the word filter refuses (the moderation queue keeps a few); must not throw. */
  onNameRejected: ((playerId: string, text: string, context: 'adopt' | 'rename') => void) | null = null;

  /** `checkedName`, telling moderation of a name the word filter refused (a player's, not an admin's). */
  private checkedName(playerId: string | null, raw: string, context: 'adopt' | 'rename'): string {
    try {
      return checkedName(raw);
    } catch (err) {
      if (playerId !== null && err instanceof AppError && err.code === 'NAME_REJECTED') this.onNameRejected?.(playerId, raw.normalize('NFC').trim(), context);
      throw err;
    }
  }

  constructor(private readonly deps: PetServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Adopts a pet (with the starter pack of items); its quiet hours follow the owner's UTC offset and its planned change. */
  async create(ownerId: string, body: CreatePetBody, offset: PetUtcOffset = UTC): Promise<AdoptedPetDto> {
    const name = this.checkedName(ownerId, body.name, 'adopt');
    // A new pet joins its owner's other pets in the process that simulates them.
    await this.deps.sim.assertServedHere(ownerId);
    const species: Species = body.species ?? (SPECIES[randomInt(SPECIES.length)] as Species);
    const nowMs = this.now();
    const row: PetRow = {
      id: randomUUID(),
      owner_id: ownerId,
      name,
      species,
      stage: 0,
      hunger: NEW_PET_METERS.hunger,
      mood: NEW_PET_METERS.mood,
      cleanliness: NEW_PET_METERS.cleanliness,
      health: NEW_PET_METERS.health,
      sick: 0,
      age_seconds: 0,
      stage_seconds: 0,
      feed_count: 0,
      play_count: 0,
      clean_count: 0,
      heal_count: 0,
      overfeed_count: 0,
      cooldowns: '{}',
      care_mistakes: 0,
      care_bonus: 0,
      hunger_critical_s: 0,
      mood_critical_s: 0,
      cleanliness_critical_s: 0,
      good_care_s: 0,
      adult_form: 0,
      awake_until: 0,
      ...petOffsetColumns(offset),
      skin: 'default',
      born_at: nowMs,
      last_snapshot_at: nowMs,
      created_at: nowMs,
      updated_at: nowMs,
    };
    // A player a friend's link brought is rewarded with their first pet, in its transaction.
    const referrals = this.deps.referrals;
    const { inserted, alongside: referral } = await this.deps.pets.insertWithinLimit(
      row,
      MAX_PETS_PER_PLAYER,
      STARTER_PACK,
      referrals ? (trx) => referrals.decideInAdoption(trx, ownerId, nowMs) : undefined,
    );
    if (!inserted) throw new AppError('PET_LIMIT_REACHED', `A player can have at most ${MAX_PETS_PER_PLAYER} pets`);
    this.deps.inventory.changed(ownerId);
    this.deps.sim.petCreated(row);
    if (referral) referrals?.announce(referral);
    const pet: AdoptedPetDto = toPetDto(this.stateOf(row));
    if (referral && referral.referredCoins > 0) pet.referralReward = { coins: referral.referredCoins, friendName: referral.inviterName };
    return pet;
  }

  async list(ownerId: string, limit: number, cursor: string | undefined): Promise<PetListDto> {
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const rows = await this.deps.pets.listPage(ownerId, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toPetDto(this.stateOf(row))),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  get(viewerId: string, petId: string): PetDto | Promise<PetDto> {
    const own = this.ownLoadedPet(viewerId, petId);
    return own ? toPetDto(own) : this.visibleState(viewerId, petId).then(toPetDto);
  }

  summary(viewerId: string, petId: string): PetSummaryDto | Promise<PetSummaryDto> {
    const timeScale = this.deps.sim.timeScale;
    const own = this.ownLoadedPet(viewerId, petId);
    return own ? toSummary(own, timeScale) : this.visibleState(viewerId, petId).then((state) => toSummary(state, timeScale));
  }

  /**
   * The common case answered without waiting: the owner asking about a pet that is loaded.
   * Extends the REST lease like any other read.
   */
  private ownLoadedPet(viewerId: string, petId: string): PetReading | null {
    const live = this.deps.sim.live(petId);
    if (!live || live.ownerId !== viewerId) return null;
    this.deps.sim.keepAlive(viewerId);
    return fromLive(live);
  }

  /**
   * Applies a care action for the pet's owner, consuming one item of the action's kind
   * (`itemId` picks the food; the default is the plainest).
   *
   * Everything that can refuse the action without writing is checked first: the item's kind,
   * the owner, sleep and the cooldown (in memory). Then the item is spent and the pet's
   * snapshot with the care done is stored in one transaction, and only then is the care made
   * live: a crash at any moment leaves either both or neither, and a refused care writes
   * nothing. `fromRoom` means the owner's home room keeps the pet loaded; otherwise it is
   * loaded for a while for REST. Care for one pet is handled one at a time, in order; a pet with
   * `MAX_QUEUED_CARE_PER_PET` waiting refuses more with RATE_LIMITED.
   */
  async care(playerId: string, petId: string, action: CareAction, itemId?: ItemId, fromRoom = false): Promise<CareResultDto> {
    const item = careItem(action, itemId);
    await this.loadForOwner(playerId, petId, fromRoom);
    return this.oneAtATime(petId, () => this.careNow(playerId, petId, action, item));
  }

  private async careNow(playerId: string, petId: string, action: CareAction, item: ItemId): Promise<CareResultDto> {
    const sim = this.deps.sim;
    let result: CareResult | null = null;
    await sim.hold(petId);
    try {
      for (let attempt = 0; result === null; attempt++) {
        const prepared = await sim.prepareCare(petId, action, item);
        if (!prepared.result.ok) throw this.refusal(prepared.result, action);
        if (!prepared.snapshot) throw new AppError('PET_NOT_FOUND');
        const written = await this.deps.pets.saveCare(playerId, action, item, prepared.snapshot, this.now(), sim.writerFence(playerId), prepared);
        // Another process took the owner over (this one was paused past its lease): nothing was
        // written; this process lets the owner go and the client retries where it lives now.
        if (written === 'fenced') {
          sim.fenceRejected(playerId);
          throw new AppError('NOT_READY', 'The pet is being looked after elsewhere; try again');
        }
        if (written === 'item_missing') throw new AppError('ITEM_MISSING', `You have no ${item} left`, { itemId: item });
        // A snapshot newer than the world's time (a pet saved after the last tick): decide again.
        if (written === 'stale') {
          if (attempt >= 2) throw new AppError('NOT_READY', 'The pet is busy; try again');
          continue;
        }
        result = await sim.commitCare(petId, action, item);
      }
    } finally {
      sim.unhold(petId);
    }
    if (!result.ok) throw this.refusal(result, action);
    this.deps.inventory.changed(playerId);
    const after = sim.live(petId);
    if (!after) throw new AppError('PET_NOT_FOUND');
    return {
      action,
      itemId: item,
      delta: result.delta,
      overfed: result.overfed,
      cooldownSeconds: result.cooldownSeconds / sim.timeScale,
      pet: toPetDto(fromLive(after)),
    };
  }

  /** Runs `task` after the pet's earlier ones; refuses when too many are waiting. */
  private oneAtATime<T>(petId: string, task: () => Promise<T>): Promise<T> {
    const queue = this.careQueues.get(petId) ?? { waiting: 0, tail: Promise.resolve() };
    if (queue.waiting >= MAX_QUEUED_CARE_PER_PET) {
      return Promise.reject(new AppError('RATE_LIMITED', 'Too many care actions at once', { retryAfterSeconds: 1 }));
    }
    queue.waiting += 1;
    this.careQueues.set(petId, queue);
    const run = queue.tail.then(task);
    queue.tail = run.then(
      () => undefined,
      () => undefined,
    );
    void queue.tail.then(() => {
      queue.waiting -= 1;
      if (queue.waiting === 0 && this.careQueues.get(petId) === queue) this.careQueues.delete(petId);
    });
    return run;
  }

  /** Wakes a sleeping pet for a while, at a cost in mood. */
  async wake(playerId: string, petId: string, fromRoom = false): Promise<WakeResultDto> {
    await this.loadForOwner(playerId, petId, fromRoom);
    const result = await this.deps.sim.command(petId, wakePet, (r) => r.ok);
    if (!result.ok) throw new AppError('NOT_ASLEEP');
    const after = this.deps.sim.live(petId);
    if (!after) throw new AppError('PET_NOT_FOUND');
    return { delta: result.delta, awakeForSeconds: result.awakeForSeconds / this.deps.sim.timeScale, pet: toPetDto(fromLive(after)) };
  }

  /** Checks that `playerId` owns the pet and makes sure it is loaded. */
  /**
   * Dresses a pet in a skin its owner holds (or back in 'default'). The room shows the coat at
   * once and the picture in it as soon as it is painted.
   */
  async setSkin(playerId: string, petId: string, skin: string): Promise<PetDto> {
    if (skin !== 'default') {
      const item = itemOfSkin(skin);
      if (!item) throw new AppError('VALIDATION_FAILED', `No such skin: ${skin}`);
      const holdings = await this.deps.inventory.holdings(playerId);
      if ((holdings.items[item] ?? 0) < 1) throw new AppError('SKIN_NOT_OWNED', undefined, { skin });
    }
    await this.loadForOwner(playerId, petId, false);
    await this.deps.pets.setSkin(petId, skin, this.now());
    this.deps.sim.setSkin(petId, skin);
    this.deps.bus.publish(playerId, { kind: 'skin_changed', petId, skin });
    const live = this.deps.sim.live(petId);
    if (!live) throw new AppError('PET_NOT_FOUND');
    return toPetDto(fromLive(live));
  }

  /**
   * Renames a pet: the name rules of adoption (NAME_INVALID, NAME_REJECTED). `ownerId` is the
   * player asking (FORBIDDEN unless the owner), or null for an admin. Like a change of coat it
   * is made where the owner's pets are simulated: `touch` loads them here, or throws
   * `OwnerElsewhere` (before anything is written) and the request is carried out on that
   * process, where the room shows the new name at once. `write` stores it (default: the
   * row alone; an admin's rename writes its audit row in the same transaction).
   */
  async rename(
    ownerId: string | null,
    petId: string,
    rawName: string,
    write?: (name: string, before: { ownerId: string; name: string }) => Promise<void>,
  ): Promise<PetDto> {
    const name = this.checkedName(ownerId, rawName, 'rename');
    const owner = this.deps.sim.live(petId)?.ownerId ?? (await this.deps.pets.findById(petId))?.owner_id;
    if (owner === undefined) throw new AppError('PET_NOT_FOUND');
    if (ownerId !== null && ownerId !== owner) throw new AppError('FORBIDDEN', 'Only the owner can do that');
    await this.deps.sim.touch(owner);
    const live = this.deps.sim.live(petId);
    if (!live) throw new AppError('PET_NOT_FOUND');
    const before = { ownerId: owner, name: live.name };
    if (write) await write(name, before);
    else await this.deps.pets.setName(petId, name, this.now());
    this.deps.sim.setName(petId, name);
    const after = this.deps.sim.live(petId);
    if (!after) throw new AppError('PET_NOT_FOUND');
    return toPetDto(fromLive(after));
  }

  /** A skin item was taken back (a refund): pets wearing it go back to their own coat. */
  async skinRevoked(ownerId: string, skin: string): Promise<void> {
    for (const petId of await this.deps.pets.resetSkin(ownerId, skin, this.now())) {
      this.deps.sim.setSkin(petId, 'default');
      if (this.deps.sim.live(petId)) this.deps.bus.publish(ownerId, { kind: 'skin_changed', petId, skin: 'default' });
    }
  }

  private async loadForOwner(playerId: string, petId: string, fromRoom: boolean): Promise<void> {
    const live = this.deps.sim.live(petId);
    const ownerId = live?.ownerId ?? (await this.deps.pets.findById(petId))?.owner_id;
    if (ownerId === undefined) throw new AppError('PET_NOT_FOUND');
    if (ownerId !== playerId) throw new AppError('FORBIDDEN', 'Only the owner can do that');
    if (!fromRoom || !live) await this.deps.sim.touch(ownerId);
  }

  private refusal(result: Exclude<CareResult, { ok: true }>, action: CareAction): AppError {
    if (result.code === 'PET_ASLEEP') return new AppError('PET_ASLEEP', `The pet is asleep: only medicine now, or wake it first`);
    const retryInSeconds = Math.ceil(result.retryInSeconds / this.deps.sim.timeScale);
    return new AppError('CARE_COOLDOWN', `${action} is ready again in ${retryInSeconds} s`, { retryInSeconds });
  }

  /**
   * The pet's state if the viewer is its owner or a friend of the owner. A pet that is not
   * loaded is loaded (with its owner's other pets) for `REST_LEASE_IDLE_S`: someone is
   * looking at it, and the next reads come from memory.
   */
  private async visibleState(viewerId: string, petId: string): Promise<PetReading> {
    let live = this.deps.sim.live(petId);
    const ownerId = live?.ownerId ?? (await this.deps.pets.findById(petId))?.owner_id;
    if (ownerId === undefined) throw new AppError('PET_NOT_FOUND');
    if (ownerId !== viewerId && !(await this.deps.friends.areFriends(viewerId, ownerId))) {
      throw new AppError('FORBIDDEN', "Only the owner and the owner's friends can see this pet");
    }
    if (!live || !this.deps.sim.isOwnerLoaded(ownerId)) {
      await this.deps.sim.touch(ownerId);
      live = this.deps.sim.live(petId);
    } else {
      this.deps.sim.keepAlive(ownerId);
    }
    if (!live) throw new AppError('PET_NOT_FOUND');
    return fromLive(live);
  }

  /** A stored pet caught up to now, without loading it into the simulation. */
  private stateOf(row: PetRow): PetReading {
    const live = this.deps.sim.live(row.id);
    if (live) return fromLive(live);
    const nowMs = this.now();
    const elapsed = Math.max(0, ((nowMs - row.last_snapshot_at) / 1000) * this.deps.sim.timeScale);
    const stats = statsFromRow(row, this.deps.sim.gameClock);
    advance(stats, elapsed);
    const cooldowns = cooldownsFromRow(row, elapsed);
    return {
      id: row.id,
      ownerId: row.owner_id,
      name: row.name,
      species: speciesOf(row.species),
      skin: row.skin,
      stats,
      cooldowns,
      counts: {
        feed: row.feed_count,
        play: row.play_count,
        clean: row.clean_count,
        heal: row.heal_count,
        overfeed: row.overfeed_count,
      },
      bornAt: row.born_at,
      at: nowMs,
      live: false,
    };
  }
}

function fromLive(p: LivePet): PetReading {
  return {
    id: p.id,
    ownerId: p.ownerId,
    name: p.name,
    species: p.species,
    skin: p.skin,
    stats: p.stats,
    cooldowns: p.cooldowns,
    counts: { ...p.counts, overfeed: p.overfeeds },
    bornAt: p.bornAt,
    at: p.at,
    live: true,
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function speciesOf(value: string): Species {
  return isSpecies(value) ? value : 'cat';
}

function metersOf(stats: PetStats): PetDto['meters'] {
  return {
    hunger: round2(stats.hunger),
    mood: round2(stats.mood),
    cleanliness: round2(stats.cleanliness),
    health: round2(stats.health),
  };
}

function toPetDto(s: PetReading): PetDto {
  return {
    id: s.id,
    ownerId: s.ownerId,
    name: s.name,
    species: s.species,
    skin: s.skin,
    stage: stageName(s.stats.stage),
    meters: metersOf(s.stats),
    sick: s.stats.sick,
    asleep: isAsleep(s.stats),
    adultForm: ADULT_FORMS[s.stats.adultForm] ?? 'none',
    care: { mistakes: s.stats.careMistakes, bonus: s.stats.careBonus },
    ageSeconds: Math.floor(s.stats.ageSeconds),
    careCounts: { ...s.counts },
    bornAt: new Date(s.bornAt).toISOString(),
    updatedAt: new Date(s.at).toISOString(),
  };
}

function toSummary(s: PetReading, timeScale: number): PetSummaryDto {
  const healthRate = healthRatePerSecond(s.stats);
  const growing = isGrowing(s.stats, healthRate);
  const nextGame = secondsToNextStage(s.stats);
  const critical = (['hunger', 'mood', 'cleanliness'] as const).filter((m) => s.stats[m] <= CRITICAL_THRESHOLD);
  return {
    petId: s.id,
    name: s.name,
    species: s.species,
    stage: stageName(s.stats.stage),
    ageSeconds: Math.floor(s.stats.ageSeconds),
    meters: metersOf(s.stats),
    nextStage:
      s.stats.stage >= STAGE_ADULT
        ? null
        : {
            stage: STAGES[s.stats.stage + 1] ?? 'adult',
            inSeconds: nextGame === null ? null : Math.ceil(nextGame / timeScale),
          },
    status: { sick: s.stats.sick, asleep: isAsleep(s.stats), growing, critical, allGood: allGood(s.stats) && critical.length === 0 },
    care: {
      mistakes: s.stats.careMistakes,
      bonus: s.stats.careBonus,
      adultForm: ADULT_FORMS[s.stats.adultForm] ?? 'none',
      criticalSeconds: {
        hunger: Math.floor(s.stats.hungerCriticalSeconds / timeScale),
        mood: Math.floor(s.stats.moodCriticalSeconds / timeScale),
        cleanliness: Math.floor(s.stats.cleanlinessCriticalSeconds / timeScale),
      },
      goodCareSeconds: Math.floor(s.stats.goodCareSeconds / timeScale),
    },
    cooldowns: {
      feed: Math.ceil(s.cooldowns.feed / timeScale),
      play: Math.ceil(s.cooldowns.play / timeScale),
      clean: Math.ceil(s.cooldowns.clean / timeScale),
      heal: Math.ceil(s.cooldowns.heal / timeScale),
    },
    live: s.live,
  };
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

const CURSOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // The id goes into a query: only what an id can be (Postgres refuses NUL in text).
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string' && CURSOR_ID.test(value[1])) {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not valid');
}

/**
 * Pets: adoption, listing, reading (live from the simulation when loaded, otherwise caught
 * up from the stored snapshot on the fly) and care — the one care path used by REST and by
 * the home room alike.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  CRITICAL_THRESHOLD,
  MAX_PETS_PER_PLAYER,
  NEW_PET_METERS,
  SPECIES,
  STAGES,
  STAGE_ADULT,
  isSpecies,
  stageName,
  type CareAction,
  type Species,
} from '../../shared/balance.js';
import type { CareResultDto, CreatePetBody, PetDto, PetListDto, PetSummaryDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import {
  advance,
  allGood,
  healthRatePerSecond,
  isGrowing,
  secondsToNextStage,
  type PetStats,
} from '../../sim/index.js';
import { cooldownsFromRow, statsFromRow, type PetRow, type PetsRepository } from '../repositories/pets-repository.js';
import type { LivePet, SimHost } from '../sim-host/sim-host.js';
import type { FriendService } from './friend-service.js';

export interface PetServiceDeps {
  pets: PetsRepository;
  friends: FriendService;
  sim: SimHost;
  now?: () => number;
}

/** A pet's values at one instant, wherever they came from. */
interface PetState {
  id: string;
  ownerId: string;
  name: string;
  species: string;
  stats: PetStats;
  cooldowns: Record<CareAction, number>;
  counts: Record<CareAction | 'overfeed', number>;
  bornAt: number;
  at: number;
  live: boolean;
}

export class PetService {
  private readonly now: () => number;

  constructor(private readonly deps: PetServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async create(ownerId: string, body: CreatePetBody): Promise<PetDto> {
    const name = body.name.trim();
    if (name.length === 0) throw new AppError('VALIDATION_FAILED', 'name must not be blank');
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
      born_at: nowMs,
      last_snapshot_at: nowMs,
      created_at: nowMs,
      updated_at: nowMs,
    };
    const inserted = await this.deps.pets.insertWithinLimit(row, MAX_PETS_PER_PLAYER);
    if (!inserted) throw new AppError('PET_LIMIT_REACHED', `A player can have at most ${MAX_PETS_PER_PLAYER} pets`);
    this.deps.sim.petCreated(row);
    return toPetDto(this.stateOf(row));
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
  private ownLoadedPet(viewerId: string, petId: string): PetState | null {
    const live = this.deps.sim.live(petId);
    if (!live || live.ownerId !== viewerId) return null;
    this.deps.sim.keepAlive(viewerId);
    return fromLive(live);
  }

  /**
   * Applies a care action for the pet's owner. `fromRoom` means the owner's home room keeps
   * the pet loaded; otherwise the pet is loaded (or kept loaded) for a while for REST.
   */
  async care(playerId: string, petId: string, action: CareAction, fromRoom = false): Promise<CareResultDto> {
    const live = this.deps.sim.live(petId);
    const ownerId = live?.ownerId ?? (await this.deps.pets.findById(petId))?.owner_id;
    if (ownerId === undefined) throw new AppError('PET_NOT_FOUND');
    if (ownerId !== playerId) throw new AppError('FORBIDDEN', 'Only the owner can care for this pet');
    if (!fromRoom || !live) await this.deps.sim.touch(ownerId);
    const result = await this.deps.sim.care(petId, action);
    const timeScale = this.deps.sim.timeScale;
    if (!result.ok) {
      const retryInSeconds = Math.ceil(result.retryInSeconds / timeScale);
      throw new AppError('CARE_COOLDOWN', `${action} is ready again in ${retryInSeconds} s`, { retryInSeconds });
    }
    const after = this.deps.sim.live(petId);
    if (!after) throw new AppError('PET_NOT_FOUND');
    return {
      action,
      delta: result.delta,
      overfed: result.overfed,
      cooldownSeconds: result.cooldownSeconds / timeScale,
      pet: toPetDto(fromLive(after)),
    };
  }

  /**
   * The pet's state if the viewer is its owner or a friend of the owner. A pet that is not
   * loaded is loaded (with its owner's other pets) for `REST_LEASE_IDLE_S`: someone is
   * looking at it, and the next reads come from memory.
   */
  private async visibleState(viewerId: string, petId: string): Promise<PetState> {
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
  private stateOf(row: PetRow): PetState {
    const live = this.deps.sim.live(row.id);
    if (live) return fromLive(live);
    const nowMs = this.now();
    const elapsed = Math.max(0, ((nowMs - row.last_snapshot_at) / 1000) * this.deps.sim.timeScale);
    const stats = statsFromRow(row);
    advance(stats, elapsed);
    const cooldowns = cooldownsFromRow(row, elapsed);
    return {
      id: row.id,
      ownerId: row.owner_id,
      name: row.name,
      species: row.species,
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

function fromLive(p: LivePet): PetState {
  return {
    id: p.id,
    ownerId: p.ownerId,
    name: p.name,
    species: p.species,
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

function toPetDto(s: PetState): PetDto {
  return {
    id: s.id,
    ownerId: s.ownerId,
    name: s.name,
    species: speciesOf(s.species),
    stage: stageName(s.stats.stage),
    meters: metersOf(s.stats),
    sick: s.stats.sick,
    ageSeconds: Math.floor(s.stats.ageSeconds),
    careCounts: { ...s.counts },
    bornAt: new Date(s.bornAt).toISOString(),
    updatedAt: new Date(s.at).toISOString(),
  };
}

function toSummary(s: PetState, timeScale: number): PetSummaryDto {
  const healthRate = healthRatePerSecond(s.stats);
  const growing = isGrowing(s.stats, healthRate);
  const nextGame = secondsToNextStage(s.stats);
  const critical = (['hunger', 'mood', 'cleanliness'] as const).filter((m) => s.stats[m] <= CRITICAL_THRESHOLD);
  return {
    petId: s.id,
    name: s.name,
    species: speciesOf(s.species),
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
    status: { sick: s.stats.sick, growing, critical, allGood: allGood(s.stats) && critical.length === 0 },
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

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not valid');
}

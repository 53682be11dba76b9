/**
 * Turns the reflected room state (shared/room-state.ts's `SyncedHome`: MapSchema instances, or
 * plain objects in tests) into its plain `HomeView`, which the views can diff and render without
 * touching Colyseus types. Whatever the server sends is checked: a value outside its union
 * reads as the field's default.
 */
import {
  ADULT_FORMS,
  CARE_ACTIONS,
  CARE_METERS,
  ITEM_IDS,
  isSpecies,
  itemOfSkin,
  STAGES,
  type AdultForm,
  type CareAction,
  type CareMeter,
  type ItemId,
  type StageName,
} from '../../../shared/balance.js';
import { isMinigameKind, TARGET_KINDS, type TargetKind } from '../../../shared/minigames.js';
import {
  PET_IMAGE_STATUSES,
  type GameView,
  type HomeView,
  type PetImageStatus,
  type PetView,
  type TargetView,
} from '../../../shared/room-state.js';

/** The home as of `receivedAt`. */
export interface HomeSnapshot extends HomeView {
  /** `performance.now()` when the snapshot was taken: timers count down locally from here. */
  receivedAt: number;
}

type Entries = Array<[string, unknown]>;

/** Entries of a MapSchema, a Map or a plain record. */
function entriesOf(collection: unknown): Entries {
  if (!collection || typeof collection !== 'object') return [];
  const withForEach = collection as { forEach?: unknown };
  if (typeof withForEach.forEach === 'function') {
    const out: Entries = [];
    (collection as { forEach(cb: (value: unknown, key: string) => void): void }).forEach((value, key) => {
      out.push([key, value]);
    });
    return out;
  }
  return Object.entries(collection as Record<string, unknown>);
}

const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

function stageOf(value: unknown): StageName {
  return (STAGES as readonly unknown[]).includes(value) ? (value as StageName) : 'egg';
}

function adultFormOf(value: unknown): AdultForm {
  return (ADULT_FORMS as readonly unknown[]).includes(value) ? (value as AdultForm) : 'none';
}

function imageStatusOf(value: unknown): PetImageStatus {
  return (PET_IMAGE_STATUSES as readonly unknown[]).includes(value) ? (value as PetImageStatus) : 'none';
}

/** A skin the catalog knows, else the pet's own coat. */
function skinOf(value: unknown): string {
  const skin = str(value, 'default');
  return itemOfSkin(skin) ? skin : 'default';
}

/** Only same-origin paths: the state is the server's, but an image URL goes straight into the page. */
function imageUrlOf(value: unknown): string {
  const url = str(value);
  return url.startsWith('/') && !url.startsWith('//') ? url : '';
}

function careMeterOf(value: unknown): CareMeter | null {
  return (CARE_METERS as readonly unknown[]).includes(value) ? (value as CareMeter) : null;
}

function targetOf(id: string, raw: unknown): TargetView | null {
  const t = (raw ?? {}) as Record<string, unknown>;
  const kind = t.kind;
  if (!(TARGET_KINDS as readonly unknown[]).includes(kind)) return null;
  return {
    id: str(t.id, id) || id,
    kind: kind as TargetKind,
    x: num(t.x),
    y: num(t.y),
    vx: num(t.vx),
    vy: num(t.vy),
    r: Math.max(0, num(t.r)),
    dr: num(t.dr),
  };
}

function gameOf(raw: unknown): GameView | null {
  if (!raw || typeof raw !== 'object') return null;
  const g = raw as Record<string, unknown>;
  const id = str(g.id);
  // Before the first game the server keeps an empty game with no id.
  if (!id || !isMinigameKind(g.kind)) return null;
  return {
    id,
    kind: g.kind,
    petId: str(g.petId),
    status: g.status === 'running' ? 'running' : 'over',
    startedAt: num(g.startedAt),
    endsAt: num(g.endsAt),
    sampledAt: num(g.sampledAt),
    score: Math.max(0, num(g.score)),
    combo: Math.max(0, num(g.combo)),
    targets: entriesOf(g.targets)
      .map(([key, value]) => targetOf(key, value))
      .filter((t): t is TargetView => t !== null),
  };
}

function inventoryOf(raw: unknown): Record<ItemId, number> {
  const entries = new Map(entriesOf(raw));
  return Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, Math.max(0, Math.floor(num(entries.get(itemId))))])) as Record<
    ItemId,
    number
  >;
}

function petOf(id: string, raw: unknown): PetView {
  const p = (raw ?? {}) as Record<string, unknown>;
  const cooldownEntries = new Map(entriesOf(p.cooldowns));
  const cooldowns = Object.fromEntries(
    CARE_ACTIONS.map((action) => [action, Math.max(0, num(cooldownEntries.get(action)))]),
  ) as Record<CareAction, number>;
  return {
    id: str(p.id, id),
    name: str(p.name),
    species: isSpecies(p.species) ? p.species : 'cat',
    stage: stageOf(p.stage),
    hunger: num(p.hunger),
    mood: num(p.mood),
    cleanliness: num(p.cleanliness),
    health: num(p.health),
    sick: p.sick === true,
    ageSeconds: num(p.ageSeconds),
    nextStageInSeconds: num(p.nextStageInSeconds, -1),
    cooldowns,
    asleep: p.asleep === true,
    adultForm: adultFormOf(p.adultForm),
    careMistakes: Math.max(0, num(p.careMistakes)),
    careBonus: Math.max(0, num(p.careBonus)),
    criticalMeter: careMeterOf(p.criticalMeter),
    criticalSeconds: Math.max(0, num(p.criticalSeconds)),
    skin: skinOf(p.skin),
    imageUrl: imageUrlOf(p.imageUrl),
    imageStatus: imageStatusOf(p.imageStatus),
  };
}

export function snapshotOf(state: unknown, now = performance.now()): HomeSnapshot {
  const s = (state ?? {}) as Record<string, unknown>;
  return {
    ownerId: str(s.ownerId),
    ownerName: str(s.ownerName),
    ownerOnline: s.ownerOnline === true,
    spectators: Math.max(0, Math.floor(num(s.spectators))),
    coins: Math.max(0, Math.floor(num(s.coins))),
    inventory: inventoryOf(s.inventory),
    pets: entriesOf(s.pets).map(([id, pet]) => petOf(id, pet)),
    serverTime: num(s.serverTime),
    game: gameOf(s.game),
    receivedAt: now,
  };
}

/** Seconds left on a server timer, counted down locally since the snapshot arrived. */
export function secondsLeft(seconds: number, receivedAt: number, now = performance.now()): number {
  if (seconds <= 0) return seconds;
  return Math.max(0, seconds - (now - receivedAt) / 1000);
}

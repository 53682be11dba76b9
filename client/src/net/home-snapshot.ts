/**
 * Turns the reflected room state (MapSchema instances, or plain objects in tests) into plain,
 * immutable snapshots the views can diff and render without touching Colyseus types.
 */
import { CARE_ACTIONS, isSpecies, STAGES, type CareAction, type Species, type StageName } from '../../../shared/balance.js';

export interface PetSnapshot {
  id: string;
  name: string;
  species: Species;
  stage: StageName;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  sick: boolean;
  /** Game seconds since birth. */
  ageSeconds: number;
  /** Real seconds to the next stage, or -1 while not growing (and always for adults). */
  nextStageInSeconds: number;
  /** Real seconds until each action is ready; 0 = ready. */
  cooldowns: Record<CareAction, number>;
}

export interface HomeSnapshot {
  ownerId: string;
  ownerName: string;
  ownerOnline: boolean;
  spectators: number;
  pets: PetSnapshot[];
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

function petOf(id: string, raw: unknown): PetSnapshot {
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
  };
}

export function snapshotOf(state: unknown, now = performance.now()): HomeSnapshot {
  const s = (state ?? {}) as Record<string, unknown>;
  return {
    ownerId: str(s.ownerId),
    ownerName: str(s.ownerName),
    ownerOnline: s.ownerOnline === true,
    spectators: Math.max(0, Math.floor(num(s.spectators))),
    pets: entriesOf(s.pets).map(([id, pet]) => petOf(id, pet)),
    receivedAt: now,
  };
}

/** Seconds left on a server timer, counted down locally since the snapshot arrived. */
export function secondsLeft(seconds: number, receivedAt: number, now = performance.now()): number {
  if (seconds <= 0) return seconds;
  return Math.max(0, seconds - (now - receivedAt) / 1000);
}

/**
 * The synchronised state of a home room, declared once. `Synced*` is what the room's
 * Colyseus schema holds and clients decode by reflection (server/rooms/home-state.ts builds
 * its schema classes against these types and fails to compile when they drift apart);
 * `*View` is the same state as plain values, which the Mini App renders
 * (client/src/net/home-snapshot.ts reads one from the other).
 */
import type { AdultForm, CareAction, CareMeter, ItemId, Species, StageName } from './balance.js';
import type { MinigameKind, TargetKind } from './minigames.js';

/** Where the current stage's picture is: none asked yet, being made, ready or failed. */
export const PET_IMAGE_STATUSES = ['none', 'queued', 'running', 'ready', 'failed'] as const;
export type PetImageStatus = (typeof PET_IMAGE_STATUSES)[number];

/** One pet of the home. */
export interface SyncedPet {
  id: string;
  name: string;
  species: Species;
  /** The coat it wears: 'default' or a skin id (sakura, midnight, golden). */
  skin: string;
  stage: StageName;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  sick: boolean;
  /** Game seconds since birth. */
  ageSeconds: number;
  /** Real seconds until the next stage at the current pace, or -1 while not growing (and always for adults). */
  nextStageInSeconds: number;
  /** Real seconds until each care action is ready again; 0 means ready. */
  cooldowns: ReadonlyMap<CareAction, number>;
  asleep: boolean;
  /** `none` until adult. */
  adultForm: AdultForm;
  careMistakes: number;
  careBonus: number;
  /** The care meter critical longest while awake ('' when none), for hints. */
  criticalMeter: CareMeter | '';
  /** Real seconds it has been critical while awake, towards the next care mistake. */
  criticalSeconds: number;
  /** The current stage's picture once ready ('' before), same origin. */
  imageUrl: string;
  /** Show a skeleton while queued or running, procedural art when failed. */
  imageStatus: PetImageStatus;
}

/**
 * A moving game entity as of its game's `sampledAt`, in field units and per second:
 * extrapolate with its velocity (and `BALL.gravity` for the ball) to draw it between patches.
 */
export interface SyncedTarget {
  id: string;
  kind: TargetKind;
  x: number;
  y: number;
  vx: number;
  vy: number;
  r: number;
  /** Radius growth per second (bubbles). */
  dr: number;
}

/** The current or last minigame round of the home. */
export interface SyncedGame {
  id: string;
  kind: MinigameKind;
  petId: string;
  /** Running until the time is up or the player quits; over afterwards (kept until the next round). */
  status: 'running' | 'over';
  /** Server epoch ms. */
  startedAt: number;
  endsAt: number;
  /** Server epoch ms the target positions refer to. */
  sampledAt: number;
  score: number;
  combo: number;
  targets: ReadonlyMap<string, SyncedTarget>;
}

export interface SyncedHome {
  ownerId: string;
  ownerName: string;
  ownerOnline: boolean;
  spectators: number;
  /** Server epoch ms of the simulation instant the pets' values refer to (changes every tick). */
  serverTime: number;
  /** The owner's coins and items (what care and games use). */
  coins: number;
  inventory: ReadonlyMap<ItemId, number>;
  pets: ReadonlyMap<string, SyncedPet>;
  /** The current or last game of this home; absent before the first. */
  game?: SyncedGame;
}

/** A pet as plain values: every care action's cooldown, and no critical meter as null. */
export type PetView = Omit<SyncedPet, 'cooldowns' | 'criticalMeter'> & {
  cooldowns: Record<CareAction, number>;
  criticalMeter: CareMeter | null;
};

export type TargetView = SyncedTarget;

/** A round as plain values, its targets as a list. */
export type GameView = Omit<SyncedGame, 'targets'> & { targets: TargetView[] };

/** The home as plain values: every item's count, the pets as a list, no game as null. */
export type HomeView = Omit<SyncedHome, 'inventory' | 'pets' | 'game'> & {
  inventory: Record<ItemId, number>;
  pets: PetView[];
  game: GameView | null;
};

/**
 * Colyseus schema of a home room. Mirrors `HomeView` / `PetView` / `GameView` in
 * shared/protocol.ts, which is what clients decode by reflection.
 */
import { MapSchema, schema, type SchemaType } from '@colyseus/schema';

export const PetState = schema(
  {
    id: 'string',
    name: 'string',
    species: 'string',
    skin: 'string',
    stage: 'string',
    hunger: 'float32',
    mood: 'float32',
    cleanliness: 'float32',
    health: 'float32',
    sick: 'boolean',
    ageSeconds: 'uint32',
    nextStageInSeconds: 'int32',
    cooldowns: { map: 'uint32' },
    asleep: 'boolean',
    adultForm: 'string',
    careMistakes: 'uint16',
    careBonus: 'uint16',
    criticalMeter: 'string',
    criticalSeconds: 'uint32',
    /** The current stage's picture: its URL once ready, and where it is (none, queued, running, ready, failed). */
    imageUrl: 'string',
    imageStatus: 'string',
  },
  'PetState',
);
export type PetState = SchemaType<typeof PetState>;

export const TargetState = schema(
  {
    id: 'string',
    kind: 'string',
    x: 'float32',
    y: 'float32',
    vx: 'float32',
    vy: 'float32',
    r: 'float32',
    dr: 'float32',
  },
  'TargetState',
);
export type TargetState = SchemaType<typeof TargetState>;

export const GameState = schema(
  {
    id: 'string',
    kind: 'string',
    petId: 'string',
    status: 'string',
    startedAt: 'float64',
    endsAt: 'float64',
    sampledAt: 'float64',
    score: 'uint32',
    combo: 'uint16',
    targets: { map: TargetState },
  },
  'GameState',
);
export type GameState = SchemaType<typeof GameState>;

export const HomeState = schema(
  {
    ownerId: 'string',
    ownerName: 'string',
    ownerOnline: 'boolean',
    spectators: 'uint16',
    /** Epoch ms of the simulation instant the values refer to. */
    serverTime: 'float64',
    coins: 'uint32',
    inventory: { map: 'uint16' },
    pets: { map: PetState },
    game: GameState,
  },
  'HomeState',
);
export type HomeState = SchemaType<typeof HomeState>;

export { MapSchema };

/**
 * Colyseus schema of a home room. Mirrors `HomeView` / `PetView` in shared/protocol.ts, which
 * is what clients decode by reflection.
 */
import { MapSchema, schema, type SchemaType } from '@colyseus/schema';

export const PetState = schema(
  {
    id: 'string',
    name: 'string',
    species: 'string',
    stage: 'string',
    hunger: 'float32',
    mood: 'float32',
    cleanliness: 'float32',
    health: 'float32',
    sick: 'boolean',
    ageSeconds: 'uint32',
    nextStageInSeconds: 'int32',
    cooldowns: { map: 'uint32' },
  },
  'PetState',
);
export type PetState = SchemaType<typeof PetState>;

export const HomeState = schema(
  {
    ownerId: 'string',
    ownerName: 'string',
    ownerOnline: 'boolean',
    spectators: 'uint16',
    /** Epoch ms of the simulation instant the values refer to. */
    serverTime: 'float64',
    pets: { map: PetState },
  },
  'HomeState',
);
export type HomeState = SchemaType<typeof HomeState>;

export { MapSchema };

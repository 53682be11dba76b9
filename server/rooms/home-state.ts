/**
 * The Colyseus schema of a home room: the wire encoding of shared/room-state.ts's `Synced*`
 * types, which clients decode by reflection. Each class is checked against its shared type
 * when this file compiles (same fields, each holding the same kind of value: string, number,
 * boolean, a map of those or a nested state), and its instances are typed by the shared type,
 * so the room can only write values the shared literal unions allow.
 */
import { Encoder, schema, type MapSchema, type Schema } from '@colyseus/schema';
import type { SyncedGame, SyncedHome, SyncedPet, SyncedTarget } from '../../shared/room-state.js';

/**
 * Bytes of each buffer a room's state is encoded into. Colyseus takes 8 KB and keeps three per
 * room (patches, full state, the type handshake): 240 MB at 10,000 homes. The largest home
 * state (three pets and their owner with the longest names in 4-byte characters, a game with
 * twenty targets) encodes to about 3.2 KB (test/server/unit/home-state.test.ts); a bigger one
 * would still be encoded, into a buffer grown for it.
 */
export const HOME_STATE_BUFFER_BYTES = 4 * 1024;
Encoder.BUFFER_SIZE = HOME_STATE_BUFFER_BYTES;

/** A shared state type as the server holds it: maps are MapSchemas, nested states schema instances. */
type SchemaOf<T> = Schema & { [K in keyof T]: SchemaValue<T[K]> };
type SchemaValue<V> = V extends ReadonlyMap<infer K extends string, infer E> ? MapSchema<SchemaValue<E>, K> : V extends object ? SchemaOf<V> : V;

/** The kind of value the wire carries for `V`: literal unions widen to their primitive. */
type Kind<V> = V extends string
  ? 'string'
  : V extends number
    ? 'number'
    : V extends boolean
      ? 'boolean'
      : V extends ReadonlyMap<string, infer E>
        ? { map: Kind<E> }
        : V extends object
          ? Fields<V>
          : never;
/** The data fields of a state (a schema instance's methods and symbol keys left out), by kind. */
type Fields<T> = { [K in DataKeys<T>]-?: Kind<NonNullable<T[K]>> };
type DataKeys<T> = { [K in keyof T]-?: K extends string ? (NonNullable<T[K]> extends (...args: never[]) => unknown ? never : K) : never }[keyof T];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Fails to compile, showing both field lists, when a schema class and its shared type differ. */
type Matches<Instance, Shared> = Same<Fields<Instance>, Fields<Shared>> extends true
  ? unknown
  : { 'the schema differs from shared/room-state.ts': { schema: Fields<Instance>; shared: Fields<Shared> } };

/** The schema class `ctor`, checked against and typed by the shared type `Shared`. */
export function matching<Shared>() {
  return <C extends abstract new () => Schema>(ctor: C & Matches<InstanceType<C>, Shared>) => ctor as unknown as new () => SchemaOf<Shared>;
}

export const SyncedPetSchema = matching<SyncedPet>()(
  schema(
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
      imageUrl: 'string',
      imageStatus: 'string',
    },
    'SyncedPet',
  ),
);
export type SyncedPetSchema = InstanceType<typeof SyncedPetSchema>;

export const SyncedTargetSchema = matching<SyncedTarget>()(
  schema(
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
    'SyncedTarget',
  ),
);
export type SyncedTargetSchema = InstanceType<typeof SyncedTargetSchema>;

export const SyncedGameSchema = matching<SyncedGame>()(
  schema(
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
      targets: { map: SyncedTargetSchema },
    },
    'SyncedGame',
  ),
);
export type SyncedGameSchema = InstanceType<typeof SyncedGameSchema>;

export const SyncedHomeSchema = matching<SyncedHome>()(
  schema(
    {
      ownerId: 'string',
      ownerName: 'string',
      ownerOnline: 'boolean',
      spectators: 'uint16',
      serverTime: 'float64',
      coins: 'uint32',
      inventory: { map: 'uint16' },
      pets: { map: SyncedPetSchema },
      game: SyncedGameSchema,
    },
    'SyncedHome',
  ),
);
export type SyncedHomeSchema = InstanceType<typeof SyncedHomeSchema>;

/**
 * The room protocol shared by the server, the Mini App and load scripts: room names, message
 * types, payload schemas and the shape of the synchronised state.
 */
import { Type, type Static } from 'typebox';
import { CARE_ACTIONS, type CareAction, type StageName } from './balance.js';
import type { ErrorBody } from './errors.js';

export const ROOM_HOME = 'home';

/** Client → server message types. */
export const MSG_CARE = 'care';
/** Server → client message types. */
export const MSG_ERROR = 'error';
export const MSG_CARED = 'cared';
export const MSG_STAGE_CHANGED = 'stageChanged';

/** Largest encoded room message the server decodes, in bytes. */
export const MAX_ROOM_MESSAGE_BYTES = 1024;

/** Seconds a dropped owner may take to reconnect to their home room. */
export const RECONNECT_WINDOW_S = 30;

export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** Options of `joinOrCreate("home", options)`: no owner means "my own home". */
export const HomeJoinOptionsSchema = Type.Object(
  { ownerId: Type.Optional(IdSchema) },
  { additionalProperties: false },
);
export type HomeJoinOptions = Static<typeof HomeJoinOptionsSchema>;

export const CareActionSchema = Type.Enum(CARE_ACTIONS);

export const CareMessageSchema = Type.Object(
  { petId: IdSchema, action: CareActionSchema },
  { additionalProperties: false },
);
export type CareMessage = Static<typeof CareMessageSchema>;

/** Sent to the sender after a care action was applied. */
export interface CaredMessage {
  petId: string;
  action: CareAction;
  /** Meter changes actually applied, after clamping, in points. */
  delta: Partial<Record<'hunger' | 'mood' | 'cleanliness' | 'health', number>>;
  overfed: boolean;
  /** Real seconds until the action is available again. */
  cooldownSeconds: number;
}

export interface StageChangedMessage {
  petId: string;
  from: StageName;
  to: StageName;
}

export type ErrorMessage = ErrorBody;

/** Roles a client can have in a home room. */
export type HomeRole = 'owner' | 'spectator';

/**
 * The synchronised state of a home room as the client sees it (decoded by reflection; the
 * server's schema classes mirror these fields).
 */
export interface PetView {
  id: string;
  name: string;
  species: string;
  stage: StageName;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  sick: boolean;
  /** Game seconds since birth. */
  ageSeconds: number;
  /** Real seconds until the next stage at the current pace, or -1 when not growing. */
  nextStageInSeconds: number;
  /** Real seconds until each care action is ready again; 0 means ready. */
  cooldowns: Map<string, number> | Record<string, number>;
}

export interface HomeView {
  ownerId: string;
  ownerName: string;
  ownerOnline: boolean;
  spectators: number;
  pets: Map<string, PetView>;
}

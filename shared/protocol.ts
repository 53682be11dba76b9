/**
 * The room protocol shared by the server, the Mini App and load scripts: room names, message
 * types and payload schemas, limits and budgets. The synchronised state is in room-state.ts.
 */
import { Type, type Static } from 'typebox';
import { CARE_ACTIONS, ITEM_IDS, type AdultForm, type CareAction, type CareMeter, type Meter, type StageName } from './balance.js';
import type { ErrorBody } from './errors.js';
import { FIELD_HEIGHT, FIELD_WIDTH, MINIGAME_KINDS, type MinigameKind } from './minigames.js';
import type { ProgressNotice } from './progression.js';

export const ROOM_HOME = 'home';

/** Client → server message types. */
export const MSG_CARE = 'care';
export const MSG_WAKE = 'wake';
export const MSG_GAME_START = 'gameStart';
export const MSG_TAP = 'tap';
export const MSG_GAME_QUIT = 'gameQuit';
/** Server → client message types. */
export const MSG_ERROR = 'error';
export const MSG_CARED = 'cared';
export const MSG_WOKE = 'woke';
export const MSG_STAGE_CHANGED = 'stageChanged';
export const MSG_GAME_OVER = 'gameOver';
export const MSG_TAP_RESULT = 'tapResult';
/** To the owner: streak days, quests completed, achievements unlocked (`ProgressMessage`). */
export const MSG_PROGRESS = 'progress';

/** Largest encoded room message the server decodes, in bytes. */
export const MAX_ROOM_MESSAGE_BYTES = 1024;

/** Seconds a dropped owner may take to reconnect to their home room. */
export const RECONNECT_WINDOW_S = 30;

/** A token bucket: `ratePerSecond` messages a second on average, `burst` at once. */
export interface MessageRate {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Each client's message budget in a room: every message counts against `overall`, and the
 * types listed in `perType` against their own bucket too. Taps allow a little more than a
 * human taps (`MAX_TAPS_PER_SECOND` of them score); care, waking and game starts have
 * cooldowns anyway, so a few a second is plenty.
 */
export const ROOM_MESSAGE_BUDGET: {
  readonly overall: MessageRate;
  readonly perType: Readonly<Record<string, MessageRate>>;
} = {
  overall: { ratePerSecond: 30, burst: 60 },
  perType: {
    [MSG_TAP]: { ratePerSecond: 20, burst: 30 },
    [MSG_CARE]: { ratePerSecond: 5, burst: 10 },
    [MSG_WAKE]: { ratePerSecond: 2, burst: 4 },
    [MSG_GAME_START]: { ratePerSecond: 1, burst: 5 },
    [MSG_GAME_QUIT]: { ratePerSecond: 2, burst: 4 },
  },
};

/** Over budget, a client hears one `"error"` RATE_LIMITED per this many milliseconds at most. */
export const RATE_LIMITED_NOTICE_MS = 1000;

/** A client over its budget without a one-second break for this long is disconnected. */
export const FLOOD_CUT_OFF_MS = 3000;

/** WebSocket close code of a client cut off for flooding (HTTP 429 in the 4xxx range). */
export const CLOSE_RATE_LIMITED = 4429;

/** WebSocket close code of a client whose player was banned (HTTP 403 in the 4xxx range). */
export const CLOSE_BANNED = 4403;

/** Seconds a player cut off for flooding must wait before joining a room again. */
export const FLOOD_REJOIN_PENALTY_S = 30;

/** Friends watching one home at most; more are refused with HOME_FULL. */
export const MAX_HOME_SPECTATORS = 50;

/** Connections of the owner to their own home at most (phone, desktop, a second tab). */
export const MAX_OWNER_CONNECTIONS = 3;

/**
 * Lifetime of a room ticket, in seconds: the Mini App exchanges its initData for one over
 * REST (`POST /api/v1/rooms/tickets`) right before joining, and the ticket works once.
 */
export const ROOM_TICKET_TTL_S = 60;

export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** Options of `joinOrCreate("home", options)`: no owner means "my own home". */
export const HomeJoinOptionsSchema = Type.Object(
  { ownerId: Type.Optional(IdSchema) },
  { additionalProperties: false },
);
export type HomeJoinOptions = Static<typeof HomeJoinOptionsSchema>;

const CareActionSchema = Type.Enum(CARE_ACTIONS);
const ItemIdSchema = Type.Enum(ITEM_IDS);
export const MinigameKindSchema = Type.Enum(MINIGAME_KINDS);

/** `itemId`: the food to feed (default kibble); other actions use their own item. */
export const CareMessageSchema = Type.Object(
  { petId: IdSchema, action: CareActionSchema, itemId: Type.Optional(ItemIdSchema) },
  { additionalProperties: false },
);
export type CareMessage = Static<typeof CareMessageSchema>;

export const WakeMessageSchema = Type.Object({ petId: IdSchema }, { additionalProperties: false });
export type WakeMessage = Static<typeof WakeMessageSchema>;

export const GameStartMessageSchema = Type.Object(
  { petId: IdSchema, kind: MinigameKindSchema },
  { additionalProperties: false },
);
export type GameStartMessage = Static<typeof GameStartMessageSchema>;

/** A tap at field coordinates; `seq` increases with every tap of the game (replays are refused). */
export const TapMessageSchema = Type.Object(
  {
    gameId: IdSchema,
    seq: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    x: Type.Number({ minimum: -0.5, maximum: FIELD_WIDTH + 0.5 }),
    y: Type.Number({ minimum: -0.5, maximum: FIELD_HEIGHT + 0.5 }),
  },
  { additionalProperties: false },
);
export type TapMessage = Static<typeof TapMessageSchema>;

export const GameQuitMessageSchema = Type.Object({ gameId: IdSchema }, { additionalProperties: false });

/** Sent to the sender after a care action was applied. */
export interface CaredMessage {
  petId: string;
  action: CareAction;
  /** Meter changes actually applied, after clamping, in points. */
  delta: Partial<Record<Meter, number>>;
  overfed: boolean;
  /** Real seconds until the action is available again. */
  cooldownSeconds: number;
}

export interface WokeMessage {
  petId: string;
  delta: CaredMessage['delta'];
  /** Real seconds the pet stays awake through quiet hours. */
  awakeForSeconds: number;
}

export interface StageChangedMessage {
  petId: string;
  from: StageName;
  to: StageName;
  /** Set when the pet became adult. */
  adultForm?: AdultForm;
}

export interface GameRewards {
  coins: number;
  meter: CareMeter;
  /** Meter points actually added. */
  meterPoints: number;
  /** 1 when the result offset a care mistake. */
  careBonus: number;
  /** True when a per-game or per-day cap cut the reward. */
  capped: boolean;
  /** True when the day's limit (coins, or care offsets) cut it. */
  dailyCapReached: boolean;
}

export interface GameOverMessage {
  gameId: string;
  kind: MinigameKind;
  petId: string;
  score: number;
  /** What a perfect player would have scored in this round. */
  maxScore: number;
  reason: 'time' | 'quit' | 'left';
  rewards: GameRewards;
}

export type ErrorMessage = ErrorBody;

/** Roles a client can have in a home room. */
export type HomeRole = 'owner' | 'spectator';

/** Sent to the tapper for every tap: what it did. */
export interface TapResultMessage {
  gameId: string;
  seq: number;
  outcome: 'hit' | 'empty' | 'too_fast' | 'duplicate' | 'out_of_zone' | 'over';
  points: number;
  targetId: string | null;
  score: number;
  combo: number;
}

/** The `progress` message: what just happened to the owner's streaks, quests and achievements. */
export interface ProgressMessage {
  notices: ProgressNotice[];
}

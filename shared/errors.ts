/**
 * The one registry of error codes. Codes are stable UPPER_SNAKE strings that clients may
 * switch on; `status` is the HTTP status a REST response uses for the code. Room errors
 * carry the same codes in an `"error"` message.
 */
export const ERRORS = {
  AUTH_INVALID: { status: 401, message: 'Authorization is missing or its signature is invalid' },
  AUTH_EXPIRED: { status: 401, message: 'Authorization has expired; reopen the app' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do that' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  PET_NOT_FOUND: { status: 404, message: 'No such pet' },
  PLAYER_NOT_FOUND: { status: 404, message: 'No such player' },
  INVITE_NOT_FOUND: { status: 404, message: 'No player has that invite code' },
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  NAME_INVALID: { status: 400, message: 'A name needs visible characters and no control or format characters' },
  NAME_REJECTED: { status: 400, message: 'That name is not allowed: other players see it' },
  BAD_MESSAGE: { status: 400, message: 'The message is not valid' },
  UNKNOWN_MESSAGE: { status: 400, message: 'Unknown message type' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The message is too large' },
  CARE_COOLDOWN: { status: 409, message: 'That care action is cooling down' },
  ITEM_MISSING: { status: 409, message: 'You have none of the item that needs' },
  ITEM_INVALID: { status: 400, message: 'That item cannot be used for that' },
  PET_ASLEEP: { status: 409, message: 'The pet is asleep' },
  NOT_ASLEEP: { status: 409, message: 'The pet is awake' },
  GAME_IN_PROGRESS: { status: 409, message: 'A game is already running here' },
  GAME_NOT_FOUND: { status: 404, message: 'No such game is running' },
  GAME_OVER: { status: 409, message: 'That game has ended' },
  IMAGE_NOT_FOUND: { status: 404, message: 'No such image' },
  IMAGE_NOT_READY: { status: 409, message: 'The image is not ready yet' },
  PET_LIMIT_REACHED: { status: 409, message: 'You already have as many pets as allowed' },
  FRIEND_SELF: { status: 409, message: 'You cannot befriend yourself' },
  ALREADY_FRIENDS: { status: 409, message: 'You are already friends' },
  INSUFFICIENT_FUNDS: { status: 409, message: 'Not enough coins' },
  ALREADY_OWNED: { status: 409, message: 'You already own that' },
  SKIN_NOT_OWNED: { status: 409, message: 'You do not own that skin' },
  ITEM_NOT_FOR_SALE: { status: 404, message: 'That is not sold in the shop' },
  PRODUCT_NOT_FOUND: { status: 404, message: 'No such Stars product' },
  ORDER_NOT_FOUND: { status: 404, message: 'No such order' },
  PAYMENT_NOT_FOUND: { status: 404, message: 'No such payment' },
  PAYMENTS_UNAVAILABLE: { status: 503, message: 'Payments are not available right now' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: 'An Idempotency-Key header (1-128 characters: letters, digits, - _ . :) is required' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'That Idempotency-Key was already used for a different request' },
  QUEST_NOT_FOUND: { status: 404, message: 'No such quest' },
  QUEST_NOT_COMPLETE: { status: 409, message: 'That quest is not complete yet' },
  ALREADY_CLAIMED: { status: 409, message: 'That reward was already claimed' },
  WEBHOOK_SECRET_INVALID: { status: 401, message: 'The webhook secret token is missing or wrong' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  ADMIN_DISABLED: { status: 403, message: 'Admin access is not configured on this server' },
  ADMIN_ROLE_REQUIRED: { status: 403, message: 'Your admin role may not do this' },
  PLAYER_BANNED: { status: 403, message: 'This account is banned' },
  REPORT_OWN_PET: { status: 409, message: 'You cannot report your own pet' },
  REPORT_NOT_FOUND: { status: 404, message: 'No such report or name attempt' },
  NO_PICTURE_TO_HIDE: { status: 409, message: 'The pet shows no picture a moderator could hide' },
  PICTURE_NOT_HIDDEN: { status: 409, message: 'The pet has no hidden picture' },
  FLAG_NOT_FOUND: { status: 404, message: 'No such fraud flag' },
  FLAG_DECIDED: { status: 409, message: 'That flag was decided already' },
  ROOM_NOT_FOUND: { status: 404, message: 'No such room' },
  PROMOTION_NOT_FOUND: { status: 404, message: 'No such promotion' },
  PROMOTION_ENDED: { status: 409, message: 'That promotion has ended' },
  HOME_FULL: { status: 409, message: 'This home has as many visitors as it can hold' },
  HOME_EXISTS: { status: 409, message: 'This home is open already: join it (joinOrCreate) instead of creating another' },
  ROOM_TICKET_INVALID: { status: 401, message: 'The room ticket is missing, expired or already used' },
  NOT_READY: { status: 503, message: 'A dependency is not available' },
  SHUTTING_DOWN: { status: 503, message: 'The server is shutting down' },
  INTERNAL: { status: 500, message: 'Internal error' },
  SHARE_UNAVAILABLE: { status: 503, message: 'Sharing through Telegram is not available right now' },
  CARD_RENDER_BUSY: { status: 503, message: 'Too many share cards are being drawn; try again in a moment' },
  NOT_IN_SEASON: { status: 409, message: 'That is sold only in its season, which is not running now' },
  SET_NOT_FOUND: { status: 404, message: 'No such collection set' },
  SET_INCOMPLETE: { status: 409, message: 'You do not own every skin of that set yet' },
  CURSOR_INVALID: { status: 400, message: 'The cursor is not one this list gave: start again without it' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The body of every error response and the payload of every room `"error"` message. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** An error that carries a registry code; thrown by services, mapped by the HTTP layer and rooms. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

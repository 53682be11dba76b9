/**
 * Telegram Mini App initData: validation per Telegram's spec and signing for dev sign-in.
 *
 * The data-check-string is built from the raw fields exactly as received (every field but
 * `hash`, sorted by key, `key=value` joined by newlines), so fields that differ between
 * Telegram clients (`query_id`, `chat_type`, `chat_instance`, `start_param`, `signature`, …)
 * are covered without a fixed list. See docs/adr/0002-own-initdata-validator.md for why this
 * is not delegated to a library.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import { profileFirstName, sanitizeDisplayName, sanitizeUsername } from '../../shared/names.js';

/** The initData user object (the fields the game uses, cleaned for storage; others are ignored). */
interface TelegramUser {
  id: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  languageCode: string | null;
  /** Telegram lets the bot write to this user (`allows_write_to_pm`). */
  allowsWriteToPm: boolean;
}

export interface ValidatedInitData {
  user: TelegramUser;
  authDate: number;
  startParam: string | null;
  /** Every raw field, as received. */
  fields: ReadonlyMap<string, string>;
}

interface ValidateOptions {
  maxAgeSeconds: number;
  /** Current time in epoch seconds, from the caller's clock. */
  nowSeconds: number;
  /** Accepted clock skew for auth_date in the future, in seconds. */
  futureSkewSeconds?: number;
}

/** initData strings longer than this are refused before any work is done. */
const MAX_INIT_DATA_LENGTH = 8192;
const DEFAULT_FUTURE_SKEW_S = 60;

const secretKeys = new Map<string, Buffer>();

/** HMAC-SHA256("WebAppData", botToken): the key that signs initData for this bot. */
function secretKeyFor(botToken: string): Buffer {
  let key = secretKeys.get(botToken);
  if (!key) {
    key = createHmac('sha256', 'WebAppData').update(botToken).digest();
    secretKeys.set(botToken, key);
  }
  return key;
}

function dataCheckString(fields: Iterable<[string, string]>): string {
  return [...fields]
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

const invalid = (why: string) => new AppError('AUTH_INVALID', `initData is invalid: ${why}`);

/** Validates raw initData; throws `AppError` AUTH_INVALID or AUTH_EXPIRED. */
export function validateInitData(raw: string, botToken: string, options: ValidateOptions): ValidatedInitData {
  if (raw.length === 0) throw invalid('empty');
  if (raw.length > MAX_INIT_DATA_LENGTH) throw invalid('too long');
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(raw)) {
    if (fields.has(key)) throw invalid(`duplicate field ${key}`);
    fields.set(key, value);
  }
  const hash = fields.get('hash');
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) throw invalid('hash missing or malformed');
  const expected = createHmac('sha256', secretKeyFor(botToken)).update(dataCheckString(fields)).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) throw invalid('signature mismatch');

  const authDateRaw = fields.get('auth_date');
  if (authDateRaw === undefined || !/^\d{1,12}$/.test(authDateRaw)) throw invalid('auth_date missing or malformed');
  const authDate = Number(authDateRaw);
  const now = options.nowSeconds;
  if (authDate > now + (options.futureSkewSeconds ?? DEFAULT_FUTURE_SKEW_S)) throw invalid('auth_date is in the future');
  if (now - authDate > options.maxAgeSeconds) {
    throw new AppError('AUTH_EXPIRED', 'initData has expired; reopen the app');
  }

  const user = parseUser(fields.get('user'));
  const startParam = fields.get('start_param') ?? null;
  return { user, authDate, startParam, fields };
}

function parseUser(raw: string | undefined): TelegramUser {
  if (raw === undefined) throw invalid('user missing');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('user is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw invalid('user is not an object');
  const u = value as Record<string, unknown>;
  if (typeof u.id !== 'number' || !Number.isSafeInteger(u.id) || u.id <= 0) throw invalid('user.id');
  if (typeof u.first_name !== 'string') throw invalid('user.first_name');
  const optional = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  // Signed by Telegram is not the same as safe to store and show: every text field is
  // cleaned (shared/names.ts), so no profile can fail a sign-in or disguise a name.
  const username = sanitizeUsername(optional(u.username));
  const languageCode = optional(u.language_code)?.replace(/[^A-Za-z-]/g, '').slice(0, 8);
  return {
    id: u.id,
    firstName: profileFirstName(u.first_name, username),
    lastName: sanitizeDisplayName(optional(u.last_name) ?? ''),
    username,
    languageCode: languageCode ? languageCode : null,
    allowsWriteToPm: u.allows_write_to_pm === true,
  };
}

export interface SignInput {
  user: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string; allows_write_to_pm?: boolean };
  authDate: number;
  startParam?: string | null;
  /** Extra raw fields, e.g. `query_id`, `chat_type`, `chat_instance`, `signature`. */
  extra?: Record<string, string>;
}

/** Produces initData signed with `botToken` the way Telegram does (dev sign-in and tests). */
export function signInitData(input: SignInput, botToken: string): string {
  const fields = new Map<string, string>();
  for (const [k, v] of Object.entries(input.extra ?? {})) fields.set(k, v);
  fields.set('auth_date', String(input.authDate));
  fields.set('user', JSON.stringify(input.user));
  if (input.startParam) fields.set('start_param', input.startParam);
  const hash = createHmac('sha256', secretKeyFor(botToken)).update(dataCheckString(fields)).digest('hex');
  const params = new URLSearchParams([...fields]);
  params.set('hash', hash);
  return params.toString();
}

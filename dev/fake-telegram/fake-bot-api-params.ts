/**
 * Parameter handling for the fake Bot API: request bodies (JSON, url-encoded, query string)
 * become one flat params object; typed readers coerce the string forms Telegram accepts
 * ("42", "true", a JSON-encoded object) and throw `BotApiError`s with Telegram-like
 * descriptions, which the dispatcher turns into `{ ok: false, error_code, description }`.
 */
import type { ResponseParameters } from 'grammy/types';

export type Params = Record<string, unknown>;

export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }
}

export const badRequest = (message: string): BotApiError => new BotApiError(400, `Bad Request: ${message}`);

const required = (name: string) => badRequest(`parameter "${name}" is required`);

const absent = (v: unknown) => v === undefined || v === null;

/** Parses a raw request body according to its content type. Unknown types: tried as JSON, else ignored. */
export function parseBody(raw: unknown, contentType: string | undefined): Params {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'object') return isPlainObject(raw) ? raw : {};
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  if (type.includes('multipart/form-data')) throw badRequest('multipart/form-data is not supported by the fake Bot API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (type.includes('json')) throw badRequest("can't parse JSON request body");
    return {};
  }
  if (!isPlainObject(parsed)) {
    if (type.includes('json')) throw badRequest('request body must be a JSON object');
    return {};
  }
  return parsed;
}

/** Query-string values (Fastify gives string or string[]): the last value of a repeated key wins. */
export function queryParams(query: unknown): Params {
  if (!isPlainObject(query)) return {};
  const out: Params = {};
  for (const [key, value] of Object.entries(query)) out[key] = Array.isArray(value) ? value[value.length - 1] : value;
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (absent(v)) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw badRequest(`field "${name}" must be of type String`);
}

export function reqString(p: Params, name: string): string {
  const v = optString(p, name);
  if (v === undefined) throw required(name);
  return v;
}

export function optInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (absent(v) || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`field "${name}" must be of type Integer`);
  return n;
}

export function reqInt(p: Params, name: string): number {
  const v = optInt(p, name);
  if (v === undefined) throw required(name);
  return v;
}

export function optBool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (absent(v) || v === '') return undefined;
  if (v === true || v === 1 || v === 'true' || v === 'True' || v === '1') return true;
  if (v === false || v === 0 || v === 'false' || v === 'False' || v === '0') return false;
  throw badRequest(`field "${name}" must be of type Boolean`);
}

export function reqBool(p: Params, name: string): boolean {
  const v = optBool(p, name);
  if (v === undefined) throw required(name);
  return v;
}

/** An object or array given directly (JSON body) or JSON-encoded (form / query string). */
export function optJson(p: Params, name: string, what: string): unknown {
  const v = p[name];
  if (absent(v) || v === '') return undefined;
  if (typeof v === 'object') return v;
  if (typeof v !== 'string') throw badRequest(`can't parse ${what} JSON object`);
  try {
    const parsed: unknown = JSON.parse(v);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed;
  } catch {
    throw badRequest(`can't parse ${what} JSON object`);
  }
}

/** Byte length in UTF-8 (Telegram counts payload limits in bytes). */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Normalises whatever a failed request or room join throws into one of our error codes, so
 * the UI can always show `error.<CODE>`. `NETWORK` is the client's own code for "the server
 * could not be reached" and is not in the shared registry.
 */
import { isErrorCode, type ErrorCode } from '../../../shared/errors.js';

export type ClientErrorCode = ErrorCode | 'NETWORK';

/** An error carrying a registry code (REST responses, room join failures). */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  /** RATE_LIMITED: seconds to wait before trying again, when the server said. */
  readonly retryAfterSeconds: number | null;

  constructor(code: ClientErrorCode, message: string, status = 0, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// Colyseus' own matchmaking codes (`@colyseus/core` ErrorCode) that carry no registry code.
const COLYSEUS_CODES: Record<number, ClientErrorCode> = {
  4210: 'ROOM_NOT_FOUND',
  4211: 'VALIDATION_FAILED',
  4212: 'ROOM_NOT_FOUND',
  4214: 'ROOM_NOT_FOUND',
  4215: 'AUTH_INVALID',
  4217: 'BAD_MESSAGE',
};

const HTTP_CODES: Record<number, ClientErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'AUTH_INVALID',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'VALIDATION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

function codeInText(text: string): ErrorCode | null {
  const trimmed = text.trim();
  if (isErrorCode(trimmed)) return trimmed;
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const found = codeInValue(parsed);
      if (found) return found;
    } catch {
      // Not JSON after all; fall through to the token scan.
    }
  }
  for (const token of trimmed.match(/\b[A-Z][A-Z_]{2,}\b/g) ?? []) {
    if (isErrorCode(token)) return token;
  }
  return null;
}

function codeInValue(value: unknown): ErrorCode | null {
  if (typeof value === 'string') return codeInText(value);
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (isErrorCode(record.code)) return record.code;
  if (record.error !== undefined) return codeInValue(record.error);
  return null;
}

/** The best registry code for anything thrown by fetch, colyseus.js or our own code. */
export function errorCodeOf(error: unknown): ClientErrorCode {
  if (error instanceof ClientError) return error.code;
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    const fromCode = codeInValue({ code: e.code });
    if (fromCode) return fromCode;
    if (typeof e.message === 'string') {
      const fromMessage = codeInText(e.message);
      if (fromMessage) return fromMessage;
    }
    if (typeof e.code === 'number') {
      const mapped = COLYSEUS_CODES[e.code] ?? HTTP_CODES[e.code];
      if (mapped) return mapped;
      if (e.code >= 500) return 'INTERNAL';
    }
    // colyseus.js reports an unreachable server as a code-less error (or a TypeError from fetch).
    if (e.code === undefined || e.code === 0 || error instanceof TypeError) return 'NETWORK';
  }
  return 'INTERNAL';
}

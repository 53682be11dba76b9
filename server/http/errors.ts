/**
 * The one Fastify error handler: registry codes become `{ "error": { code, message } }` with
 * the code's status; validation problems are VALIDATION_FAILED; anything unexpected is a
 * 500 INTERNAL whose details stay in the log.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../shared/errors.js';

/** The error code each refused request was answered with (read by the `http_errors_total` hook). */
const sentCodes = new WeakMap<FastifyReply, ErrorCode>();

/** The code of the error body `reply` was sent with, if it was one of ours. */
export function sentErrorCode(reply: FastifyReply): ErrorCode | undefined {
  return sentCodes.get(reply);
}

function sendError(reply: FastifyReply, code: ErrorCode, message: string, status?: number): FastifyReply {
  sentCodes.set(reply, code);
  return reply.code(status ?? new AppError(code).status).send({ error: { code, message } });
}

/** Cluster mode: a call that needs an owner another process simulates is answered by that process. */
export interface ErrorHandlingOptions {
  forwardTo?: (err: unknown, request: FastifyRequest) => string | null;
  forward?: (request: FastifyRequest, reply: FastifyReply, processId: string) => Promise<FastifyReply>;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const owner = options.forwardTo?.(err, request) ?? null;
    if (owner !== null && options.forward) return options.forward(request, reply, owner);
    if (err instanceof AppError) {
      if (err.code === 'CARE_COOLDOWN' && typeof err.details?.retryInSeconds === 'number') {
        void reply.header('retry-after', String(err.details.retryInSeconds));
      }
      if (err.code === 'RATE_LIMITED' && typeof err.details?.retryAfterSeconds === 'number') {
        void reply.header('retry-after', String(err.details.retryAfterSeconds));
        sentCodes.set(reply, err.code);
        return reply.code(429).send({ error: { code: err.code, message: err.message, retryAfterSeconds: err.details.retryAfterSeconds } });
      }
      return sendError(reply, err.code, err.message, err.status);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const where = fe.validationContext ?? 'request';
      const path = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
      return sendError(reply, 'VALIDATION_FAILED', `${path} ${first?.message ?? 'is not valid'}`.trim(), 400);
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'PAYLOAD_TOO_LARGE', 'The request body is too large', 413);
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 'VALIDATION_FAILED', 'Send the body as application/json', 415);
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
      return sendError(reply, 'VALIDATION_FAILED', 'The body is not valid JSON', 400);
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendError(reply, 'VALIDATION_FAILED', fe.message, fe.statusCode);
    }
    if (isDependencyDown(err)) {
      request.log.warn({ err: err.message, method: request.method, route: request.routeOptions.url }, 'dependency unavailable');
      return sendError(reply, 'NOT_READY', 'A dependency is not available; try again shortly', 503);
    }
    request.log.error({ err, method: request.method, route: request.routeOptions.url }, 'unhandled error');
    return sendError(reply, 'INTERNAL', 'Internal error', 500);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`, 404));
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a path that is not
 * valid percent-encoded UTF-8) answer in the error schema like every other refusal.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    void sendError(reply, 'VALIDATION_FAILED', err.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid' : err.message, err.statusCode);
    return;
  }
  void sendError(reply, 'INTERNAL', 'Internal error', 500);
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses before Fastify sees it
 * (headers over the size limit: 431; a malformed request line or header: 400; a request that
 * took too long: 408) answers in the error schema too, then the connection closes. A socket
 * already gone or already answering is only destroyed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  const message = status === 431 ? 'The request headers (or its URL) are too large' : status === 408 ? 'The request took too long' : 'The request could not be read';
  const body = JSON.stringify({ error: { code: 'VALIDATION_FAILED' satisfies ErrorCode, message } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

// 57014: statement_timeout (or a cancel); 25P03: idle_in_transaction_session_timeout;
// SQLITE_BUSY: a lock held past busy_timeout.
const DOWN_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '57014', '25P03', 'SQLITE_BUSY',
]);

// pg: connection lost (also ended by the server, e.g. idle in a transaction too long), connect
// timeout, query_timeout. ioredis: commandTimeout, offline queue off, retries used up.
const DOWN_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'not queryable',
    'timeout exceeded when trying to connect',
    'connect ECONNREFUSED',
    'Query read timeout',
    'Command timed out',
    'enableOfflineQueue options is false',
    'Reached the max retries per request limit',
  ].join('|'),
);

/** A database (or other dependency) connection failure or deadline rather than a bug: callers may retry. */
export function isDependencyDown(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && DOWN_CODES.has(e.code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return DOWN_MESSAGES.test(message);
}

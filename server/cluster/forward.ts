/**
 * REST calls for a player whose pets another process simulates are carried out there.
 *
 * Any process answers any REST call. When a call needs the owner's pets loaded (care, wake,
 * a coat, a pet's state, pictures) and another process holds the owner's lease, the sim host
 * throws `OwnerElsewhere`, before anything is written. The error handler then hands the whole
 * request to that process over Colyseus's presence (a request/reply on its `fwd:<processId>`
 * channel); that process runs it through its own routes (`inject`: the same validation,
 * authentication and rules) and the answer is sent back as is. The change shows in the
 * owner's room at once, because the room lives on that process.
 *
 * A forwarded request carries a one-time token only this process knows, so it is not counted
 * twice by the request limits and is never forwarded again (a lease that moved once more
 * answers 503 NOT_READY: the client retries).
 */
import { randomBytes } from 'node:crypto';
import { requestFromIPC, subscribeIPC, type Presence } from '@colyseus/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Metrics } from '../metrics.js';

const FORWARDED_HEADER = 'x-telepets-forwarded';
/** Request headers that travel with a forwarded call (the rest is the connection's). */
const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'user-agent', 'x-forwarded-for', 'idempotency-key', 'if-none-match'] as const;
/** Response headers that come back with its answer. */
const RESPONSE_HEADERS = ['content-type', 'retry-after', 'cache-control', 'etag', 'last-modified'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const ForwardedRequestSchema = Type.Object(
  {
    method: Type.Union(METHODS.map((m) => Type.Literal(m))),
    url: Type.String({ minLength: 1, maxLength: 2048, pattern: '^/' }),
    headers: Type.Record(Type.String(), Type.String({ maxLength: 8192 })),
    /** The raw body (the body limit of the first process already applied). */
    body: Type.Union([Type.String({ maxLength: 64 * 1024 }), Type.Null()]),
  },
  { additionalProperties: false },
);
type ForwardedRequest = {
  method: (typeof METHODS)[number];
  url: string;
  headers: Record<string, string>;
  body: string | null;
};
const checkRequest = Compile(ForwardedRequestSchema);

interface ForwardedResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** base64 of the body's bytes. */
  body: string;
}

export interface Forwarding {
  /** True for a request another process forwarded here. */
  isForwarded(request: FastifyRequest): boolean;
  /** Answers `request` with what `processId` answers for it. */
  forward(request: FastifyRequest, reply: FastifyReply, processId: string): Promise<FastifyReply>;
}

export interface ForwardingOptions {
  presence: Presence;
  /** This process's (Colyseus) id: requests for it arrive on `fwd:<processId>`. */
  processId: string;
  /** How long the owner's process may take to answer. */
  timeoutMs: number;
  logger: Logger;
  metrics: Metrics;
}

const channelOf = (processId: string) => `fwd:${processId}`;

export async function createForwarding(app: FastifyInstance, options: ForwardingOptions): Promise<Forwarding> {
  const { presence, logger, metrics } = options;
  /** Tokens of forwarded requests being answered here. */
  const inFlight = new Set<string>();

  // Requests other processes forward here (the presence's commands have deadlines).
  await subscribeIPC(presence, channelOf(options.processId), async (_method: string, args: unknown[]) => {
    const request = args[0];
    if (!checkRequest.Check(request)) throw new Error('not a forwarded request');
    const call = request as ForwardedRequest;
    const token = randomBytes(16).toString('base64url');
    inFlight.add(token);
    try {
      const response = await app.inject({
        method: call.method,
        url: call.url,
        headers: { ...call.headers, [FORWARDED_HEADER]: token },
        ...(call.body !== null ? { payload: call.body } : {}),
      });
      const headers: Record<string, string> = {};
      for (const name of RESPONSE_HEADERS) {
        const value = response.headers[name];
        if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
      }
      const answer: ForwardedResponse = { statusCode: response.statusCode, headers, body: response.rawPayload.toString('base64') };
      return answer;
    } finally {
      inFlight.delete(token);
    }
  });

  return {
    isForwarded(request) {
      const token = request.headers[FORWARDED_HEADER];
      return typeof token === 'string' && inFlight.has(token);
    },
    async forward(request, reply, processId) {
      const headers: Record<string, string> = {};
      for (const name of REQUEST_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const method = METHODS.find((m) => m === request.method);
      const call: ForwardedRequest = {
        method: method ?? 'GET',
        url: request.url,
        headers,
        body: request.body === undefined || request.body === null ? null : JSON.stringify(request.body),
      };
      const started = performance.now();
      try {
        const answer = await requestFromIPC<ForwardedResponse>(presence, channelOf(processId), 'request', [call], options.timeoutMs);
        metrics.forwardedRequests.inc({ outcome: 'ok' });
        metrics.forwardDuration.observe((performance.now() - started) / 1000);
        for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
        return reply.code(answer.statusCode).send(Buffer.from(answer.body, 'base64'));
      } catch (err) {
        metrics.forwardedRequests.inc({ outcome: 'failed' });
        logger.warn({ err, processId, route: request.routeOptions.url }, 'the owner process did not answer a forwarded request');
        return reply
          .code(503)
          .header('retry-after', '2')
          .send({ error: { code: 'NOT_READY', message: 'The process serving this player did not answer; try again shortly' } });
      }
    },
  };
}

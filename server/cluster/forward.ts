/**
 * REST calls for a player whose pets another process simulates are carried out there.
 *
 * Any process answers any REST call. When a call needs the owner's pets loaded (care, wake,
 * a coat, a pet's state, pictures) and another process holds the owner's lease, the sim host
 * throws `OwnerElsewhere`, before anything is written. The error handler then hands the whole
 * request to that process over Colyseus's presence (a request/reply on its `fwd:<processId>`
 * channel); that process runs it through its own routes (`inject`: the same validation,
 * authentication and rules) and the answer is sent back as is. The change shows in the
 * owner's room at once, because the room lives on that process. Each process listens on two
 * channels for its whole life, `fwd:<processId>` for requests and `fwd-reply:<processId>` for
 * the answers to its own (no subscription per request), and checks what arrives.
 *
 * A forwarded request carries a one-time token only this process knows, so it is not counted
 * twice by the request limits and is never forwarded again (a lease that moved once more
 * answers 503 NOT_READY: the client retries).
 */
import { randomBytes } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Type, type Static } from 'typebox';
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
    method: Type.Enum(METHODS),
    url: Type.String({ minLength: 1, maxLength: 2048, pattern: '^/' }),
    headers: Type.Record(Type.String(), Type.String({ maxLength: 8192 })),
    /** The raw body (the body limit of the first process already applied). */
    body: Type.Union([Type.String({ maxLength: 64 * 1024 }), Type.Null()]),
  },
  { additionalProperties: false },
);
type ForwardedRequest = Static<typeof ForwardedRequestSchema>;

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

/** A request on the wire: who asks, where the answer goes, and the call. */
const EnvelopeSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), replyTo: Type.String({ minLength: 1, maxLength: 256 }), call: ForwardedRequestSchema },
  { additionalProperties: false },
);
const checkEnvelope = Compile(EnvelopeSchema);
const AnswerSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    answer: Type.Union([
      Type.Object({ statusCode: Type.Integer({ minimum: 100, maximum: 599 }), headers: Type.Record(Type.String(), Type.String()), body: Type.String() }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
const checkAnswer = Compile(AnswerSchema);

interface Pending {
  resolve(answer: ForwardedResponse): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export async function createForwarding(app: FastifyInstance, options: ForwardingOptions): Promise<Forwarding> {
  const { presence, logger, metrics } = options;
  /** Tokens of forwarded requests being answered here. */
  const inFlight = new Set<string>();
  /** Requests this process forwarded, waiting for their answer on its one reply channel. */
  const pending = new Map<string, Pending>();
  const replyChannel = `fwd-reply:${options.processId}`;
  // Presence declares publish as `any`; the Redis presence's returns a promise.
  const publish = (channel: string, data: unknown): Promise<void> => Promise.resolve(presence.publish(channel, data) as Promise<void> | undefined);

  const answer = async (call: ForwardedRequest): Promise<ForwardedResponse> => {
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
      return { statusCode: response.statusCode, headers, body: response.rawPayload.toString('base64') };
    } finally {
      inFlight.delete(token);
    }
  };

  // Requests other processes forward here, and the answers to this process's own: two
  // subscriptions for the process's life (the presence's commands have deadlines).
  await presence.subscribe(channelOf(options.processId), (message: unknown) => {
    if (!checkEnvelope.Check(message)) {
      logger.warn('dropped a forwarded request that is not one');
      return;
    }
    const { id, replyTo, call } = message;
    answer(call)
      .catch((err: unknown) => {
        logger.error({ err, url: call.url }, 'a forwarded request failed here');
        return null;
      })
      .then((result) => publish(replyTo, { id, answer: result }))
      .catch((err: unknown) => logger.warn({ err }, 'could not send a forwarded answer back'));
  });
  await presence.subscribe(replyChannel, (message: unknown) => {
    if (!checkAnswer.Check(message)) return;
    const { id, answer: result } = message;
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    clearTimeout(waiting.timer);
    if (result) waiting.resolve(result);
    else waiting.reject(new Error('the owner process failed the request'));
  });

  const ask = (processId: string, call: ForwardedRequest): Promise<ForwardedResponse> =>
    new Promise<ForwardedResponse>((resolve, reject) => {
      const id = randomBytes(12).toString('base64url');
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('forward_timeout'));
      }, options.timeoutMs);
      pending.set(id, { resolve, reject, timer });
      publish(channelOf(processId), { id, replyTo: replyChannel, call }).catch((err: unknown) => {
        pending.delete(id);
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
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
        const answer = await ask(processId, call);
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

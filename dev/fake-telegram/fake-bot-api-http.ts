/**
 * The fake Bot API's HTTP surface as an encapsulated Fastify plugin: `GET|POST
 * /bot<token>/<method>` plus the dev payment-sheet endpoints under `/_dev/invoices`. It
 * replaces the content-type parsers of its own scope only (every body is read as text and
 * parsed here), and has its own error handler, so the parent app is untouched.
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeBotApi } from './fake-bot-api.js';
import { BotApiError, isPlainObject, parseBody, queryParams, type Params } from './fake-bot-api-params.js';

type DevError = { error: { code: 'NOT_FOUND' | 'VALIDATION_FAILED' | 'INTERNAL'; message: string } };

const devError = (reply: FastifyReply, status: number, code: DevError['error']['code'], message: string) =>
  reply.code(status).send({ error: { code, message } } satisfies DevError);

/** The plugin; register it with `app.register(fakeBotApiPlugin(fake), { prefix })`. */
export function fakeBotApiPlugin(fake: FakeBotApi): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) fake.log?.error({ err, url: request.url }, 'fake bot api: unexpected error');
      if (request.url.includes('/_dev/')) return devError(reply, status, status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', err.message);
      const description =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request Entity Too Large' : status >= 500 ? 'Internal Server Error' : `Bad Request: ${err.message}`;
      return reply.code(status).send({ ok: false, error_code: status, description });
    });

    const botRoute = async (request: FastifyRequest<{ Params: { token: string; method: string } }>, reply: FastifyReply) => {
      const { token, method } = request.params;
      let params: Params;
      try {
        params = { ...queryParams(request.query), ...parseBody(request.body, request.headers['content-type']) };
      } catch (err) {
        if (!(err instanceof BotApiError)) throw err;
        if (token !== fake.token) return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
        return reply.code(err.code).send({ ok: false, error_code: err.code, description: err.description });
      }
      const response = fake.dispatch(token, method, params);
      await fake.answerDelay(method);
      return reply.code(response.ok ? 200 : response.error_code).send(response);
    };
    scope.route({ method: ['GET', 'POST'], url: '/bot:token/:method', handler: botRoute });

    scope.get('/_dev/invoices/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const invoice = fake.invoices.get(request.params.slug);
      if (!invoice) return devError(reply, 404, 'NOT_FOUND', 'Unknown invoice');
      const { slug, link, title, description, amount, currency, status, createdAt } = invoice;
      return reply.send({ slug, link, title, description, amount, currency, status, createdAt });
    });

    scope.post('/_dev/invoices/:slug/pay', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const invoice = fake.invoices.get(request.params.slug);
      if (!invoice) return devError(reply, 404, 'NOT_FOUND', 'Unknown invoice');
      let body: unknown;
      try {
        body = typeof request.body === 'string' && request.body.trim() !== '' ? JSON.parse(request.body) : undefined;
      } catch {
        return devError(reply, 400, 'VALIDATION_FAILED', 'The body is not valid JSON');
      }
      const problem = devPayProblem(body);
      if (problem) return devError(reply, 400, 'VALIDATION_FAILED', problem);
      const { userId, firstName } = body as { userId: number; firstName?: string };
      try {
        const result = await fake.payInvoice({ slug: invoice.slug, user: { id: userId, first_name: firstName ?? `User ${userId}` } });
        if (result.chargeId === undefined) {
          const delivery = result.preCheckoutDelivery;
          const error = !result.preCheckout.timedOut
            ? result.preCheckout.error_message ?? 'Payment declined'
            : delivery.status >= 200 && delivery.status < 300
              ? 'The bot did not answer the pre-checkout query in time'
              : `The pre-checkout query was not delivered: ${delivery.error ?? `webhook answered ${delivery.status}`}`;
          return reply.send({ status: 'failed', error });
        }
        const last = result.deliveries[result.deliveries.length - 1];
        return reply.send({ status: 'paid', chargeId: result.chargeId, webhookStatus: last?.status ?? 0 });
      } catch (err) {
        fake.log?.error({ err }, 'fake bot api: dev payment failed');
        return reply.code(500).send({ status: 'failed', error: err instanceof Error ? err.message : String(err) });
      }
    });

    scope.post('/_dev/invoices/:slug/cancel', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      if (!fake.cancelInvoice(request.params.slug)) return devError(reply, 404, 'NOT_FOUND', 'Unknown invoice');
      return reply.send({ status: 'cancelled' });
    });
  };
}

function devPayProblem(body: unknown): string | undefined {
  if (!isPlainObject(body)) return 'Send a JSON object { userId, firstName? }';
  const { userId, firstName } = body;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0) return 'userId must be a positive integer';
  if (firstName !== undefined && (typeof firstName !== 'string' || firstName.trim() === '' || firstName.length > 64)) {
    return 'firstName must be a non-empty string of at most 64 characters';
  }
  return undefined;
}

/**
 * A local fake of the Telegram Bot API, shipped with the project: tests and dev mode point
 * grammY at it (`new Bot(token, { client: { apiRoot } })`) instead of api.telegram.org.
 *
 * - HTTP: `GET|POST <prefix>/bot<token>/<method>` with params from a JSON body, a
 *   url-encoded body or the query string, answered `{ ok, result }` / `{ ok: false,
 *   error_code, description }` like Telegram. Either `fake.register(app, prefix)` on an
 *   existing Fastify (encapsulated) or `await fake.listen()` for its own server.
 * - Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, sendMessage,
 *   answerPreCheckoutQuery, createInvoiceLink, refundStarPayment, getStarTransactions
 *   (Telegram Stars rules), savePreparedInlineMessage (Bot API 8.0), with `failNext` to inject errors and `slowNext` slow answers.
 * - Recording: `calls`, `callsOf`, `waitForCall`, `invoices`, `charges`, `deliveries`.
 * - Driving the bot: updates POSTed to the webhook (`setWebhook` or `setWebhookTarget`),
 *   including the whole Stars payment flow (`payInvoice`) with duplicate and retried
 *   deliveries, as Telegram's at-least-once delivery does.
 * - Dev endpoints `<prefix>/_dev/invoices/:slug[/pay|/cancel]` stand in for the payment
 *   sheet outside Telegram.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Chat, InlineKeyboardButton, Message, StarTransaction, Update, User, WebhookInfo } from 'grammy/types';
import type { DevBotApi } from '../../server/telegram/dev-bot-api.js';
import { fakeBotApiPlugin } from './fake-bot-api-http.js';
import {
  BotApiError,
  badRequest,
  isPlainObject,
  optBool,
  optInt,
  optJson,
  optString,
  parseBody,
  reqBool,
  reqInt,
  reqString,
  utf8Bytes,
  type Params,
} from './fake-bot-api-params.js';
import type {
  BotApiResponse,
  DeliverPreCheckoutArgs,
  DeliverPreCheckoutResult,
  DeliverRefundedPaymentArgs,
  DeliverSuccessfulPaymentArgs,
  FailureSpec,
  FakeBotApiOptions,
  FakeCharge,
  FakeInvoice,
  FakeUser,
  InvoiceRef,
  PayInvoiceArgs,
  PayInvoiceResult,
  PaymentDelivery,
  PreCheckoutAnswer,
  RecordedCall,
  RetryOptions,
  UpdateInput,
  WebhookDelivery,
  WebhookTarget,
} from './fake-bot-api-types.js';

export type { FakeUser } from './fake-bot-api-types.js';

/** Telegram's default when allowed_updates is empty: everything but these. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const SECRET_TOKEN = /^[A-Za-z0-9_-]+$/;
const STARS = 'XTR';
const QUERY_EXPIRED = 'query is too old and response timeout expired or query ID is invalid';
/** How long a prepared inline message may be sent (Telegram: a day). */
const PREPARED_TTL_S = 24 * 3600;
const INLINE_RESULT_TYPES = new Set(['article', 'photo', 'gif', 'mpeg4_gif', 'video', 'audio', 'voice', 'document', 'location', 'venue', 'contact', 'game', 'sticker']);

/** A message saved by savePreparedInlineMessage. */
export interface FakePreparedMessage {
  id: string;
  userId: number;
  result: Record<string, unknown>;
  allow: { user: boolean; bot: boolean; group: boolean; channel: boolean };
  expirationDate: number;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

type Handler = (params: Params) => { result: unknown; description?: string };

interface PendingQuery {
  state: 'pending' | 'answered' | 'expired';
  answer?: PreCheckoutAnswer;
  timer?: NodeJS.Timeout;
  settle: (answer: PreCheckoutAnswer | undefined) => void;
}

interface Waiter {
  matches: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** The message of a private-chat update. */
type PaymentMessage = NonNullable<Update['message']>;

const isOk = (status: number) => status >= 200 && status < 300;
const reply = (result: unknown, description?: string) => ({ result, ...(description ? { description } : {}) });

/** Read-only view of the invoices created through createInvoiceLink. */
export class InvoiceBook {
  constructor(private readonly bySlug: Map<string, FakeInvoice>) {}

  /** By slug or by the whole link (`https://t.me/$slug`, `https://t.me/invoice/slug`). */
  get(slugOrLink: string): Readonly<FakeInvoice> | undefined {
    return this.bySlug.get(slugOf(slugOrLink));
  }

  /** The newest invoice with this payload. */
  byPayload(payload: string): Readonly<FakeInvoice> | undefined {
    let found: FakeInvoice | undefined;
    for (const invoice of this.bySlug.values()) if (invoice.payload === payload) found = invoice;
    return found;
  }

  find(ref: InvoiceRef): Readonly<FakeInvoice> | undefined {
    if (ref.slug !== undefined) return this.get(ref.slug);
    if (ref.invoiceLink !== undefined) return this.get(ref.invoiceLink);
    if (ref.payload !== undefined) return this.byPayload(ref.payload);
    return undefined;
  }

  all(): Readonly<FakeInvoice>[] {
    return [...this.bySlug.values()];
  }

  get size(): number {
    return this.bySlug.size;
  }
}

function slugOf(slugOrLink: string): string {
  const match = /(?:\/\$|\/invoice\/)([A-Za-z0-9_-]+)\/?$/.exec(slugOrLink);
  return match?.[1] ?? slugOrLink;
}

export class FakeBotApi implements DevBotApi {
  readonly token: string;
  readonly botUser: User;
  readonly answerTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly log: Logger | undefined;
  readonly invoices: InvoiceBook;

  private readonly methods = new Map<string, { name: string; run: Handler }>();
  private readonly invoiceMap = new Map<string, FakeInvoice>();
  private readonly chargeMap = new Map<string, FakeCharge>();
  private readonly preparedMap = new Map<string, FakePreparedMessage>();
  private readonly knownUsers = new Map<number, User>();
  private readonly queries = new Map<string, PendingQuery>();
  private readonly failures = new Map<string, { spec: FailureSpec; remaining: number }[]>();
  private readonly slow = new Map<string, { ms: number; remaining: number }[]>();
  private readonly waiters = new Set<Waiter>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: (completed: boolean) => void }>();
  private readonly inflight = new Set<AbortController>();
  private recorded: RecordedCall[] = [];
  private transactions: StarTransaction[] = [];
  private delivered: WebhookDelivery[] = [];
  private target: WebhookTarget | undefined;
  private lastError: { date: number; message: string } | undefined;
  private updateSeq = 1000;
  private messageSeq = 1;
  private chargeSeq = 1;
  private app: FastifyInstance | undefined;
  private root: string | undefined;
  private closed = false;
  private readonly now: () => number;

  constructor(options: FakeBotApiOptions) {
    if (typeof options.token !== 'string' || options.token === '') throw new TypeError('FakeBotApi needs a token');
    this.token = options.token;
    this.now = options.now ?? Date.now;
    this.answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 30_000;
    this.log = options.logger?.child({ component: 'fake-bot-api' });
    const idPart = Number(this.token.split(':')[0]);
    this.botUser = {
      id: Number.isSafeInteger(idPart) && idPart > 0 ? idPart : 1_000_000,
      is_bot: true,
      first_name: 'Telepets',
      username: options.botUsername ?? 'telepets_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: true,
    } as User;
    this.invoices = new InvoiceBook(this.invoiceMap);
    const handlers: Record<string, Handler> = {
      getMe: () => reply(this.botUser),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => this.deleteWebhook(p),
      getWebhookInfo: () => reply(this.webhookInfo()),
      sendMessage: (p) => reply(this.sendMessage(p)),
      answerPreCheckoutQuery: (p) => reply(this.answerPreCheckoutQuery(p)),
      createInvoiceLink: (p) => reply(this.createInvoiceLink(p)),
      refundStarPayment: (p) => reply(this.refundStarPayment(p)),
      getStarTransactions: (p) => reply(this.getStarTransactions(p)),
      savePreparedInlineMessage: (p) => reply(this.savePreparedInlineMessage(p)),
    };
    for (const [name, run] of Object.entries(handlers)) this.methods.set(name.toLowerCase(), { name, run });
  }

  // ---------------------------------------------------------------- HTTP

  /** The API as an encapsulated Fastify plugin; register it with `app.register(fake.plugin(), { prefix })`. */
  plugin(): FastifyPluginAsync {
    return fakeBotApiPlugin(this);
  }

  /** Serves the API under `prefix` on `app`, inside its own encapsulated scope. */
  register(app: FastifyInstance, prefix = ''): void {
    void app.register(this.plugin(), { prefix: prefix.replace(/\/+$/, '') });
  }

  /** Starts a private server on 127.0.0.1 (random port); resolves to the apiRoot for grammY. */
  async listen(): Promise<string> {
    if (this.root !== undefined) return this.root;
    if (this.closed) throw new Error('FakeBotApi is closed');
    const app = Fastify({ logger: false, forceCloseConnections: true });
    this.register(app, '');
    this.app = app;
    this.root = await app.listen({ host: '127.0.0.1', port: 0 });
    return this.root;
  }

  /** The apiRoot of `listen()`, once it has resolved. */
  get apiRoot(): string | undefined {
    return this.root;
  }

  /** Expires pending pre-checkout queries, stops retries and deliveries, rejects waiters, stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.expireAllQueries();
    for (const sleep of this.sleeps) {
      clearTimeout(sleep.timer);
      sleep.resolve(false);
    }
    this.sleeps.clear();
    for (const controller of this.inflight) controller.abort();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeBotApi closed'));
    }
    this.waiters.clear();
    const app = this.app;
    this.app = undefined;
    if (app) await app.close();
  }

  /**
   * Runs one Bot API call as the HTTP route does (token check, failNext, validation) and
   * records it. Never throws.
   */
  dispatch(token: string, method: string, params: Params, viaWebhookReply = false): BotApiResponse {
    if (token !== this.token) return { ok: false, error_code: 401, description: 'Unauthorized' };
    const entry = this.methods.get(method.toLowerCase());
    const name = entry?.name ?? method;
    let response: BotApiResponse;
    const failure = this.takeFailure(name);
    if (failure) response = failure;
    else if (!entry) response = { ok: false, error_code: 404, description: 'Not Found: method not found' };
    else {
      try {
        const { result, description } = entry.run(params);
        response = { ok: true, result, ...(description ? { description } : {}) };
      } catch (err) {
        if (err instanceof BotApiError) {
          response = { ok: false, error_code: err.code, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) };
        } else {
          this.log?.error({ err, method: name }, 'fake bot api: handler failed');
          response = { ok: false, error_code: 500, description: 'Internal Server Error' };
        }
      }
    }
    this.record({
      method: name,
      params,
      at: this.now(),
      ok: response.ok,
      ...(response.ok ? {} : { errorCode: response.error_code }),
      ...(viaWebhookReply ? { viaWebhookReply: true } : {}),
    });
    this.log?.debug({ method: name, ok: response.ok }, 'fake bot api call');
    return response;
  }

  // ---------------------------------------------------------------- recording and test hooks

  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  callsOf(method: string): RecordedCall[] {
    const m = method.toLowerCase();
    return this.recorded.filter((c) => c.method.toLowerCase() === m);
  }

  /**
   * Resolves with the first call of `method` (already recorded or still to come) that
   * matches `predicate`; rejects after `timeoutMs` (default 5 s) or on close().
   */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs = 5_000): Promise<RecordedCall> {
    const m = method.toLowerCase();
    const matches = (call: RecordedCall) => {
      if (call.method.toLowerCase() !== m) return false;
      try {
        return predicate ? predicate(call) : true;
      } catch {
        return false;
      }
    };
    const existing = this.recorded.find(matches);
    if (existing) return Promise.resolve(existing);
    if (this.closed) return Promise.reject(new Error('FakeBotApi closed'));
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`No ${method} call within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** The next `count` (default 1) calls of `method` fail with this status (429 gets retry_after). */
  failNext(method: string, spec: FailureSpec): void {
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) throw new RangeError('failNext status must be 400-599');
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError('failNext count must be a positive integer');
    const key = method.toLowerCase();
    const queue = this.failures.get(key) ?? [];
    queue.push({ spec, remaining: count });
    this.failures.set(key, queue);
  }

  /**
   * The next `count` (default 1) calls of `method` over HTTP are carried out at once but
   * answered `ms` later, like a Telegram that delivered a message and answers slowly.
   */
  slowNext(method: string, ms: number, count = 1): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('slowNext ms must be a non-negative number');
    if (!Number.isInteger(count) || count < 1) throw new RangeError('slowNext count must be a positive integer');
    const key = method.toLowerCase();
    const queue = this.slow.get(key) ?? [];
    queue.push({ ms, remaining: count });
    this.slow.set(key, queue);
  }

  /** Waits before answering a call of `method` when `slowNext` asked for it (false when closed meanwhile). */
  async answerDelay(method: string): Promise<void> {
    const queue = this.slow.get(method.toLowerCase());
    const next = queue?.[0];
    if (!queue || !next) return;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    await this.sleep(next.ms);
  }

  /** Messages saved through savePreparedInlineMessage, oldest first. */
  get preparedMessages(): readonly Readonly<FakePreparedMessage>[] {
    return [...this.preparedMap.values()];
  }

  /** All charges, oldest first. */
  get charges(): readonly Readonly<FakeCharge>[] {
    return [...this.chargeMap.values()];
  }

  charge(chargeId: string): Readonly<FakeCharge> | undefined {
    return this.chargeMap.get(chargeId);
  }

  /** Star transactions, newest first (as getStarTransactions returns them). */
  get starTransactions(): StarTransaction[] {
    return [...this.transactions].reverse();
  }

  /** Every webhook delivery attempt, oldest first. */
  get deliveries(): readonly WebhookDelivery[] {
    return this.delivered;
  }

  get webhook(): Readonly<WebhookTarget> | undefined {
    return this.target;
  }

  /** Points deliveries at `url` (null: none) without going through setWebhook. */
  setWebhookTarget(url: string | null, secretToken?: string): void {
    if (url === null) {
      this.target = undefined;
      return;
    }
    if (secretToken !== undefined && (!SECRET_TOKEN.test(secretToken) || secretToken.length > 256)) {
      throw new TypeError('secretToken must be 1-256 characters of A-Za-z0-9_-');
    }
    this.target = { url, allowedUpdates: [], ...(secretToken ? { secretToken } : {}) };
  }

  /** Marks an invoice cancelled (unless paid); false when unknown. */
  cancelInvoice(slugOrLink: string): boolean {
    const invoice = this.invoiceMap.get(slugOf(slugOrLink));
    if (!invoice) return false;
    if (invoice.status !== 'paid') invoice.status = 'cancelled';
    return true;
  }

  /** Forgets calls, invoices, charges, transactions, deliveries, failures and pending queries; keeps the webhook unless told. */
  reset(options: { webhook?: boolean } = {}): void {
    this.recorded = [];
    this.invoiceMap.clear();
    this.chargeMap.clear();
    this.preparedMap.clear();
    this.knownUsers.clear();
    this.transactions = [];
    this.delivered = [];
    this.failures.clear();
    this.expireAllQueries();
    this.queries.clear();
    this.lastError = undefined;
    if (options.webhook) this.target = undefined;
  }

  // ---------------------------------------------------------------- delivering updates

  /** POSTs one update to the webhook; an update without update_id gets the next one. */
  async sendUpdate(update: UpdateInput): Promise<WebhookDelivery> {
    return this.post(this.withUpdateId(update));
  }

  /**
   * POSTs the same update until the webhook answers 2xx or `attempts` run out, `delayMs`
   * apart (Telegram's redelivery). Returns every attempt.
   */
  async deliverWithRetry(update: UpdateInput, options: RetryOptions): Promise<WebhookDelivery[]> {
    checkRetry(options);
    const full = this.withUpdateId(update);
    const attempts: WebhookDelivery[] = [];
    for (let i = 0; i < options.attempts; i++) {
      if (i > 0 && !(await this.sleep(options.delayMs))) break;
      const delivery = await this.post(full);
      attempts.push(delivery);
      if (isOk(delivery.status)) break;
    }
    return attempts;
  }

  /**
   * Sends a pre_checkout_query and waits (up to answerTimeoutMs) for the bot's
   * answerPreCheckoutQuery. When the delivery fails and no answer came during it, the
   * query expires at once.
   */
  async deliverPreCheckout(args: DeliverPreCheckoutArgs): Promise<DeliverPreCheckoutResult> {
    const user = this.toUser(args.user);
    checkAmount(args.totalAmount);
    const id = args.id ?? randomBytes(8).readBigUInt64BE().toString();
    if (this.queries.get(id)?.state === 'pending') throw new Error(`Pre-checkout query ${id} is already pending`);
    let settle!: (answer: PreCheckoutAnswer | undefined) => void;
    const answered = new Promise<PreCheckoutAnswer | undefined>((resolve) => (settle = resolve));
    const query: PendingQuery = { state: 'pending', settle };
    query.timer = setTimeout(() => this.expireQuery(query), this.answerTimeoutMs);
    this.queries.set(id, query);
    const delivery = await this.sendUpdate({
      pre_checkout_query: { id, from: user, currency: args.currency ?? STARS, total_amount: args.totalAmount, invoice_payload: args.payload },
    });
    if (!isOk(delivery.status)) this.expireQuery(query);
    return { delivery, answer: await answered };
  }

  /** A successful_payment message in the user's chat; records the charge (once per chargeId). */
  async deliverSuccessfulPayment(args: DeliverSuccessfulPaymentArgs): Promise<PaymentDelivery> {
    const chargeId = args.chargeId ?? this.newChargeId();
    const update = this.successfulPaymentUpdate(args, chargeId, args.updateId);
    return { ...(await this.post(update)), chargeId };
  }

  /** A refunded_payment message for a known charge; marks it refunded (once). */
  async deliverRefundedPayment(args: DeliverRefundedPaymentArgs): Promise<WebhookDelivery> {
    const charge = this.chargeMap.get(args.chargeId);
    if (!charge) throw new Error(`Unknown charge ${args.chargeId}`);
    const user = args.user ? this.toUser(args.user) : charge.user;
    if (!charge.refunded) this.markRefunded(charge);
    return this.post(
      this.withUpdateId({
        message: {
          message_id: this.messageSeq++,
          date: this.nowSeconds(),
          chat: privateChat(user),
          from: user,
          refunded_payment: {
            currency: STARS,
            total_amount: charge.amount,
            invoice_payload: charge.payload,
            telegram_payment_charge_id: charge.chargeId,
            provider_payment_charge_id: charge.providerChargeId,
          },
        } as PaymentMessage,
      }),
    );
  }

  /**
   * What a user paying an invoice in Telegram causes: the pre-checkout query, then, only if
   * the bot approved it, the charge and its successful_payment message, repeated
   * `duplicates` extra times (sequentially or concurrently, same or new update ids).
   */
  async payInvoice(args: PayInvoiceArgs): Promise<PayInvoiceResult> {
    const invoice = this.invoiceMap.get(this.invoices.find(args)?.slug ?? '');
    if (!invoice) throw new Error('Unknown invoice');
    const duplicates = args.duplicates ?? 0;
    if (!Number.isInteger(duplicates) || duplicates < 0) throw new RangeError('duplicates must be a non-negative integer');
    if (args.retry) checkRetry(args.retry);
    const user = this.toUser(args.user);
    const pre = await this.deliverPreCheckout({ user, payload: invoice.payload, currency: invoice.currency, totalAmount: invoice.amount });
    if (!pre.answer?.ok) {
      const preCheckout = pre.answer ?? { ok: false, timedOut: true };
      return { preCheckout, preCheckoutDelivery: pre.delivery, deliveries: [] };
    }
    const chargeId = this.newChargeId();
    const first = this.successfulPaymentUpdate(
      { user, payload: invoice.payload, totalAmount: invoice.amount, currency: invoice.currency },
      chargeId,
    );
    invoice.status = 'paid';
    invoice.paidCount += 1;
    const copies = [first];
    for (let i = 0; i < duplicates; i++) copies.push(args.newUpdateIdForDuplicates ? { ...first, update_id: this.updateSeq++ } : first);
    const deliverOne = async (update: Update) => (args.retry ? this.deliverWithRetry(update, args.retry) : [await this.post(update)]);
    const deliveries: WebhookDelivery[] = [];
    if (args.concurrent) for (const attempts of await Promise.all(copies.map(deliverOne))) deliveries.push(...attempts);
    else for (const update of copies) deliveries.push(...(await deliverOne(update)));
    return { preCheckout: pre.answer, preCheckoutDelivery: pre.delivery, chargeId, deliveries };
  }

  // ---------------------------------------------------------------- Bot API methods

  private setWebhook(p: Params) {
    const url = reqString(p, 'url');
    optBool(p, 'drop_pending_updates');
    if (url === '') return this.deleteWebhook(p);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: invalid webhook URL specified');
    }
    // Telegram demands HTTPS; the fake also takes plain HTTP so local receivers work.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = optString(p, 'secret_token');
    if (secret !== undefined && secret !== '') {
      if (secret.length > 256) throw badRequest('secret token is too long');
      if (!SECRET_TOKEN.test(secret)) throw badRequest('secret token contains unallowed characters');
    }
    const maxConnections = optInt(p, 'max_connections');
    if (maxConnections !== undefined && (maxConnections < 1 || maxConnections > 100)) throw badRequest('bad webhook: max_connections must be between 1 and 100');
    const allowedRaw = optJson(p, 'allowed_updates', 'allowed updates');
    if (allowedRaw !== undefined && (!Array.isArray(allowedRaw) || allowedRaw.some((u) => typeof u !== 'string'))) {
      throw badRequest("can't parse allowed updates JSON object");
    }
    const allowedUpdates = (allowedRaw as string[] | undefined) ?? this.target?.allowedUpdates ?? [];
    const same = this.target?.url === url && this.target.secretToken === (secret || undefined);
    this.target = {
      url,
      allowedUpdates,
      ...(secret ? { secretToken: secret } : {}),
      ...(maxConnections !== undefined ? { maxConnections } : {}),
    };
    return reply(true, same ? 'Webhook is already set' : 'Webhook was set');
  }

  private deleteWebhook(p: Params) {
    optBool(p, 'drop_pending_updates');
    const had = this.target !== undefined;
    this.target = undefined;
    return reply(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  private webhookInfo(): WebhookInfo {
    const t = this.target;
    return {
      url: t?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: 0,
      ...(t ? { ip_address: '127.0.0.1', max_connections: t.maxConnections ?? 40 } : {}),
      ...(t && t.allowedUpdates.length > 0 ? { allowed_updates: t.allowedUpdates as WebhookInfo['allowed_updates'] } : {}),
      ...(this.lastError ? { last_error_date: this.lastError.date, last_error_message: this.lastError.message } : {}),
    };
  }

  private sendMessage(p: Params): Message {
    const chat = this.chatFor(p);
    const text = optString(p, 'text');
    if (text === undefined || text.trim() === '') throw badRequest('message text is empty');
    if (text.length > 4096) throw badRequest('message is too long');
    const parseMode = optString(p, 'parse_mode');
    if (parseMode !== undefined && parseMode !== '' && !['HTML', 'Markdown', 'MarkdownV2'].includes(parseMode)) {
      throw badRequest(`unsupported parse_mode "${parseMode}"`);
    }
    const markup = optJson(p, 'reply_markup', 'reply keyboard markup');
    const inline = markup === undefined ? undefined : checkReplyMarkup(markup);
    return {
      message_id: this.messageSeq++,
      date: this.nowSeconds(),
      chat,
      from: this.botUser,
      text,
      ...(inline ? { reply_markup: { inline_keyboard: inline } } : {}),
    };
  }

  private answerPreCheckoutQuery(p: Params): true {
    const id = reqString(p, 'pre_checkout_query_id');
    const ok = reqBool(p, 'ok');
    const errorMessage = optString(p, 'error_message');
    if (!ok && (errorMessage === undefined || errorMessage.trim() === '')) throw badRequest('error_message is empty');
    const query = this.queries.get(id);
    if (!query || query.state !== 'pending') throw badRequest(QUERY_EXPIRED);
    query.state = 'answered';
    query.answer = ok ? { ok } : { ok, error_message: errorMessage ?? '' };
    clearTimeout(query.timer);
    query.settle(query.answer);
    return true;
  }

  private createInvoiceLink(p: Params): string {
    const title = reqString(p, 'title');
    const description = reqString(p, 'description');
    const payload = reqString(p, 'payload');
    const currency = reqString(p, 'currency');
    const providerToken = optString(p, 'provider_token') ?? '';
    const pricesRaw = optJson(p, 'prices', 'prices');
    if (pricesRaw === undefined) throw badRequest('parameter "prices" is required');
    if (title.length < 1 || title.length > 32) throw badRequest('invoice title must be 1-32 characters long');
    if (description.length < 1 || description.length > 255) throw badRequest('invoice description must be 1-255 characters long');
    if (utf8Bytes(payload) < 1 || utf8Bytes(payload) > 128) throw badRequest('INVOICE_PAYLOAD_INVALID');
    if (!/^[A-Z]{3}$/.test(currency)) throw badRequest('CURRENCY_INVALID');
    if (!Array.isArray(pricesRaw)) throw badRequest("can't parse prices JSON object");
    const amounts = pricesRaw.map((price: unknown) => {
      if (!isPlainObject(price)) throw badRequest("can't parse prices JSON object");
      if (typeof price.label !== 'string' || price.label === '') throw badRequest('can\'t parse labeled price: Field "label" must be of type String');
      if (typeof price.amount !== 'number' || !Number.isSafeInteger(price.amount)) {
        throw badRequest('can\'t parse labeled price: Field "amount" must be of type Integer');
      }
      return price.amount;
    });
    if (currency === STARS) {
      if (providerToken !== '' || amounts.length !== 1) throw badRequest('STARS_INVOICE_INVALID');
      if ((optInt(p, 'max_tip_amount') ?? 0) > 0) throw badRequest('STARS_INVOICE_INVALID');
    } else {
      if (providerToken === '') throw badRequest('PAYMENT_PROVIDER_INVALID');
      if (amounts.length === 0) throw badRequest('prices must be non-empty');
    }
    const amount = amounts.reduce((a, b) => a + b, 0);
    if (amounts.some((a) => a <= 0 && currency === STARS) || amount <= 0) throw badRequest('CURRENCY_TOTAL_AMOUNT_INVALID');
    let slug = randomBytes(15).toString('base64url');
    while (this.invoiceMap.has(slug)) slug = randomBytes(15).toString('base64url');
    const link = `https://t.me/$${slug}`;
    this.invoiceMap.set(slug, { slug, link, title, description, payload, currency, amount, createdAt: this.now(), status: 'open', paidCount: 0 });
    return link;
  }

  private refundStarPayment(p: Params): true {
    const userId = reqInt(p, 'user_id');
    const chargeId = reqString(p, 'telegram_payment_charge_id');
    if (userId <= 0) throw badRequest('USER_ID_INVALID');
    const charge = this.chargeMap.get(chargeId);
    if (!charge || charge.user.id !== userId || charge.currency !== STARS) throw badRequest('CHARGE_NOT_FOUND');
    if (charge.refunded) throw badRequest('CHARGE_ALREADY_REFUNDED');
    this.markRefunded(charge);
    return true;
  }

  private getStarTransactions(p: Params): { transactions: StarTransaction[] } {
    const offset = optInt(p, 'offset') ?? 0;
    const limit = optInt(p, 'limit') ?? 100;
    if (offset < 0) throw badRequest('offset must be non-negative');
    if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100');
    return { transactions: this.starTransactions.slice(offset, offset + limit) };
  }

  /**
   * Bot API 8.0: stores a message a Mini App user may send (WebApp.shareMessage). Checked as
   * Telegram does: a user id, a known inline result type with its required fields, a
   * caption of at most 1024 characters, a valid inline keyboard.
   */
  private savePreparedInlineMessage(p: Params): { id: string; expiration_date: number } {
    const userId = reqInt(p, 'user_id');
    if (userId <= 0) throw badRequest('USER_ID_INVALID');
    const result = optJson(p, 'result', 'inline query result');
    if (result === undefined) throw badRequest('parameter "result" is required');
    if (!isPlainObject(result)) throw badRequest("can't parse inline query result JSON object");
    const type = result.type;
    if (typeof type !== 'string' || !INLINE_RESULT_TYPES.has(type)) throw badRequest('RESULT_TYPE_INVALID');
    const id = result.id;
    if (typeof id !== 'string' || utf8Bytes(id) < 1 || utf8Bytes(id) > 64) throw badRequest('RESULT_ID_INVALID');
    if (type === 'photo') {
      if (!isHttpUrl(result.photo_url)) throw badRequest('PHOTO_INVALID: photo_url must be an HTTP(S) URL');
      if (!isHttpUrl(result.thumbnail_url)) throw badRequest('PHOTO_THUMB_URL_EMPTY: thumbnail_url must be an HTTP(S) URL');
      for (const side of ['photo_width', 'photo_height'] as const) {
        const v = result[side];
        if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)) throw badRequest(`field "${side}" must be a positive Integer`);
      }
    }
    const caption = result.caption;
    if (caption !== undefined && (typeof caption !== 'string' || caption.length > 1024)) throw badRequest('MEDIA_CAPTION_TOO_LONG');
    if (result.reply_markup !== undefined) checkReplyMarkup(result.reply_markup);
    const allow = {
      user: optBool(p, 'allow_user_chats') ?? false,
      bot: optBool(p, 'allow_bot_chats') ?? false,
      group: optBool(p, 'allow_group_chats') ?? false,
      channel: optBool(p, 'allow_channel_chats') ?? false,
    };
    let preparedId = randomBytes(12).toString('base64url');
    while (this.preparedMap.has(preparedId)) preparedId = randomBytes(12).toString('base64url');
    const expirationDate = this.nowSeconds() + PREPARED_TTL_S;
    this.preparedMap.set(preparedId, { id: preparedId, userId, result, allow, expirationDate });
    return { id: preparedId, expiration_date: expirationDate };
  }

  // ---------------------------------------------------------------- internals

  private record(call: RecordedCall): void {
    this.recorded.push(call);
    for (const waiter of this.waiters) {
      if (!waiter.matches(call)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(call);
    }
  }

  private takeFailure(method: string): BotApiResponse | undefined {
    const queue = this.failures.get(method.toLowerCase());
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    const { status } = next.spec;
    const parameters = status === 429 ? { retry_after: 1, ...next.spec.parameters } : next.spec.parameters;
    const description = next.spec.description ?? defaultDescription(status, parameters?.retry_after);
    return { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) };
  }

  private withUpdateId(update: UpdateInput): Update {
    if (update.update_id !== undefined) {
      this.updateSeq = Math.max(this.updateSeq, update.update_id + 1);
      return update as Update;
    }
    const { update_id: _omit, ...rest } = update;
    return { update_id: this.updateSeq++, ...rest };
  }

  private async post(update: Update): Promise<WebhookDelivery> {
    const at = this.now();
    const done = (d: Omit<WebhookDelivery, 'update' | 'at'>): WebhookDelivery => {
      const delivery = { update, at, ...d };
      this.delivered.push(delivery);
      return delivery;
    };
    if (this.closed) return done({ status: 0, body: undefined, error: 'FakeBotApi is closed' });
    const target = this.target;
    if (!target) return done({ status: 0, body: undefined, error: 'No webhook is set' });
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
    const allowed = target.allowedUpdates.length > 0 ? target.allowedUpdates.includes(type) : !OPT_IN_UPDATES.has(type);
    if (!allowed) return done({ status: 0, body: undefined, error: `Update type ${type} is not in allowed_updates` });
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.deliveryTimeoutMs);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (target.secretToken) headers['X-Telegram-Bot-Api-Secret-Token'] = target.secretToken;
      const res = await fetch(target.url, { method: 'POST', headers, body: JSON.stringify(update), signal: controller.signal });
      const text = await res.text();
      let body: unknown = text;
      try {
        if (text !== '') body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      if (isOk(res.status)) this.webhookReply(text, res.headers.get('content-type'));
      else {
        this.lastError = { date: this.nowSeconds(), message: `Wrong response from the webhook: ${res.status} ${res.statusText}`.trim() };
        this.log?.warn({ updateId: update.update_id, status: res.status }, 'fake bot api: webhook answered with an error');
      }
      return done({ status: res.status, body });
    } catch (err) {
      const error = controller.signal.aborted ? (this.closed ? 'FakeBotApi is closed' : 'Read timeout expired') : fetchErrorMessage(err);
      this.lastError = { date: this.nowSeconds(), message: error };
      this.log?.warn({ updateId: update.update_id, error }, 'fake bot api: webhook delivery failed');
      return done({ status: 0, body: undefined, error });
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  /** Telegram executes a Bot API call returned as the webhook response body. */
  private webhookReply(text: string, contentType: string | null): void {
    let params: Params;
    try {
      params = parseBody(text, contentType ?? undefined);
    } catch {
      return;
    }
    const { method, ...rest } = params;
    if (typeof method === 'string' && method !== '') this.dispatch(this.token, method, rest, true);
  }

  private successfulPaymentUpdate(args: DeliverSuccessfulPaymentArgs, chargeId: string, updateId?: number): Update {
    const user = this.toUser(args.user);
    checkAmount(args.totalAmount);
    let charge = this.chargeMap.get(chargeId);
    if (!charge) {
      charge = {
        chargeId,
        providerChargeId: `${user.id}_${this.chargeSeq++}`,
        user,
        payload: args.payload,
        currency: args.currency ?? STARS,
        amount: args.totalAmount,
        date: this.nowSeconds(),
        refunded: false,
      };
      this.chargeMap.set(chargeId, charge);
      if (charge.currency === STARS) {
        this.transactions.push({
          id: chargeId,
          amount: charge.amount,
          date: charge.date,
          source: { type: 'user', transaction_type: 'invoice_payment', user, invoice_payload: charge.payload },
        });
      }
    }
    return this.withUpdateId({
      ...(updateId !== undefined ? { update_id: updateId } : {}),
      message: {
        message_id: this.messageSeq++,
        date: this.nowSeconds(),
        chat: privateChat(user),
        from: user,
        successful_payment: {
          currency: charge.currency,
          total_amount: charge.amount,
          invoice_payload: charge.payload,
          telegram_payment_charge_id: chargeId,
          provider_payment_charge_id: charge.providerChargeId,
        },
      } as PaymentMessage,
    });
  }

  private markRefunded(charge: FakeCharge): void {
    charge.refunded = true;
    charge.refundedAt = this.nowSeconds();
    if (charge.currency !== STARS) return;
    this.transactions.push({
      id: charge.chargeId,
      amount: charge.amount,
      date: charge.refundedAt,
      receiver: { type: 'user', transaction_type: 'invoice_payment', user: charge.user },
    });
  }

  /** The clock in whole seconds, as Telegram's `date` fields. */
  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private newChargeId(): string {
    let id = `stx${randomBytes(24).toString('base64url')}`;
    while (this.chargeMap.has(id)) id = `stx${randomBytes(24).toString('base64url')}`;
    return id;
  }

  private toUser(input: FakeUser): User {
    if (typeof input !== 'object' || input === null || !Number.isSafeInteger(input.id) || input.id <= 0) {
      throw new TypeError('user.id must be a positive integer');
    }
    const user: User = { ...input, id: input.id, is_bot: input.is_bot ?? false, first_name: input.first_name ?? `User ${input.id}` };
    this.knownUsers.set(user.id, user);
    return user;
  }

  private chatFor(p: Params): Chat {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === '') throw badRequest('chat_id is empty');
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || id === 0) throw badRequest('chat not found');
    if (id > 0) {
      const user = this.knownUsers.get(id);
      return user ? privateChat(user) : { id, type: 'private', first_name: `User ${id}` };
    }
    return id <= -1_000_000_000_000 ? { id, type: 'supergroup', title: `Chat ${id}` } : { id, type: 'group', title: `Chat ${id}` };
  }

  private expireQuery(query: PendingQuery): void {
    if (query.state !== 'pending') return;
    query.state = 'expired';
    clearTimeout(query.timer);
    query.settle(undefined);
  }

  private expireAllQueries(): void {
    for (const query of this.queries.values()) this.expireQuery(query);
  }

  /** Resolves true after `ms`, or false at once when the fake closes. */
  private sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      this.sleeps.add(entry);
    });
  }
}

function privateChat(user: User): Chat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

/** Validates reply_markup; returns the inline keyboard when there is one. */
function checkReplyMarkup(markup: unknown): InlineKeyboardButton[][] | undefined {
  const invalid = () => badRequest("can't parse reply keyboard markup JSON object");
  if (!isPlainObject(markup)) throw invalid();
  if (markup.inline_keyboard === undefined) {
    if (markup.keyboard === undefined && markup.remove_keyboard === undefined && markup.force_reply === undefined) throw invalid();
    return undefined;
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) throw badRequest('field "inline_keyboard" must be an Array of Arrays');
  for (const button of (rows as unknown[][]).flat()) {
    if (!isPlainObject(button) || typeof button.text !== 'string') throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
    const actions = Object.keys(button).filter((k) => k !== 'text' && k !== 'style' && k !== 'icon_custom_emoji_id');
    if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    if (button.callback_data !== undefined) {
      const bytes = typeof button.callback_data === 'string' ? utf8Bytes(button.callback_data) : 0;
      if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
    }
  }
  return rows as InlineKeyboardButton[][];
}

function checkRetry(options: RetryOptions): void {
  if (!Number.isInteger(options.attempts) || options.attempts < 1) throw new RangeError('attempts must be a positive integer');
  if (!Number.isFinite(options.delayMs) || options.delayMs < 0) throw new RangeError('delayMs must be a non-negative number');
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('totalAmount must be a positive integer');
}

function defaultDescription(status: number, retryAfter?: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict';
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${status}`;
  }
}

function fetchErrorMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

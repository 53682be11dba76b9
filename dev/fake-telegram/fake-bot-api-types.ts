/** Public types of the fake Bot API (see fake-bot-api.ts). */
import type { Logger } from 'pino';
import type { ResponseParameters, Update, User } from 'grammy/types';

export interface FakeBotApiOptions {
  /** The bot token the fake accepts in `/bot<token>/<method>`; others get 401. */
  token: string;
  /** `getMe().username`; default `telepets_bot`. */
  botUsername?: string;
  logger?: Logger;
  /** How long a pre-checkout query waits for `answerPreCheckoutQuery` (Telegram: 10 s). */
  answerTimeoutMs?: number;
  /** How long one webhook POST may take before it counts as failed; default 30 s. */
  deliveryTimeoutMs?: number;
  /** The wall clock (epoch ms) for recorded times and Telegram's `date` fields; default `Date.now`. */
  now?: () => number;
}

/** One Bot API call the fake received (over HTTP or as a webhook reply). */
export interface RecordedCall {
  /** Canonical method name (`sendMessage`), or the name as sent for unknown methods. */
  method: string;
  params: Record<string, unknown>;
  /** `now()` when it arrived. */
  at: number;
  ok: boolean;
  errorCode?: number;
  /** The call came back as the body of a webhook response rather than over HTTP. */
  viaWebhookReply?: boolean;
}

export type BotApiResponse<T = unknown> =
  | { ok: true; result: T; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

type InvoiceStatus = 'open' | 'paid' | 'cancelled';

export interface FakeInvoice {
  slug: string;
  /** `https://t.me/$<slug>` as returned by createInvoiceLink. */
  link: string;
  title: string;
  description: string;
  payload: string;
  currency: string;
  /** Sum of the prices, in the smallest units (Stars for XTR). */
  amount: number;
  /** `now()` at creation. */
  createdAt: number;
  /** The last outcome of paying through the fake (links stay reusable, as in Telegram). */
  status: InvoiceStatus;
  paidCount: number;
}

export interface FakeCharge {
  chargeId: string;
  providerChargeId: string;
  user: User;
  payload: string;
  currency: string;
  amount: number;
  /** Unix seconds. */
  date: number;
  refunded: boolean;
  /** Unix seconds. */
  refundedAt?: number;
}

/** A user as test code writes it: the id is enough, the rest is filled in. */
export type FakeUser = Pick<User, 'id'> & Partial<Omit<User, 'id'>>;

/** An update without `update_id` gets the next id from the fake's counter. */
export type UpdateInput = Omit<Update, 'update_id'> & { update_id?: number };

export interface WebhookDelivery {
  update: Update;
  /** The webhook's HTTP status; 0 when nothing was received (no webhook, connection failed, timeout, filtered). */
  status: number;
  /** The response body: parsed JSON when it is JSON, else the text. */
  body: unknown;
  /** Why the delivery failed to reach the webhook, when status is 0. */
  error?: string;
  /** `now()` when the POST started. */
  at: number;
}

export interface PaymentDelivery extends WebhookDelivery {
  chargeId: string;
}

export interface PreCheckoutAnswer {
  ok: boolean;
  error_message?: string;
}

export interface FailureSpec {
  /** HTTP status and `error_code`, e.g. 429 or 500. */
  status: number;
  /** Defaults to Telegram's wording for the status (`Too Many Requests: retry after N`, …). */
  description?: string;
  /** How many of the next calls fail; default 1. */
  count?: number;
  /** E.g. `{ retry_after: 3 }`; a 429 without it gets `retry_after: 1`. */
  parameters?: ResponseParameters;
}

export interface DeliverPreCheckoutArgs {
  user: FakeUser;
  payload: string;
  /** Default `XTR`. */
  currency?: string;
  totalAmount: number;
  /** Query id; default a fresh random numeric string. */
  id?: string;
}

export interface DeliverPreCheckoutResult {
  delivery: WebhookDelivery;
  /** The bot's answer, or undefined when none came in time (or the delivery failed). */
  answer: PreCheckoutAnswer | undefined;
}

export interface DeliverSuccessfulPaymentArgs {
  user: FakeUser;
  payload: string;
  totalAmount: number;
  /** Default `XTR`. */
  currency?: string;
  /** Default a fresh `stx…` id. Delivering a known id again does not create a second charge. */
  chargeId?: string;
  updateId?: number;
}

export interface DeliverRefundedPaymentArgs {
  /** The chat the service message appears in; default the charge's payer. */
  user?: FakeUser;
  chargeId: string;
}

export interface InvoiceRef {
  invoiceLink?: string;
  slug?: string;
  payload?: string;
}

export interface RetryOptions {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  delayMs: number;
}

export interface PayInvoiceArgs extends InvoiceRef {
  user: FakeUser;
  /** Extra deliveries of the same successful payment (Telegram's at-least-once delivery). */
  duplicates?: number;
  /** Deliver all successful-payment copies at once instead of one after another. */
  concurrent?: boolean;
  /** Give each duplicate a new update_id (default: they repeat the first one's). */
  newUpdateIdForDuplicates?: boolean;
  /** Redeliver each successful payment while the webhook fails. */
  retry?: RetryOptions;
}

export interface PayInvoiceResult {
  preCheckout: PreCheckoutAnswer & { timedOut?: boolean };
  preCheckoutDelivery: WebhookDelivery;
  /** Set when the bot approved the pre-checkout and the user was charged. */
  chargeId?: string;
  /** Every successful-payment delivery attempt, in completion order. */
  deliveries: WebhookDelivery[];
}

export interface WebhookTarget {
  url: string;
  secretToken?: string;
  maxConnections?: number;
  /** Empty: Telegram's default set (everything but chat_member, message_reaction, message_reaction_count). */
  allowedUpdates: string[];
}

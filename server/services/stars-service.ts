/**
 * Telegram Stars: orders, invoices, pre-checkout answers, crediting payments exactly once,
 * refunds, and reconciliation with Telegram's own list of star transactions.
 *
 * Order states: pending (invoice made) → paid (successful_payment credited) → refunded. A
 * payment is credited in the same database transaction that records its charge id (unique)
 * and moves the order, so a redelivered update, sequential or concurrent, credits nothing. A
 * refund reverses the ledger entries, takes back what is left of the grant, and records the
 * rest (spent coins, used items) as the player's debt, paid back from later earnings.
 */
import { randomUUID } from 'node:crypto';
import type { Api } from 'grammy';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { PreCheckoutQuery, RefundedPayment, SuccessfulPayment, User } from 'grammy/types';
import { isItemId, type ItemId } from '../../shared/balance.js';
import type { StarsInvoiceDto, StarsOrderDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { onSaleAt } from '../../shared/seasons.js';
import { notInSeason } from './shop-service.js';
import { pickLanguage, translate } from '../../shared/i18n.js';
import { PRICE_EXPERIMENT, isUnique, priceVariantFor, shopItem, starsProduct, type StarsProductDef } from '../../shared/shop.js';
import type { Database } from '../db/schema.js';
import { grantItemReturning, revokeItemUpTo } from '../repositories/inventory-repository.js';
import { SYSTEM_ACCOUNTS, debtAccount, walletAccount, type LedgerRepository, type Posting } from '../repositories/ledger-repository.js';
import type { StarOrderRow, StarPaymentRow, StarsRepository } from '../repositories/stars-repository.js';
import { appendEvents } from '../repositories/events-repository.js';
import type { InventoryService } from './inventory-service.js';

const STARS_CURRENCY = 'XTR';

/** The part of grammY's Api the payments use. */
export type StarsBotApi = Pick<Api, 'createInvoiceLink' | 'answerPreCheckoutQuery' | 'refundStarPayment' | 'getStarTransactions'>;

interface StarsServiceDeps {
  db: Kysely<Database>;
  dialect: 'postgres' | 'sqlite';
  stars: StarsRepository;
  ledger: LedgerRepository;
  inventory: InventoryService;
  logger: Logger;
  /** The bot's API, or null while the bot is not ready (then payments are unavailable). */
  api: () => StarsBotApi | null;
  /** Items a refund took back (pets wearing a revoked skin change back). */
  onItemsRevoked?: (playerId: string, items: Partial<Record<ItemId, number>>) => Promise<void>;
  onReconciled?: (report: ReconciliationReport) => void;
  now?: () => number;
}

/** What a paid order gave the player (stored in the ledger transaction's meta). */
interface Grant {
  coins: number;
  items: Partial<Record<ItemId, number>>;
}

type PaymentOutcome =
  | { kind: 'credited'; orderId: string; playerId: string }
  | { kind: 'duplicate' }
  /** Recorded without a grant: no matching order of that user. Reconciliation reports it. */
  | { kind: 'unmatched'; playerId?: string | null };

interface RefundOutcome {
  chargeId: string;
  alreadyRefunded: boolean;
  /** Coins taken back from the wallet. */
  coinsTaken: number;
  /** Items taken back. */
  itemsTaken: Partial<Record<ItemId, number>>;
  /** Coins added to the player's debt (what was already spent). */
  debtAdded: number;
}

interface ReconciliationDifference {
  chargeId: string;
  problem: 'missing_locally' | 'missing_at_telegram' | 'amount_mismatch' | 'refund_missing_locally' | 'refund_missing_at_telegram';
  telegramAmount: number | null;
  localAmount: number | null;
}

interface ReconciliationReport {
  checkedAt: string;
  telegramTransactions: number;
  localPayments: number;
  differences: ReconciliationDifference[];
}

function toOrderDto(o: StarOrderRow): StarsOrderDto {
  return {
    orderId: o.id,
    productId: o.product_id,
    stars: o.amount,
    status: o.status,
    createdAt: new Date(o.created_at).toISOString(),
    paidAt: o.paid_at === null ? null : new Date(o.paid_at).toISOString(),
    refundedAt: o.refunded_at === null ? null : new Date(o.refunded_at).toISOString(),
  };
}

function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'description' in err && typeof err.description === 'string') return err.description;
  return err instanceof Error ? err.message : String(err);
}

/** What the anti-fraud review hears of payments: a refund, or a payment that matched no order. */
export type StarsFraudSignal =
  | { kind: 'refund'; playerId: string; chargeId: string }
  | { kind: 'unmatched'; playerId: string | null; evidence: Record<string, unknown> };

export class StarsService {
  /** Told of refunds and unmatched payments after they are stored; must not throw. */
  onFraudSignal: ((signal: StarsFraudSignal) => void) | null = null;

  constructor(private readonly deps: StarsServiceDeps) {}

  private get nowMs(): number {
    return (this.deps.now ?? Date.now)();
  }

  private requireApi(): StarsBotApi {
    const api = this.deps.api();
    if (!api) throw new AppError('PAYMENTS_UNAVAILABLE');
    return api;
  }

  /** Creates a pending order and its invoice link (one price in XTR, empty provider token). */
  async createInvoice(player: { id: string; telegram_id: number; language_code: string }, productId: string): Promise<StarsInvoiceDto> {
    const product = starsProduct(productId);
    if (!product) throw new AppError('PRODUCT_NOT_FOUND', undefined, { productId });
    // A product granting a seasonal item is sold only in its season (none does today).
    const outOfSeason = Object.keys(product.grants.items ?? {}).find((itemId) => !onSaleAt(itemId, this.nowMs));
    if (outOfSeason) throw notInSeason(outOfSeason);
    await this.refuseOwnedUnique(player.id, product);
    const api = this.requireApi();
    const orderId = randomUUID();
    const payload = `order:${orderId}`;
    const order: StarOrderRow = {
      id: orderId,
      player_id: player.id,
      telegram_id: player.telegram_id,
      product_id: product.productId,
      amount: product.stars,
      currency: STARS_CURRENCY,
      payload,
      invoice_link: null,
      status: 'pending',
      experiment_id: PRICE_EXPERIMENT.id,
      variant: priceVariantFor(player.id).id,
      charge_id: null,
      created_at: this.nowMs,
      paid_at: null,
      refunded_at: null,
    };
    await this.deps.stars.insertOrder(order);
    const text = product.invoice[pickLanguage(player.language_code)];
    let link: string;
    try {
      link = await api.createInvoiceLink(text.title, text.description, payload, '', STARS_CURRENCY, [{ label: text.title, amount: product.stars }]);
    } catch (err) {
      this.deps.logger.error({ err: describeError(err), orderId, productId }, 'createInvoiceLink failed');
      throw new AppError('PAYMENTS_UNAVAILABLE');
    }
    await this.deps.stars.setInvoiceLink(orderId, link);
    this.deps.logger.info({ orderId, playerId: player.id, productId, stars: product.stars }, 'stars order created');
    return { orderId, invoiceLink: link, productId: product.productId, stars: product.stars };
  }

  private async refuseOwnedUnique(playerId: string, product: StarsProductDef): Promise<void> {
    const unique = Object.keys(product.grants.items ?? {}).filter((id): id is ItemId => isItemId(id) && isUnique(id));
    if (unique.length === 0) return;
    const holdings = await this.deps.inventory.holdings(playerId);
    if (unique.every((id) => (holdings.items[id] ?? 0) > 0)) throw new AppError('ALREADY_OWNED');
  }

  async order(playerId: string, orderId: string): Promise<StarsOrderDto> {
    const order = await this.deps.stars.findOrder(orderId);
    if (!order || order.player_id !== playerId) throw new AppError('ORDER_NOT_FOUND');
    return toOrderDto(order);
  }

  /**
   * Decides a pre_checkout_query: ok only for a pending order of this user with the same
   * amount and currency (and not for a unique item the player owns by now).
   */
  async checkPreCheckout(query: Pick<PreCheckoutQuery, 'from' | 'currency' | 'total_amount' | 'invoice_payload'>): Promise<{ ok: true } | { ok: false; error: string }> {
    const language = pickLanguage(query.from.language_code);
    const texts = { unknown: translate(language, 'payment.invoiceInvalid'), owned: translate(language, 'payment.alreadyOwned') };
    const order = await this.deps.stars.orderByPayload(this.deps.db, query.invoice_payload);
    const valid =
      order !== undefined &&
      order.status === 'pending' &&
      order.telegram_id === query.from.id &&
      order.amount === query.total_amount &&
      order.currency === query.currency &&
      query.currency === STARS_CURRENCY;
    if (!valid) {
      this.deps.logger.warn(
        { payload: query.invoice_payload.slice(0, 80), from: query.from.id, amount: query.total_amount, currency: query.currency, orderStatus: order?.status ?? null },
        'pre-checkout refused',
      );
      return { ok: false, error: texts.unknown };
    }
    const product = starsProduct(order.product_id);
    if (product) {
      try {
        await this.refuseOwnedUnique(order.player_id, product);
      } catch {
        return { ok: false, error: texts.owned };
      }
    }
    return { ok: true };
  }

  /**
   * Credits a successful payment once. The charge id is inserted first (unique): a second
   * delivery of the same charge — same or new update id, sequential or concurrent — finds
   * it and credits nothing. Database errors propagate, so the webhook answers 5xx and
   * Telegram delivers the update again.
   */
  async creditPayment(payment: SuccessfulPayment, from: User, updateId: number | null): Promise<PaymentOutcome> {
    const nowMs = this.nowMs;
    const chargeId = payment.telegram_payment_charge_id;
    const outcome = await this.deps.db.transaction().execute(async (trx): Promise<PaymentOutcome> => {
      const order = await this.deps.stars.orderByPayload(trx, payment.invoice_payload, true);
      const matches = order !== undefined && order.telegram_id === from.id && order.currency === payment.currency;
      const player = matches ? { id: order.player_id } : await this.deps.stars.playerByTelegramId(trx, from.id);
      const recorded = await this.deps.stars.insertPayment(trx, {
        charge_id: chargeId,
        provider_charge_id: payment.provider_payment_charge_id || null,
        order_id: matches ? order.id : null,
        player_id: player?.id ?? null,
        telegram_id: from.id,
        amount: payment.total_amount,
        currency: payment.currency,
        payload: payment.invoice_payload,
        update_id: updateId,
        transaction_id: null,
        refund_transaction_id: null,
        created_at: nowMs,
        refunded_at: null,
      });
      if (!recorded) return { kind: 'duplicate' };

      const starsPostings: Posting[] = [
        { accountId: SYSTEM_ACCOUNTS.telegramStars, amount: -payment.total_amount },
        { accountId: SYSTEM_ACCOUNTS.starsRevenue, amount: payment.total_amount },
      ];
      const product = matches ? starsProduct(order.product_id) : undefined;
      if (!matches || !product || !player) {
        // Telegram took the Stars but we cannot tell for what: book the revenue, grant nothing.
        if (payment.currency === STARS_CURRENCY) {
          const posted = await this.deps.ledger.post(trx, {
            idempotencyKey: `stars:payment:${chargeId}`,
            reason: 'stars_payment_unmatched',
            playerId: player?.id ?? null,
            meta: { chargeId, payload: payment.invoice_payload, grant: { coins: 0, items: {} } },
            postings: starsPostings,
            nowMs,
          });
          await this.deps.stars.setPaymentTransaction(trx, chargeId, posted.transactionId);
        }
        await appendEvents(trx, [
          {
            kind: 'payment',
            playerId: player?.id ?? null,
            at: nowMs,
            payload: { chargeId, orderId: matches ? order.id : null, productId: matches ? order.product_id : null, stars: payment.total_amount, currency: payment.currency, coins: 0, matched: false },
          },
        ]);
        return { kind: 'unmatched', playerId: player?.id ?? null };
      }

      await this.deps.ledger.lockPlayer(trx, player.id, nowMs);
      const grant: Grant = { coins: product.grants.coins ?? 0, items: {} };
      for (const [itemId, quantity] of Object.entries(product.grants.items ?? {})) {
        if (!isItemId(itemId) || !quantity) continue;
        const held = await grantItemReturning(trx, player.id, itemId, quantity, nowMs, isUnique(itemId));
        if (held !== null) grant.items[itemId] = quantity;
      }
      const coinPostings = grant.coins > 0 ? await this.deps.ledger.creditPostings(trx, player.id, grant.coins) : [];
      const posted = await this.deps.ledger.post(trx, {
        idempotencyKey: `stars:payment:${chargeId}`,
        reason: 'stars_purchase',
        playerId: player.id,
        meta: { chargeId, orderId: order.id, productId: product.productId, grant },
        postings: [...starsPostings, ...coinPostings],
        nowMs,
      });
      await this.deps.stars.setPaymentTransaction(trx, chargeId, posted.transactionId);
      const moved = await this.deps.stars.markPaid(trx, order.id, chargeId, nowMs);
      if (!moved) this.deps.logger.warn({ orderId: order.id, chargeId, status: order.status }, 'payment for an order that was not pending: credited anyway');
      await appendEvents(trx, [
        {
          kind: 'payment',
          playerId: player.id,
          at: nowMs,
          payload: { chargeId, orderId: order.id, productId: product.productId, stars: payment.total_amount, currency: payment.currency, coins: grant.coins, matched: true },
        },
      ]);
      return { kind: 'credited', orderId: order.id, playerId: player.id };
    });

    if (outcome.kind === 'credited') {
      this.deps.logger.info({ chargeId, orderId: outcome.orderId, playerId: outcome.playerId, stars: payment.total_amount }, 'stars payment credited');
      this.deps.inventory.changed(outcome.playerId);
    } else if (outcome.kind === 'duplicate') {
      this.deps.logger.info({ chargeId, updateId }, 'stars payment delivered again: nothing credited');
    } else {
      this.deps.logger.error({ chargeId, from: from.id, payload: payment.invoice_payload.slice(0, 80) }, 'stars payment matches no order: recorded without a grant');
      this.onFraudSignal?.({
        kind: 'unmatched',
        playerId: outcome.playerId ?? null,
        evidence: { source: 'payment', chargeId, telegramId: from.id, stars: payment.total_amount, currency: payment.currency, payload: payment.invoice_payload.slice(0, 80) },
      });
    }
    return outcome;
  }

  /** A refunded_payment update: Telegram refunded the charge; reverse it (idempotent). */
  async refundedByTelegram(refund: RefundedPayment): Promise<RefundOutcome> {
    return this.reverse(refund.telegram_payment_charge_id, 'telegram');
  }

  /**
   * Admin refund: asks Telegram to refund the charge (already refunded there is fine), then
   * reverses it here. Idempotent: a second call changes nothing.
   */
  async refund(chargeId: string): Promise<RefundOutcome> {
    const payment = await this.deps.stars.payment(this.deps.db, chargeId);
    if (!payment) throw new AppError('PAYMENT_NOT_FOUND');
    if (payment.refunded_at === null) {
      const api = this.requireApi();
      try {
        await api.refundStarPayment(payment.telegram_id, chargeId);
      } catch (err) {
        const description = describeError(err);
        if (!/CHARGE_ALREADY_REFUNDED/.test(description)) {
          this.deps.logger.error({ chargeId, err: description }, 'refundStarPayment failed');
          throw new AppError('PAYMENTS_UNAVAILABLE', `Telegram refused the refund: ${description}`);
        }
      }
    }
    return this.reverse(chargeId, 'admin');
  }

  private async reverse(chargeId: string, by: 'admin' | 'telegram'): Promise<RefundOutcome> {
    const nowMs = this.nowMs;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const payment = await this.deps.stars.payment(trx, chargeId, true);
      if (!payment) throw new AppError('PAYMENT_NOT_FOUND');
      const base: RefundOutcome = { chargeId, alreadyRefunded: false, coinsTaken: 0, itemsTaken: {}, debtAdded: 0 };
      if (payment.refunded_at !== null) return { ...base, alreadyRefunded: true, payment };

      const meta = payment.transaction_id ? await this.deps.stars.transactionMeta(trx, payment.transaction_id) : {};
      const grant = (meta.grant as Grant | undefined) ?? { coins: 0, items: {} };
      const postings: Posting[] = [];
      if (payment.currency === STARS_CURRENCY) {
        postings.push(
          { accountId: SYSTEM_ACCOUNTS.telegramStars, amount: payment.amount },
          { accountId: SYSTEM_ACCOUNTS.starsRevenue, amount: -payment.amount },
        );
      }
      const outcome = { ...base };
      if (payment.player_id && payment.order_id) {
        const playerId = payment.player_id;
        // The order before the accounts, as a credit takes them (no deadlocks).
        await this.deps.stars.orderByPayload(trx, payment.payload, true);
        await this.deps.ledger.lockPlayer(trx, playerId, nowMs);
        let owed = 0;
        for (const [itemId, quantity] of Object.entries(grant.items)) {
          if (!isItemId(itemId) || !quantity) continue;
          const taken = await revokeItemUpTo(trx, this.deps.dialect === 'postgres', playerId, itemId, quantity, nowMs);
          if (taken > 0) outcome.itemsTaken[itemId] = taken;
          // What was used up is owed at its plainest coin price.
          owed += (quantity - taken) * (shopItem(itemId)?.coins[0] ?? 0);
        }
        const wallet = await this.deps.stars.walletBalance(trx, walletAccount(playerId));
        outcome.coinsTaken = Math.min(wallet, grant.coins);
        outcome.debtAdded = grant.coins - outcome.coinsTaken + owed;
        if (outcome.coinsTaken > 0) postings.push({ accountId: walletAccount(playerId), amount: -outcome.coinsTaken });
        if (outcome.debtAdded > 0) postings.push({ accountId: debtAccount(playerId), amount: -outcome.debtAdded });
        if (outcome.coinsTaken + outcome.debtAdded > 0) {
          postings.push({ accountId: SYSTEM_ACCOUNTS.issuance, amount: outcome.coinsTaken + outcome.debtAdded });
        }
      }
      if (postings.length > 0) {
        const posted = await this.deps.ledger.post(trx, {
          idempotencyKey: `stars:refund:${chargeId}`,
          reason: 'stars_refund',
          playerId: payment.player_id,
          meta: { chargeId, by, coinsTaken: outcome.coinsTaken, itemsTaken: outcome.itemsTaken, debtAdded: outcome.debtAdded },
          postings,
          nowMs,
        });
        await this.deps.stars.markPaymentRefunded(trx, chargeId, posted.transactionId, nowMs);
      } else {
        await trx.updateTable('star_payments').set({ refunded_at: nowMs }).where('charge_id', '=', chargeId).execute();
      }
      if (payment.order_id) await this.deps.stars.markOrderRefunded(trx, payment.order_id, nowMs);
      await appendEvents(trx, [
        {
          kind: 'refund',
          playerId: payment.player_id,
          at: nowMs,
          payload: { chargeId, orderId: payment.order_id, by, stars: payment.amount, coinsTaken: outcome.coinsTaken, debtAdded: outcome.debtAdded },
        },
        ...(by === 'admin' ? [{ kind: 'admin', playerId: payment.player_id, at: nowMs, payload: { action: 'stars_refund', target: chargeId } } as const] : []),
      ]);
      return { ...outcome, payment };
    });
    const { payment, ...outcome } = result;
    if (!outcome.alreadyRefunded) {
      this.deps.logger.info({ by, ...outcome }, 'stars payment refunded');
      if (payment.player_id) {
        this.onFraudSignal?.({ kind: 'refund', playerId: payment.player_id, chargeId });
        this.deps.inventory.changed(payment.player_id);
        if (Object.keys(outcome.itemsTaken).length > 0) {
          await this.deps.onItemsRevoked?.(payment.player_id, outcome.itemsTaken).catch((err: unknown) =>
            this.deps.logger.error({ err, chargeId }, 'follow-up of revoked items failed'),
          );
        }
      }
    }
    return outcome;
  }

  async payments(limit: number, playerId?: string): Promise<StarPaymentRow[]> {
    return this.deps.stars.payments(limit, playerId);
  }

  /**
   * Compares Telegram's star transactions with the recorded payments: charges Telegram has
   * and we do not (or the other way round), different amounts, and refunds on one side only.
   */
  async reconcile(maxTransactions = 100_000): Promise<ReconciliationReport> {
    const api = this.requireApi();
    const telegram = new Map<string, { amount: number; refunded: boolean }>();
    let offset = 0;
    let seen = 0;
    for (;;) {
      const page = await api.getStarTransactions({ offset, limit: 100 });
      for (const t of page.transactions) {
        const incoming = t.source?.type === 'user';
        const outgoing = t.receiver?.type === 'user';
        const entry = telegram.get(t.id) ?? { amount: 0, refunded: false };
        if (incoming) entry.amount = t.amount;
        if (outgoing) entry.refunded = true;
        telegram.set(t.id, entry);
      }
      seen += page.transactions.length;
      offset += page.transactions.length;
      if (page.transactions.length < 100 || seen >= maxTransactions) break;
    }
    const local = await this.deps.stars.allPayments();
    const differences: ReconciliationDifference[] = [];
    const localIds = new Set<string>();
    for (const p of local) {
      localIds.add(p.charge_id);
      const t = telegram.get(p.charge_id);
      if (!t || t.amount === 0) {
        differences.push({ chargeId: p.charge_id, problem: 'missing_at_telegram', telegramAmount: null, localAmount: p.amount });
        continue;
      }
      if (t.amount !== p.amount) differences.push({ chargeId: p.charge_id, problem: 'amount_mismatch', telegramAmount: t.amount, localAmount: p.amount });
      if (t.refunded && p.refunded_at === null) differences.push({ chargeId: p.charge_id, problem: 'refund_missing_locally', telegramAmount: t.amount, localAmount: p.amount });
      if (!t.refunded && p.refunded_at !== null) differences.push({ chargeId: p.charge_id, problem: 'refund_missing_at_telegram', telegramAmount: t.amount, localAmount: p.amount });
    }
    for (const [chargeId, t] of telegram) {
      if (!localIds.has(chargeId) && t.amount > 0) differences.push({ chargeId, problem: 'missing_locally', telegramAmount: t.amount, localAmount: null });
    }
    const report: ReconciliationReport = {
      checkedAt: new Date(this.nowMs).toISOString(),
      telegramTransactions: seen,
      localPayments: local.length,
      differences,
    };
    if (differences.length > 0) this.deps.logger.warn({ differences: differences.slice(0, 50), count: differences.length }, 'stars reconciliation found differences');
    else this.deps.logger.info({ telegramTransactions: seen, localPayments: local.length }, 'stars reconciliation: ledger matches Telegram');
    this.deps.onReconciled?.(report);
    return report;
  }
}

/**
 * The shop's flows behind the shop panel: loading the catalog, buying with coins (one
 * Idempotency-Key per purchase attempt, the same key again when a network error leaves the
 * outcome unknown, never two requests for one item at once), and buying with Telegram Stars
 * (an invoice, Telegram's payment sheet or the dev server's imitation, then polling the order
 * until the server has delivered it).
 */
import type { ItemId } from '../../../../shared/balance.js';
import type { InventoryDto, ShopDto, StarsInvoiceDto, StarsOrderDto, StarsProductDto } from '../../../../shared/dto.js';
import { errorText, t } from '../../i18n.js';
import type { Api } from '../../net/api.js';
import { errorCodeOf, type ClientErrorCode } from '../../net/errors.js';
import { newIdempotencyKey } from '../../net/idempotency.js';
import { canOpenInvoice, hapticImpact, openInvoice, type InvoiceStatus } from '../../telegram.js';
import type { DevPaySheet } from './dev-pay-sheet.js';
import { productArt, productTitle, type ShopPanel, type ShopSection, type StarsMode } from './shop-panel.js';
import type { ToastKind } from '../../kit/toasts.js';

/** Failures after which the purchase may or may not have happened: retry with the same key. */
const UNKNOWN_OUTCOME: ReadonlySet<ClientErrorCode> = new Set(['NETWORK', 'INTERNAL', 'NOT_READY', 'SHUTTING_DOWN']);
/** Waits before the automatic retries of an attempt whose outcome is unknown. */
const RETRY_DELAYS_MS = [700, 2000];
/** Answers that make the catalog on show stale. */
const STALE_CATALOG: ReadonlySet<ClientErrorCode> = new Set(['INSUFFICIENT_FUNDS', 'ALREADY_OWNED', 'ITEM_NOT_FOR_SALE', 'PRODUCT_NOT_FOUND']);

/** Polling a paid order until it is delivered: every second, up to half a minute. */
const ORDER_POLL_MS = 1000;
const PAID_WAIT_S = 30;
/** Telegram said "pending": the payment may still complete; keep looking a while longer. */
const PENDING_WAIT_S = 60;

export interface ShopControllerDeps {
  api: Api;
  panel: ShopPanel;
  devSheet: DevPaySheet;
  notify(message: string, kind: ToastKind): void;
  /** My whole inventory right after a purchase (the room state follows shortly). */
  inventoryChanged(inventory: InventoryDto): void;
  /** Who pays in the dev payment sheet (my Telegram id and name, from `/me`). */
  payer(): { telegramId: number; firstName: string } | null;
  /** The client config's `devPaymentsPath` (null outside dev mode). */
  devPaymentsPath(): string | null;
}

interface Attempt {
  key: string;
  quantity: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The slug of an invoice link: `https://t.me/$<slug>` (or `https://t.me/invoice/<slug>`). */
function invoiceSlug(link: string): string | null {
  const match = /(?:\/\$|\/invoice\/)([A-Za-z0-9_-]+)\/?$/.exec(link);
  return match?.[1] ?? null;
}

export class ShopController {
  /** The attempt per item that has not had a definite answer yet (its key is reused). */
  private readonly attempts = new Map<ItemId, Attempt>();
  private readonly inFlight = new Set<ItemId>();
  private catalog: ShopDto | null = null;
  private loading: Promise<void> | null = null;
  private starsBusy = false;

  constructor(private readonly deps: ShopControllerDeps) {
    deps.panel.onPromotionExpired(() => void this.refresh());
  }

  starsMode(): StarsMode {
    if (canOpenInvoice()) return 'telegram';
    return this.deps.devPaymentsPath() ? 'dev' : 'none';
  }

  open(section?: ShopSection): void {
    this.deps.panel.setStarsMode(this.starsMode());
    this.deps.panel.show(section);
    void this.refresh();
  }

  /** Fetches the catalog (prices follow my pets' stage and promotions: fresh on every open). */
  refresh(): Promise<void> {
    if (this.loading) return this.loading;
    const panel = this.deps.panel;
    panel.setLoading();
    this.loading = this.deps.api
      .shop()
      .then((dto) => {
        this.catalog = dto;
        panel.setData(dto);
      })
      .catch((error: unknown) => {
        panel.setFailed();
        if (panel.open) this.deps.notify(errorText(errorCodeOf(error)), 'error');
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  // ---- coins -----------------------------------------------------------------------------

  async buy(itemId: ItemId, quantity: number): Promise<void> {
    if (this.inFlight.has(itemId)) return;
    let attempt = this.attempts.get(itemId);
    // A different quantity is a different purchase: it gets its own key.
    if (!attempt || attempt.quantity !== quantity) {
      attempt = { key: newIdempotencyKey(), quantity };
      this.attempts.set(itemId, attempt);
    }
    const { panel } = this.deps;
    this.inFlight.add(itemId);
    panel.setBusy(itemId, true);
    hapticImpact('medium');
    try {
      const result = await this.purchaseWithRetry(itemId, attempt);
      this.attempts.delete(itemId);
      // The inventory was read after the purchase settled (with any reward it earned): newest.
      panel.setBalances({ coins: result.inventory.coins, debt: result.inventory.debt });
      panel.setOwned(Object.fromEntries(result.inventory.items.map((i) => [i.itemId, i.quantity])));
      panel.resetQuantity(itemId);
      this.deps.inventoryChanged(result.inventory);
      const { purchase } = result;
      this.deps.notify(
        t('shop.bought', { count: purchase.quantity, item: t(`item.${purchase.itemId}`), coins: purchase.totalPrice }),
        'success',
      );
    } catch (error) {
      const code = errorCodeOf(error);
      // A definite "no" ends the attempt; an unknown outcome keeps its key for the next tap.
      if (!UNKNOWN_OUTCOME.has(code)) this.attempts.delete(itemId);
      this.deps.notify(errorText(code), 'error');
      if (STALE_CATALOG.has(code)) void this.refresh();
    } finally {
      this.inFlight.delete(itemId);
      panel.setBusy(itemId, false);
    }
  }

  private async purchaseWithRetry(itemId: ItemId, attempt: Attempt): ReturnType<Api['purchase']> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.deps.api.purchase(itemId, attempt.quantity, attempt.key);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[retry];
        if (delay === undefined || !UNKNOWN_OUTCOME.has(errorCodeOf(error))) throw error;
        await sleep(delay);
      }
    }
  }

  // ---- Stars -----------------------------------------------------------------------------

  async buyStars(productId: string): Promise<void> {
    const mode = this.starsMode();
    if (mode === 'none') {
      this.deps.notify(t('stars.outside'), 'info');
      return;
    }
    if (this.starsBusy) return;
    const product = this.catalog?.starsProducts.find((p) => p.productId === productId);
    this.setStarsBusy(productId);
    hapticImpact('medium');
    let invoice: StarsInvoiceDto;
    try {
      invoice = await this.deps.api.starsInvoice(productId);
    } catch (error) {
      this.fail(errorCodeOf(error));
      this.setStarsBusy(null);
      return;
    }
    if (mode === 'telegram') {
      const opened = openInvoice(invoice.invoiceLink, (status) => void this.afterPayment(invoice, product, status));
      if (!opened) {
        this.deps.notify(t('stars.failed'), 'error');
        this.setStarsBusy(null);
      }
      return;
    }
    await this.payInDevSheet(invoice, product);
  }

  /** Dev mode: our imitation of Telegram's sheet, paid through the fake Bot API. */
  private async payInDevSheet(invoice: StarsInvoiceDto, product: StarsProductDto | undefined): Promise<void> {
    const path = this.deps.devPaymentsPath();
    const slug = invoiceSlug(invoice.invoiceLink);
    const payer = this.deps.payer();
    if (!path || !slug || !payer) {
      this.deps.notify(t('stars.failed'), 'error');
      this.setStarsBusy(null);
      return;
    }
    const sheet = this.deps.devSheet;
    const choice = await sheet.ask({
      title: product ? productTitle(product) : invoice.productId,
      description: product ? grantsText(product) : '',
      stars: invoice.stars,
      art: product ? productArt(product) : 'star',
    });
    if (choice === 'cancel') {
      await this.deps.api.devInvoice(path, slug, 'cancel').catch(() => undefined);
      await this.afterPayment(invoice, product, 'cancelled');
      return;
    }
    sheet.setBusy(true);
    let status: InvoiceStatus;
    try {
      const result = await this.deps.api.devInvoice(path, slug, 'pay', { userId: payer.telegramId, firstName: payer.firstName });
      status = result.status === 'paid' ? 'paid' : 'failed';
    } catch {
      // No answer: it may have gone through. Watch the order like a pending payment.
      status = 'pending';
    }
    sheet.close();
    await this.afterPayment(invoice, product, status);
  }

  /** How the payment sheet closed decides what to tell and whether to wait for delivery. */
  private async afterPayment(invoice: StarsInvoiceDto, product: StarsProductDto | undefined, status: InvoiceStatus): Promise<void> {
    try {
      if (status === 'cancelled') {
        this.deps.notify(t('stars.cancelled'), 'info');
        return;
      }
      if (status === 'failed') {
        this.deps.notify(t('stars.failed'), 'error');
        return;
      }
      this.deps.notify(t(status === 'paid' ? 'stars.delivering' : 'stars.pending'), 'info');
      const final = await this.waitForOrder(invoice.orderId, status === 'paid' ? PAID_WAIT_S : PENDING_WAIT_S);
      if (final === 'paid') {
        this.deps.notify(t('stars.delivered', { what: product ? productTitle(product) : invoice.productId }), 'success');
        await this.refresh();
      } else if (final === 'refunded') {
        this.deps.notify(t('stars.refunded'), 'warning');
      } else if (status === 'paid') {
        this.deps.notify(t('stars.slow'), 'info');
      }
    } finally {
      this.setStarsBusy(null);
    }
  }

  /** Polls the order until it leaves `pending`; null when it did not within `seconds`. */
  private async waitForOrder(orderId: string, seconds: number): Promise<StarsOrderDto['status'] | null> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      try {
        const order = await this.deps.api.starsOrder(orderId);
        if (order.status !== 'pending') return order.status;
      } catch {
        // A dropped poll is not an answer: keep looking until the deadline.
      }
      if (Date.now() + ORDER_POLL_MS > deadline) return null;
      await sleep(ORDER_POLL_MS);
    }
  }

  private setStarsBusy(productId: string | null): void {
    this.starsBusy = productId !== null;
    this.deps.panel.setStarsBusy(productId);
  }

  private fail(code: ClientErrorCode): void {
    this.deps.notify(errorText(code), 'error');
    if (STALE_CATALOG.has(code)) void this.refresh();
  }
}

/** "+100 coins · 5 × Steak · …" for the dev payment sheet. */
function grantsText(p: StarsProductDto): string {
  const parts = p.coins > 0 ? [t('stars.grantsCoins', { coins: p.coins })] : [];
  for (const i of p.items) parts.push(t('stars.grantsItem', { count: i.quantity, item: t(`item.${i.itemId}`) }));
  return parts.join(' · ');
}

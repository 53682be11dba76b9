/**
 * The REST adapter: typed calls for every `/api/v1` endpoint the client uses. Every call
 * except the two public ones sends `Authorization: tma <initData>`; every failure becomes a
 * `ClientError` carrying a registry code.
 */
import type { NotificationSettingsDto, NotificationSettingsPatch } from '../../../shared/notifications.js';
import type { CreateReportBody, ReportDto } from '../../../shared/dto.js';
import type { AdoptedPetDto } from '../../../shared/dto.js';
import type { AlbumDto } from '../../../shared/dto.js';
import type { PreparedShareDto, ShareInfoDto } from '../../../shared/dto.js';
import type {
  CollectionClaimDto,
  CollectionDto,
  ClientConfigDto,
  CreatePetBody,
  DevInitDataBody,
  FriendDto,
  FriendListDto,
  ImageDto,
  InventoryDto,
  LeaderboardDto,
  LeaderboardListDto,
  MeDto,
  PetDto,
  PetListDto,
  PetSummaryDto,
  ProgressDto,
  PurchaseResultDto,
  QuestClaimDto,
  RoomTicketDto,
  ShopDto,
  StarsInvoiceDto,
  StarsOrderDto,
  UpdateMeBody,
  WakeResultDto,
} from '../../../shared/dto.js';
import type { UiEvent } from '../../../shared/analytics.js';
import type { LeaderboardId, LeaderboardPeriod, LeaderboardScope } from '../../../shared/leaderboards.js';
import { isErrorCode } from '../../../shared/errors.js';
import { ClientError, errorCodeOf } from './errors.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

/** What the dev payment sheet's Pay answers (the fake Bot API's `/_dev/invoices/:slug/pay`). */
interface DevPayResult {
  status: 'paid' | 'failed';
  error?: string;
}

const STATUS_CODES: Record<number, ClientError['code']> = {
  401: 'AUTH_INVALID',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

export class Api {
  private initData: string | null = null;
  /** Called once when the server says the initData expired; returns fresh initData or null. */
  private refreshAuth: (() => Promise<string | null>) | null = null;

  constructor(private readonly baseUrl = '/api/v1') {}

  setAuth(initData: string, refresh: (() => Promise<string | null>) | null = null): void {
    this.initData = initData;
    this.refreshAuth = refresh;
  }

  get authToken(): string | null {
    return this.initData;
  }

  clientConfig(): Promise<ClientConfigDto> {
    return this.request('GET', '/client-config', undefined, false);
  }

  devInitData(body: DevInitDataBody): Promise<{ initData: string }> {
    return this.request('POST', '/dev/init-data', body, false);
  }

  me(): Promise<MeDto> {
    return this.request('GET', '/me');
  }

  updateMe(body: UpdateMeBody): Promise<MeDto> {
    return this.request('PATCH', '/me', body);
  }

  /** A single-use ticket for the next room join (rooms never see initData). */
  roomTicket(): Promise<RoomTicketDto> {
    return this.request('POST', '/rooms/tickets');
  }

  /** My coins and items. */
  inventory(): Promise<InventoryDto> {
    return this.request('GET', '/inventory');
  }

  /** The shop: my prices, balances, Stars products and running promotions. */
  shop(): Promise<ShopDto> {
    return this.request('GET', '/shop');
  }

  /**
   * Buys with coins. `idempotencyKey` names this purchase attempt: sending it again (after a
   * network error) can never buy twice, the server answers with the first purchase.
   */
  purchase(itemId: string, quantity: number, idempotencyKey: string): Promise<PurchaseResultDto> {
    return this.request('POST', '/shop/purchases', { itemId, quantity }, true, false, { 'Idempotency-Key': idempotencyKey });
  }

  /** An invoice for a Stars product (open it with Telegram's `openInvoice`). */
  starsInvoice(productId: string): Promise<StarsInvoiceDto> {
    return this.request('POST', '/stars/invoices', { productId });
  }

  starsOrder(orderId: string): Promise<StarsOrderDto> {
    return this.request('GET', `/stars/orders/${encodeURIComponent(orderId)}`);
  }

  /**
   * The dev payment sheet's buttons (dev servers only): `path` is the client config's
   * `devPaymentsPath`, outside `/api/v1` and without auth (the fake Bot API's own surface).
   */
  devInvoice(path: string, slug: string, action: 'pay' | 'cancel', body: unknown = {}): Promise<DevPayResult | { status: 'cancelled' }> {
    return this.request('POST', `${path}/${encodeURIComponent(slug)}/${action}`, body, false, false, {}, '');
  }

  /** My streaks, today's and this week's quests, and achievements with their progress. */
  progress(): Promise<ProgressDto> {
    return this.request('GET', '/progress');
  }

  /** Collects a completed quest's coins (once: a second claim is ALREADY_CLAIMED). */
  collection(): Promise<CollectionDto> {
    return this.request('GET', '/collection');
  }

  claimCollectionSet(setId: string): Promise<CollectionClaimDto> {
    return this.request('POST', `/collection/sets/${encodeURIComponent(setId)}/claim`);
  }

  claimQuest(questId: string): Promise<QuestClaimDto> {
    return this.request('POST', `/quests/${encodeURIComponent(questId)}/claim`);
  }

  /** What the bot may tell me while I am away. */
  notificationSettings(): Promise<NotificationSettingsDto> {
    return this.request('GET', '/notifications/settings');
  }

  updateNotificationSettings(patch: NotificationSettingsPatch): Promise<NotificationSettingsDto> {
    return this.request('PATCH', '/notifications/settings', patch);
  }

  /** Dresses my pet in a skin I hold ('default' takes it off). */
  setSkin(petId: string, skin: string): Promise<PetDto> {
    return this.request('PUT', `/pets/${encodeURIComponent(petId)}/skin`, { skin });
  }

  wake(petId: string): Promise<WakeResultDto> {
    return this.request('POST', `/pets/${encodeURIComponent(petId)}/wake`);
  }

  /** All of the player's pets, following cursors (a player has only a handful). */
  async allPets(): Promise<PetDto[]> {
    const pets: PetDto[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const list: PetListDto = await this.request('GET', `/pets${query}`);
      pets.push(...list.items);
      cursor = list.nextCursor;
      if (!cursor) break;
    }
    return pets;
  }

  createPet(body: CreatePetBody): Promise<AdoptedPetDto> {
    return this.request('POST', '/pets', body);
  }

  petSummary(petId: string): Promise<PetSummaryDto> {
    return this.request('GET', `/pets/${encodeURIComponent(petId)}/summary`);
  }

  addFriend(inviteCode: string): Promise<FriendDto> {
    return this.request('POST', '/friends', { inviteCode });
  }

  leaderboards(): Promise<LeaderboardListDto> {
    return this.request('GET', '/leaderboards');
  }

  leaderboard(board: LeaderboardId, period: LeaderboardPeriod, scope: LeaderboardScope): Promise<LeaderboardDto> {
    return this.request('GET', `/leaderboards/${encodeURIComponent(board)}?period=${period}&scope=${scope}&limit=100`);
  }

  async friends(): Promise<FriendDto[]> {
    const list: FriendListDto = await this.request('GET', '/friends');
    return list.items;
  }

  /** The pet's pictures, newest first (owner or friend). */
  async petImages(petId: string): Promise<ImageDto[]> {
    const list: { items: ImageDto[] } = await this.request('GET', `/pets/${encodeURIComponent(petId)}/images`);
    return list.items;
  }

  /** Reports a friend's pet to the moderators (once per pet: a repeat answers `created: false`). */
  reportPet(petId: string, body: CreateReportBody): Promise<ReportDto> {
    return this.request('POST', `/pets/${encodeURIComponent(petId)}/reports`, body);
  }

  /** A new picture of the pet's current stage (owner; limited: RATE_LIMITED with a wait). */
  regeneratePicture(petId: string): Promise<ImageDto> {
    return this.request('POST', `/pets/${encodeURIComponent(petId)}/images/regenerate`, {});
  }

  /**
   * A batch of my UI events (net/analytics.ts). `keepalive`: the request outlives the page
   * (sent as the app is hidden).
   */
  analyticsEvents(events: readonly UiEvent[], keepalive: boolean): Promise<{ accepted: number }> {
    return this.request('POST', '/analytics/events', { events }, true, false, {}, this.baseUrl, keepalive);
  }

  /** A page of a pet's album, newest first (owner or friend); `cursor` is the previous page's `nextCursor`. */
  album(petId: string, limit: number, cursor?: string): Promise<AlbumDto> {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return this.request('GET', `/pets/${encodeURIComponent(petId)}/album${query}`);
  }

  /** Share links of a pet of mine (gives it a share code the first time). */
  shareInfo(petId: string): Promise<ShareInfoDto> {
    return this.request('GET', `/pets/${encodeURIComponent(petId)}/share`);
  }

  /** A message prepared by the server for WebApp.shareMessage (owner; limited). */
  prepareShare(petId: string): Promise<PreparedShareDto> {
    return this.request('POST', `/pets/${encodeURIComponent(petId)}/share/prepared`, {});
  }

  private async request<T>(
    method: Method,
    path: string,
    body?: unknown,
    auth = true,
    retried = false,
    extraHeaders: Record<string, string> = {},
    baseUrl = this.baseUrl,
    keepalive = false,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.initData) headers.Authorization = `tma ${this.initData}`;

    let response: Response;
    try {
      response = await fetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        ...(keepalive ? { keepalive } : {}),
      });
    } catch (error) {
      throw new ClientError('NETWORK', error instanceof Error ? error.message : 'Network error');
    }

    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return payload as T;

    const error = this.toError(response.status, payload, response.headers.get('retry-after'));
    // Only dev sessions have a refresher; their initData dies with a restarted dev server too.
    if ((error.code === 'AUTH_EXPIRED' || error.code === 'AUTH_INVALID') && auth && !retried && this.refreshAuth) {
      const fresh = await this.refreshAuth().catch(() => null);
      if (fresh) {
        this.initData = fresh;
        return this.request<T>(method, path, body, auth, true, extraHeaders, baseUrl, keepalive);
      }
    }
    throw error;
  }

  private toError(status: number, payload: unknown, retryAfterHeader: string | null): ClientError {
    const body = (payload ?? {}) as { error?: { code?: unknown; message?: unknown; retryAfterSeconds?: unknown } };
    const code = body.error?.code;
    const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${status}`;
    const wait = retryAfterOf(body.error?.retryAfterSeconds, retryAfterHeader);
    if (isErrorCode(code)) return new ClientError(code, message, status, wait);
    const fallback = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : errorCodeOf({ code: status }));
    return new ClientError(fallback, message, status, wait);
  }
}

/** Seconds to wait from the error body, else from a `Retry-After: <seconds>` header. */
function retryAfterOf(fromBody: unknown, header: string | null): number | null {
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody);
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : null;
}

/**
 * The admin JSON API (`/admin/…`). The access token lives in memory only (never in storage):
 * it is refreshed shortly before it expires and once after a 401, through
 * `POST /admin/auth/refresh` and its HttpOnly cookie; concurrent refreshes share one request.
 * When refreshing fails the session is over and `onSessionLost` sends the panel to the login.
 * Failures are `AdminApiError`s with the server's error code (`NETWORK` when there was no answer).
 */
import type { AnalyticsDailyDto } from '../../shared/analytics.js';
import type { AdminAccountDto, AdminDashboardDto, AdminRoleDto, AdminRoomDetailDto, AdminRoomDto, AuditEntryDto } from '../../shared/dto.js';
// Players and promotions
import type {
  AdminCoinsResultDto,
  AdminLeaderboardExclusionResultDto,
  AdminPlayerPageDto,
  AdminPlayerSearchDto,
  AdminPromotionCreateBody,
  AdminPromotionDto,
  AdminPromotionPatchBody,
  AdminPromotionPreviewBody,
  AdminPromotionPreviewDto,
  PetDto,
} from '../../shared/dto.js';
// Moderation and fraud
import type { FraudDecision, FraudFlagDto, ModerationQueueDto, ModerationResultDto } from '../../shared/dto.js';

export type Role = AdminRoleDto;
export type Account = AdminAccountDto;
export type AuditEntry = AuditEntryDto;

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: string | null;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetId?: string;
  limit?: number;
  before?: string;
}

export interface RoomList {
  items: AdminRoomDto[];
  unreachable: string[];
}

interface TokenAnswer {
  token: string;
  expiresInSeconds: number;
  /** Always from this server; an older one (password only) sent none. */
  account?: Account;
}

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** Refresh this long before the token expires (or at 4/5 of a short lifetime). */
const REFRESH_AHEAD_S = 60;
/** Before admin accounts, the one login is the admin. */
const PASSWORD_ONLY_ACCOUNT: Account = { id: 'admin', name: 'admin', role: 'admin' };

export interface AdminApiOptions {
  /** Origin and path prefix of the API; default '' (same origin). */
  base?: string;
  fetch?: typeof fetch;
  onSessionLost?: () => void;
}

export class AdminApi {
  private token: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  account: Account | null = null;

  constructor(private readonly options: AdminApiOptions = {}) {
    this.base = options.base ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  /** Signs in; the name is left out when empty (the password-only login of ADMIN_PASSWORD). */
  async login(name: string, password: string): Promise<Account> {
    let answer: TokenAnswer;
    try {
      answer = await this.send<TokenAnswer>('POST', '/admin/login', name ? { name, password } : { password }, { auth: false });
    } catch (err) {
      // A server without admin accounts refuses the name field: try the password alone.
      if (!(name && err instanceof AdminApiError && err.status === 400)) throw err;
      answer = await this.send<TokenAnswer>('POST', '/admin/login', { password }, { auth: false });
    }
    await this.accept(answer);
    return this.account ?? PASSWORD_ONLY_ACCOUNT;
  }

  /** Resumes a session from the refresh cookie (page reload); false when there is none. */
  async resume(): Promise<boolean> {
    return this.refresh();
  }

  async logout(): Promise<void> {
    this.clear();
    try {
      await this.send('POST', '/admin/auth/logout', undefined, { auth: false });
    } catch {
      // Logged out here either way; the cookie expires by itself.
    }
  }

  me(): Promise<Account> {
    return this.get<Account>('/admin/me');
  }

  dashboard(): Promise<AdminDashboardDto> {
    return this.get('/admin/dashboard');
  }

  rooms(): Promise<RoomList> {
    return this.get('/admin/rooms');
  }

  room(roomId: string): Promise<AdminRoomDetailDto> {
    return this.get(`/admin/rooms/${encodeURIComponent(roomId)}`);
  }

  analyticsDaily(from: string, to: string): Promise<AnalyticsDailyDto> {
    return this.get(`/admin/analytics/daily?${new URLSearchParams({ from, to }).toString()}`);
  }

  audit(query: AuditQuery): Promise<AuditPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const qs = params.toString();
    return this.get(`/admin/audit${qs ? `?${qs}` : ''}`);
  }

  reconcileStars(): Promise<{ differences: unknown[] }> {
    return this.send('POST', '/admin/stars/reconcile');
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /** One request; with auth, a 401 refreshes the token once (shared with concurrent requests) and retries. */
  async send<T>(method: string, path: string, body?: unknown, { auth = true, headers = {} } = {}): Promise<T> {
    const first = await this.request(method, path, body, auth, headers);
    if (first.status !== 401 || !auth) return this.read<T>(first);
    if (!(await this.refresh())) {
      this.options.onSessionLost?.();
      return this.read<T>(first);
    }
    return this.read<T>(await this.request(method, path, body, auth, headers));
  }

  private async request(method: string, path: string, body: unknown, auth: boolean, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(this.base + path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new AdminApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
    }
  }

  private async read<T>(res: Response): Promise<T> {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): reported by status below.
    }
    if (res.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AdminApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? (res.statusText || `HTTP ${res.status}`));
  }

  /** Single-flight: every caller during a refresh waits for the same answer. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const answer = await this.send<TokenAnswer>('POST', '/admin/auth/refresh', undefined, { auth: false });
        await this.accept(answer);
        return true;
      } catch {
        this.clear();
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async accept(answer: TokenAnswer): Promise<void> {
    this.token = answer.token;
    this.schedule(answer.expiresInSeconds);
    if (answer.account) {
      this.account = answer.account;
      return;
    }
    try {
      // Not through send(): a 401 here must not wait for the refresh this may be part of.
      this.account = await this.read<Account>(await this.request('GET', '/admin/me', undefined, true));
    } catch {
      // No /admin/me (the password-only login): the one login is the admin.
      this.account = PASSWORD_ONLY_ACCOUNT;
    }
  }

  private schedule(expiresInSeconds: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    const ahead = Math.min(REFRESH_AHEAD_S, expiresInSeconds / 5);
    this.refreshTimer = setTimeout(
      () => {
        void this.refresh().then((ok) => {
          if (!ok) this.options.onSessionLost?.();
        });
      },
      Math.max(1, expiresInSeconds - ahead) * 1000,
    );
  }

  private clear(): void {
    this.token = null;
    this.account = null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  // --- Players and promotions ----------------------------------------------------------------

  searchPlayers(q: string, cursor?: string | null, limit = 20): Promise<AdminPlayerSearchDto> {
    const params = new URLSearchParams({ q, limit: String(limit) });
    if (cursor) params.set('cursor', cursor);
    return this.get(`/admin/players?${params.toString()}`);
  }

  player(playerId: string, ledgerLimit = 50): Promise<AdminPlayerPageDto> {
    return this.get(`/admin/players/${encodeURIComponent(playerId)}?ledgerLimit=${ledgerLimit}`);
  }

  banPlayer(playerId: string, banned: boolean, reason: string): Promise<{ playerId: string; banned: boolean }> {
    return this.send('POST', `/admin/players/${encodeURIComponent(playerId)}/${banned ? 'ban' : 'unban'}`, { reason });
  }

  /** `idempotencyKey`: one per dialog submission, so a double click or a retry posts once. */
  adjustCoins(playerId: string, amount: number, reason: string, idempotencyKey: string): Promise<AdminCoinsResultDto> {
    return this.send('POST', `/admin/players/${encodeURIComponent(playerId)}/coins`, { amount, reason }, { headers: { 'idempotency-key': idempotencyKey } });
  }

  renamePet(petId: string, name: string, reason: string): Promise<PetDto> {
    return this.send('POST', `/admin/pets/${encodeURIComponent(petId)}/rename`, { name, reason });
  }

  setLeaderboardExcluded(playerId: string, excluded: boolean, reason: string): Promise<AdminLeaderboardExclusionResultDto> {
    return this.send('POST', `/admin/players/${encodeURIComponent(playerId)}/leaderboards`, { excluded, reason });
  }

  /** The refund route takes no body (it audits the refund itself). */
  refundPayment(chargeId: string): Promise<unknown> {
    return this.send('POST', `/admin/stars/payments/${encodeURIComponent(chargeId)}/refund`);
  }

  promotions(): Promise<{ items: AdminPromotionDto[] }> {
    return this.get('/admin/promotions');
  }

  createPromotion(body: AdminPromotionCreateBody): Promise<AdminPromotionDto> {
    return this.send('POST', '/admin/promotions', body);
  }

  updatePromotion(id: string, body: AdminPromotionPatchBody): Promise<AdminPromotionDto> {
    return this.send('PATCH', `/admin/promotions/${encodeURIComponent(id)}`, body);
  }

  endPromotion(id: string, reason?: string): Promise<AdminPromotionDto> {
    return this.send('POST', `/admin/promotions/${encodeURIComponent(id)}/end`, reason ? { reason } : {});
  }

  previewPromotion(body: AdminPromotionPreviewBody): Promise<AdminPromotionPreviewDto> {
    return this.send('POST', '/admin/promotions/preview', body);
  }

  // Moderation and fraud (docs/moderation.md) ------------------------------------------------

  moderationQueue(query: ModerationQueueQuery): Promise<ModerationQueueDto> {
    return this.get(`/admin/moderation/queue?${queryString(query)}`);
  }

  hidePicture(petId: string, reason: string): Promise<ModerationResultDto> {
    return this.send('POST', `/admin/moderation/pets/${encodeURIComponent(petId)}/hide-picture`, { reason });
  }

  unhidePicture(petId: string, reason: string, imageId?: string): Promise<ModerationResultDto> {
    return this.send('POST', `/admin/moderation/pets/${encodeURIComponent(petId)}/unhide-picture`, imageId ? { reason, imageId } : { reason });
  }

  dismissPetReports(petId: string, reason: string): Promise<ModerationResultDto> {
    return this.send('POST', `/admin/moderation/pets/${encodeURIComponent(petId)}/dismiss`, { reason });
  }

  dismissNameAttempt(attemptId: string, reason: string): Promise<ModerationResultDto> {
    return this.send('POST', `/admin/moderation/names/${encodeURIComponent(attemptId)}/dismiss`, { reason });
  }

  /** POST /admin/pets/:petId/rename (the Players area's route); 400 NAME_REJECTED / NAME_INVALID. */
  moderationRenamePet(petId: string, name: string, reason: string): Promise<{ id: string; name: string }> {
    return this.send('POST', `/admin/pets/${encodeURIComponent(petId)}/rename`, { name, reason });
  }

  fraudFlags(query: FraudFlagQuery): Promise<FraudFlagPage> {
    return this.get(`/admin/fraud/flags?${queryString(query)}`);
  }

  decideFraudFlag(flagId: string, decision: FraudDecision, reason: string): Promise<FraudDecisionResult> {
    return this.send('POST', `/admin/fraud/flags/${encodeURIComponent(flagId)}/decide`, { decision, reason });
  }

  /**
   * Bytes behind the token (`/admin/images/:id`, hidden pictures included) as an object URL for
   * an <img>, which cannot send the Authorization header. The caller revokes it.
   */
  async objectUrl(path: string): Promise<string> {
    let res = await this.request('GET', path, undefined, true);
    if (res.status === 401 && (await this.refresh())) res = await this.request('GET', path, undefined, true);
    if (!res.ok) return this.read<never>(res);
    return URL.createObjectURL(await res.blob());
  }
}

// Moderation and fraud ----------------------------------------------------------------------

export type ModerationQueueItem = ModerationQueueDto['items'][number];
export type ReportGroup = Extract<ModerationQueueItem, { kind: 'report' }>;
export type NameAttempt = Extract<ModerationQueueItem, { kind: 'name' }>;
export type FraudFlag = FraudFlagDto;
export type { FraudDecision, ModerationResultDto };

export interface ModerationQueueQuery {
  status: 'open' | 'resolved';
  kind: 'report' | 'name';
  limit?: number;
  cursor?: string;
}

export interface FraudFlagQuery {
  status: FraudFlagDto['status'];
  kind?: FraudFlagDto['kind'];
  playerId?: string;
  limit?: number;
  cursor?: string;
}

export interface FraudFlagPage {
  items: FraudFlag[];
  nextCursor: string | null;
}

export interface FraudDecisionResult {
  flag: FraudFlag;
  /** warn: whether the bot message went out. */
  messaged: boolean;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** Whether `role` may do what needs `min` (admins may do everything moderators may). */
export function roleAtLeast(role: Role, min: Role): boolean {
  return role === 'admin' || min === 'moderator';
}

/**
 * Promotions edited from the admin panel (docs/admin.md): create, edit, end early,
 * and a preview of the prices players would see. Every change is written with its audit row
 * in one transaction. Then every process's shop drops its cached promotions at once: here
 * directly, the others through Colyseus presence in cluster mode (as bans travel); the shop's
 * short cache (PROMOTIONS_TTL_MS) bounds a message that got lost.
 */
import { randomUUID } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ItemId, ItemKind } from '../../shared/balance.js';
import type {
  AdminPromotionCreateBody,
  AdminPromotionDto,
  AdminPromotionPatchBody,
  AdminPromotionPreviewBody,
  AdminPromotionPreviewDto,
} from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { shopItem } from '../../shared/shop.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { recordAudit, type AuditActor } from '../repositories/admin-repository.js';
import type { PromotionsRepository } from '../repositories/promotions-repository.js';
import type { PromotionRow } from '../repositories/shop-repository.js';
import type { ShopService } from './shop-service.js';

/** The presence channel promotion changes travel on between processes. */
const PROMOTIONS_CHANNEL = 'telepets:promotions';
/** The longest a promotion may run. */
export const PROMOTION_MAX_DAYS = 90;
const DAY_MS = 86_400_000;
/** Promotions listed at most (they are made by hand). */
const LIST_LIMIT = 500;

type Status = AdminPromotionDto['status'];

export function promotionStatus(p: Pick<PromotionRow, 'starts_at' | 'ends_at'>, nowMs: number): Status {
  if (nowMs >= p.ends_at) return 'ended';
  return nowMs >= p.starts_at ? 'running' : 'scheduled';
}

export function adminPromotionDto(p: PromotionRow, nowMs: number): AdminPromotionDto {
  return {
    id: p.id,
    title: p.title,
    discountPercent: p.discount_percent,
    itemId: (p.item_id as ItemId | null) ?? null,
    kind: (p.kind_filter as ItemKind | null) ?? null,
    startsAt: new Date(Number(p.starts_at)).toISOString(),
    endsAt: new Date(Number(p.ends_at)).toISOString(),
    createdAt: new Date(Number(p.created_at)).toISOString(),
    status: promotionStatus(p, nowMs),
  };
}

const invalid = (message: string) => new AppError('VALIDATION_FAILED', message);

function epochOf(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw invalid(`${field} is not a date-time`);
  return ms;
}

/** Exactly one of an item of the catalog and a kind. */
function target(itemId: string | null | undefined, kind: string | null | undefined): { item_id: string | null; kind_filter: string | null } {
  const item = itemId ?? null;
  const k = kind ?? null;
  if ((item === null) === (k === null)) throw invalid('Give exactly one of itemId and kind');
  if (item !== null && !shopItem(item)) throw invalid(`${item} is not sold in the shop`);
  return { item_id: item, kind_filter: k };
}

/** The window rules: ends in the future, after the start, at most PROMOTION_MAX_DAYS long. */
function checkWindow(startsAt: number, endsAt: number, nowMs: number): void {
  if (endsAt <= nowMs) throw invalid('endsAt must be in the future');
  if (endsAt <= startsAt) throw invalid('endsAt must be after startsAt');
  if (endsAt - startsAt > PROMOTION_MAX_DAYS * DAY_MS) throw invalid(`A promotion runs at most ${PROMOTION_MAX_DAYS} days`);
}

function auditState(p: PromotionRow) {
  return { title: p.title, discountPercent: p.discount_percent, itemId: p.item_id, kind: p.kind_filter, startsAt: Number(p.starts_at), endsAt: Number(p.ends_at) };
}

export class AdminPromotionsService {
  /** Tells apart this process's own messages coming back from presence. */
  private readonly token = randomUUID();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      dialect: Dialect;
      promotions: PromotionsRepository;
      shop: ShopService;
      /** Cluster mode: the presence every process subscribes to; null in one process. */
      presence: Presence | null;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /** Subscribes this process's shop to promotion changes made by any process. */
  async start(): Promise<void> {
    await this.deps.presence?.subscribe(PROMOTIONS_CHANNEL, (message: unknown) => {
      const from = typeof message === 'object' && message !== null ? (message as Record<string, unknown>).from : undefined;
      if (from !== this.token) this.deps.shop.invalidatePromotions();
    });
  }

  async list(): Promise<AdminPromotionDto[]> {
    const now = this.deps.now();
    return (await this.deps.promotions.list(LIST_LIMIT)).map((p) => adminPromotionDto(p, now));
  }

  async create(actor: AuditActor, body: AdminPromotionCreateBody, ip: string | null): Promise<AdminPromotionDto> {
    const now = this.deps.now();
    // A start in the past starts it now: the past is not rewritten.
    const startsAt = Math.max(now, body.startsAt === undefined ? now : epochOf(body.startsAt, 'startsAt'));
    const endsAt = epochOf(body.endsAt, 'endsAt');
    checkWindow(startsAt, endsAt, now);
    const row: PromotionRow = {
      id: `promo-${randomUUID()}`,
      title: body.title,
      ...target(body.itemId, body.kind),
      discount_percent: body.discountPercent,
      starts_at: startsAt,
      ends_at: endsAt,
      created_at: now,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.promotions.insert(row, trx);
      await recordAudit(trx, { actor, action: 'promotion.create', targetType: 'promotion', targetId: row.id, reason: body.reason ?? null, after: auditState(row), ip }, now);
    });
    this.changed(actor, row.id);
    return adminPromotionDto(row, now);
  }

  async update(actor: AuditActor, id: string, patch: AdminPromotionPatchBody, ip: string | null): Promise<AdminPromotionDto> {
    const now = this.deps.now();
    const after = await this.deps.db.transaction().execute(async (trx) => {
      const before = await this.deps.promotions.find(id, trx, this.deps.dialect === 'postgres');
      if (!before) throw new AppError('PROMOTION_NOT_FOUND');
      if (promotionStatus(before, now) === 'ended') throw new AppError('PROMOTION_ENDED', 'An ended promotion cannot change: create a new one');
      // Naming one target clears the other unless both are given.
      const touchesTarget = patch.itemId !== undefined || patch.kind !== undefined;
      const next: PromotionRow = {
        ...before,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.discountPercent !== undefined ? { discount_percent: patch.discountPercent } : {}),
        ...(touchesTarget ? target(patch.itemId, patch.kind) : {}),
        ...(patch.startsAt !== undefined ? { starts_at: Math.max(now, epochOf(patch.startsAt, 'startsAt')) } : {}),
        ...(patch.endsAt !== undefined ? { ends_at: epochOf(patch.endsAt, 'endsAt') } : {}),
      };
      checkWindow(Number(next.starts_at), Number(next.ends_at), now);
      await this.deps.promotions.update(
        id,
        {
          title: next.title,
          item_id: next.item_id,
          kind_filter: next.kind_filter,
          discount_percent: next.discount_percent,
          starts_at: next.starts_at,
          ends_at: next.ends_at,
        },
        trx,
      );
      await recordAudit(
        trx,
        { actor, action: 'promotion.update', targetType: 'promotion', targetId: id, reason: patch.reason ?? null, before: auditState(before), after: auditState(next), ip },
        now,
      );
      return next;
    });
    this.changed(actor, id);
    return adminPromotionDto(after, now);
  }

  /**
   * Ends a promotion now. A scheduled one (not started yet) ends before it starts: its window
   * becomes the millisecond before now, so it never applied and reads as ended.
   */
  async end(actor: AuditActor, id: string, reason: string | null, ip: string | null): Promise<AdminPromotionDto> {
    const now = this.deps.now();
    const after = await this.deps.db.transaction().execute(async (trx) => {
      const before = await this.deps.promotions.find(id, trx, this.deps.dialect === 'postgres');
      if (!before) throw new AppError('PROMOTION_NOT_FOUND');
      if (promotionStatus(before, now) === 'ended') throw new AppError('PROMOTION_ENDED');
      const next: PromotionRow = { ...before, ends_at: now, starts_at: Math.min(Number(before.starts_at), now - 1) };
      await this.deps.promotions.update(id, { starts_at: next.starts_at, ends_at: next.ends_at }, trx);
      await recordAudit(trx, { actor, action: 'promotion.end', targetType: 'promotion', targetId: id, reason, before: auditState(before), after: auditState(next), ip }, now);
      return next;
    });
    this.changed(actor, id);
    return adminPromotionDto(after, now);
  }

  /** The prices a draft would give, by the shop's own pricing (ShopService.previewPrices). */
  async preview(body: AdminPromotionPreviewBody): Promise<AdminPromotionPreviewDto> {
    const now = this.deps.now();
    if (body.startsAt !== undefined && body.endsAt !== undefined) {
      checkWindow(Math.max(now, epochOf(body.startsAt, 'startsAt')), epochOf(body.endsAt, 'endsAt'), now);
    }
    const draft = { id: 'draft', ...target(body.itemId, body.kind), discount_percent: body.discountPercent };
    return this.deps.shop.previewPrices(draft, body.promotionId);
  }

  private changed(actor: AuditActor, id: string): void {
    this.deps.logger.info({ promotionId: id, admin: actor.name }, 'promotion changed');
    this.deps.shop.invalidatePromotions();
    if (this.deps.presence) {
      Promise.resolve(this.deps.presence.publish(PROMOTIONS_CHANNEL, { id, from: this.token })).catch((err: unknown) =>
        this.deps.logger.error({ err, promotionId: id }, 'could not tell the other processes of a promotion change: their shops see it within the cache time'),
      );
    }
  }
}

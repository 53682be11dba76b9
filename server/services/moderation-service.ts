/**
 * Moderation (docs/moderation.md): players report a friend's pet once each; names the word
 * filter refused are kept (a few per player and day) for moderators to see; moderators hide a
 * pet's picture (it falls back to its procedural picture, the bytes are kept for an appeal),
 * show it again, or dismiss reports. Every action is audited in the transaction of its change.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CreateReportBody, ModerationQueueDto, ModerationResultDto, ReportDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { isSpecies } from '../../shared/balance.js';
import type { Database } from '../db/schema.js';
import { recordAudit, type AuditActor } from '../repositories/admin-repository.js';
import type { ImagesRepository } from '../repositories/images-repository.js';
import type { Cursor, ModerationRepository } from '../repositories/moderation-repository.js';
import type { PetsRepository } from '../repositories/pets-repository.js';
import { FALLBACK, imageUrl, type ImageService } from './image-service.js';
import type { FriendService } from './friend-service.js';

/** Reports one player may file in an hour. */
export const REPORTS_PER_HOUR = 10;
/** Refused names kept per player and UTC day (more are only logged). */
export const NAME_ATTEMPTS_PER_DAY = 5;
const HOUR_MS = 3_600_000;

export interface ModerationServiceDeps {
  db: Kysely<Database>;
  repo: ModerationRepository;
  images: ImageService;
  imagesRepo: ImagesRepository;
  pets: PetsRepository;
  friends: FriendService;
  logger: Logger;
  now: () => number;
}

/** The admin route serving any picture's bytes, hidden ones included (Bearer token: fetch it, an <img> cannot). */
export const adminImageUrl = (id: string): string => `/admin/images/${id}`;

const iso = (ms: number) => new Date(Number(ms)).toISOString();

export class ModerationService {
  /** Refused names are stored one at a time in this process, so the daily cap's count is not raced here. */
  private names: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ModerationServiceDeps) {}

  /**
   * A player reports a friend's pet. Once per reporter and pet: a repeat answers the first
   * report (`created: false`) and stores nothing. At most REPORTS_PER_HOUR new reports an hour.
   */
  async report(reporterId: string, petId: string, body: CreateReportBody): Promise<ReportDto> {
    const pet = await this.deps.pets.findById(petId);
    if (!pet) throw new AppError('PET_NOT_FOUND');
    if (pet.owner_id === reporterId) throw new AppError('REPORT_OWN_PET');
    if (!(await this.deps.friends.areFriends(reporterId, pet.owner_id))) throw new AppError('FORBIDDEN', 'You can report the pets of your friends');
    const now = this.deps.now();
    const recent = await this.deps.repo.countReportsSince(reporterId, now - HOUR_MS);
    if (recent.count >= REPORTS_PER_HOUR) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((recent.oldest ?? now) + HOUR_MS - now) / 1000));
      // A repeat of a report made before is still answered (it stores nothing).
      const { report, created } = await this.peekExisting(reporterId, petId);
      if (report && !created) return report;
      throw new AppError('RATE_LIMITED', `At most ${REPORTS_PER_HOUR} reports an hour`, { retryAfterSeconds });
    }
    const note = body.note?.trim() ? body.note.trim() : null;
    const { report, created } = await this.deps.repo.insertReport({ petId, ownerId: pet.owner_id, reporterId, reason: body.reason, note }, now);
    if (created) this.deps.logger.info({ petId, reason: body.reason }, 'pet reported');
    return { id: report.id, petId, reason: report.reason, created, createdAt: iso(report.created_at) };
  }

  private async peekExisting(reporterId: string, petId: string): Promise<{ report: ReportDto | null; created: boolean }> {
    const row = await this.deps.db
      .selectFrom('pet_reports')
      .selectAll()
      .where('reporter_id', '=', reporterId)
      .where('pet_id', '=', petId)
      .executeTakeFirst();
    return row
      ? { report: { id: row.id, petId, reason: row.reason, created: false, createdAt: iso(row.created_at) }, created: false }
      : { report: null, created: true };
  }

  /** The word filter refused a name: kept for moderators (capped). Never throws: the refusal must not fail on it. */
  nameRejected(playerId: string, text: string, context: 'adopt' | 'rename'): void {
    const at = this.deps.now();
    this.names = this.names.then(() =>
      this.deps.repo.recordNameAttempt({ playerId, context, text }, NAME_ATTEMPTS_PER_DAY, at).then(
        (stored) => {
          if (!stored) this.deps.logger.info({ playerId, context }, 'refused name not kept: the player reached the daily cap');
        },
        (err: unknown) => this.deps.logger.warn({ err, playerId }, 'could not record a refused name'),
      ),
    );
  }

  /** Resolves when the refused names told so far are stored (tests, shutdown). */
  settled(): Promise<void> {
    return this.names;
  }

  async queue(query: { status: 'open' | 'resolved'; kind: 'report' | 'name'; limit: number; before?: Cursor }): Promise<ModerationQueueDto> {
    if (query.kind === 'name') {
      const rows = await this.deps.repo.nameAttempts(query);
      const last = rows.at(-1);
      return {
        items: rows.map((r) => ({
          kind: 'name' as const,
          id: r.id,
          playerId: r.player_id,
          playerName: r.player_name,
          context: r.context,
          text: r.text,
          status: r.status,
          createdAt: iso(r.created_at),
        })),
        nextCursor: rows.length === query.limit && last ? `${last.created_at}:${last.id}` : null,
      };
    }
    const groups = await this.deps.repo.reportGroups(query);
    const items = await Promise.all(
      groups.map(async (g) => {
        const shown = await this.deps.images.shownPicture(g.pet_id).catch(() => null);
        const hidden = await this.deps.imagesRepo.hiddenOf(g.pet_id);
        return {
          kind: 'report' as const,
          petId: g.pet_id,
          petName: g.pet_name,
          ownerId: g.owner_id,
          ownerName: g.owner_name,
          pictureId: shown?.image?.id ?? null,
          pictureUrl: shown?.image ? imageUrl(shown.image.id) : null,
          hiddenPictureId: hidden[0]?.id ?? null,
          hiddenPictureUrl: hidden[0] ? adminImageUrl(hidden[0].id) : null,
          reporters: g.reporters,
          reasons: { name: g.name_reports, picture: g.picture_reports, other: g.other_reports },
          firstReportedAt: iso(g.first_at),
          lastReportedAt: iso(g.last_at),
        };
      }),
    );
    const last = groups.at(-1);
    return { items, nextCursor: groups.length === query.limit && last ? `${last.last_at}:${last.pet_id}` : null };
  }

  /**
   * Hides the picture the pet shows now; the pet's open picture reports are resolved. The
   * pet shows its procedural picture from then on (ImageService.pictureHidden).
   */
  async hidePicture(actor: AuditActor, petId: string, reason: string, ip: string | null): Promise<ModerationResultDto> {
    const { pet, image } = await this.deps.images.shownPicture(petId);
    // Nothing to hide: no picture, or only the procedural stand-in of a hidden one.
    if (!image || image.requested_by === FALLBACK) throw new AppError('NO_PICTURE_TO_HIDE');
    const now = this.deps.now();
    const resolved = await this.deps.db.transaction().execute(async (trx) => {
      const hidden = await this.deps.imagesRepo.hide(trx, image.id, actor.id ?? actor.name, reason, now);
      if (!hidden) throw new AppError('NO_PICTURE_TO_HIDE', 'Hidden already');
      const count = await this.deps.repo.resolvePetReports(trx, petId, 'picture_hidden', actor.id ?? actor.name, now, ['picture']);
      await recordAudit(
        trx,
        {
          actor,
          action: 'moderation.hide_picture',
          targetType: 'pet',
          targetId: petId,
          reason,
          before: { imageId: image.id, hidden: false },
          after: { imageId: image.id, hidden: true, resolvedReports: count },
          ip,
        },
        now,
      );
      return count;
    });
    const fallback = await this.deps.images.pictureHidden(image, isSpecies(pet.species) ? pet.species : 'cat');
    this.deps.logger.info({ petId, imageId: image.id, admin: actor.name }, 'pet picture hidden');
    return { petId, imageId: image.id, shownImageId: fallback?.id ?? null, resolvedReports: resolved };
  }

  /** An appeal: shows a hidden picture again (the newest hidden one unless named). */
  async unhidePicture(actor: AuditActor, petId: string, reason: string, ip: string | null, imageId?: string): Promise<ModerationResultDto> {
    const pet = await this.deps.pets.findById(petId);
    if (!pet) throw new AppError('PET_NOT_FOUND');
    const now = this.deps.now();
    const shown = await this.deps.db.transaction().execute(async (trx) => {
      const hidden = await this.deps.imagesRepo.hiddenOf(petId, trx);
      const target = imageId ? hidden.find((h) => h.id === imageId) : hidden[0];
      if (!target) throw new AppError('PICTURE_NOT_HIDDEN');
      const image = await this.deps.imagesRepo.unhide(trx, target.id, now);
      if (!image) throw new AppError('PICTURE_NOT_HIDDEN');
      await recordAudit(
        trx,
        {
          actor,
          action: 'moderation.unhide_picture',
          targetType: 'pet',
          targetId: petId,
          reason,
          before: { imageId: target.id, hidden: true, hiddenBy: target.hidden_by, hiddenReason: target.hidden_reason },
          after: { imageId: target.id, hidden: false },
          ip,
        },
        now,
      );
      return image;
    });
    await this.deps.images.pictureUnhidden(shown);
    this.deps.logger.info({ petId, imageId: shown.id, admin: actor.name }, 'pet picture shown again');
    return { petId, imageId: shown.id, shownImageId: shown.id, resolvedReports: 0 };
  }

  /** Dismisses one open report. */
  async dismissReport(actor: AuditActor, reportId: string, reason: string, ip: string | null): Promise<ModerationResultDto> {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const report = await this.deps.repo.findReport(reportId, trx);
      if (!report) throw new AppError('REPORT_NOT_FOUND');
      const changed = await this.deps.repo.resolveReport(trx, reportId, 'dismissed', actor.id ?? actor.name, now);
      if (changed) {
        await recordAudit(
          trx,
          {
            actor,
            action: 'moderation.dismiss_report',
            targetType: 'report',
            targetId: reportId,
            reason,
            before: { status: 'open', petId: report.pet_id, reason: report.reason },
            after: { status: 'resolved', resolution: 'dismissed' },
            ip,
          },
          now,
        );
      }
      return { petId: report.pet_id, imageId: null, shownImageId: null, resolvedReports: changed ? 1 : 0 };
    });
  }

  /** Dismisses every open report of a pet (after a rename, or when they are unfounded). */
  async dismissPetReports(actor: AuditActor, petId: string, reason: string, ip: string | null): Promise<ModerationResultDto> {
    const pet = await this.deps.pets.findById(petId);
    if (!pet) throw new AppError('PET_NOT_FOUND');
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const count = await this.deps.repo.resolvePetReports(trx, petId, 'dismissed', actor.id ?? actor.name, now);
      if (count > 0) {
        await recordAudit(
          trx,
          { actor, action: 'moderation.dismiss_pet_reports', targetType: 'pet', targetId: petId, reason, before: { open: count }, after: { open: 0 }, ip },
          now,
        );
      }
      return { petId, imageId: null, shownImageId: null, resolvedReports: count };
    });
  }

  /** Marks a refused name as seen. */
  async resolveNameAttempt(actor: AuditActor, attemptId: string, reason: string, ip: string | null): Promise<ModerationResultDto> {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const attempt = await this.deps.repo.findNameAttempt(attemptId, trx);
      if (!attempt) throw new AppError('REPORT_NOT_FOUND');
      const changed = await this.deps.repo.resolveNameAttempt(trx, attemptId, actor.id ?? actor.name, now);
      if (changed) {
        await recordAudit(
          trx,
          {
            actor,
            action: 'moderation.dismiss_name',
            targetType: 'player',
            targetId: attempt.player_id,
            reason,
            before: { attemptId, text: attempt.text, status: 'open' },
            after: { attemptId, status: 'resolved' },
            ip,
          },
          now,
        );
      }
      return { petId: null, imageId: null, shownImageId: null, resolvedReports: changed ? 1 : 0 };
    });
  }
}

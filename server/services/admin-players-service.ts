/**
 * The admin panel on players (docs/admin.md): search, a player's page, granting and
 * taking coins, and renaming a pet. Changes are written with their audit row in one
 * transaction; the owner's live room shows them (coins through the owner bus, a name through
 * the sim, on the process that simulates the owner).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { ADULT_FORMS, MAX_PETS_PER_PLAYER, STAGES } from '../../shared/balance.js';
import type { AdminCoinsResultDto, AdminLeaderboardExclusionResultDto, AdminPlayerPageDto, AdminPlayerRowDto, AdminPlayerSearchDto, PetDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import type { Database } from '../db/schema.js';
import { recordAudit, type AuditActor } from '../repositories/admin-repository.js';
import type { AdminPlayersRepository, SearchHit, StreamPosition } from '../repositories/admin-players-repository.js';
import { SYSTEM_ACCOUNTS, walletAccount, type LedgerRepository, type Posting } from '../repositories/ledger-repository.js';
import type { PetsRepository } from '../repositories/pets-repository.js';
import { pictureVariant, type ImageService } from './image-service.js';
import type { InventoryService } from './inventory-service.js';
import type { PetService } from './pet-service.js';

/** What an admin may send as Idempotency-Key (as the shop accepts). */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** The most coins one grant or take moves. */
export const ADMIN_COINS_MAX = 1_000_000;
const ORDERS_SHOWN = 50;
const FRIENDS_SHOWN = 200;
const FLAGS_SHOWN = 50;

/** Search streams, in the order results come: exact matches, then usernames, then pet names. */
const STREAMS = ['exact', 'username', 'pet_name'] as const;
type Stream = (typeof STREAMS)[number];
interface Cursor {
  stream: number;
  after: StreamPosition;
}

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.stream, c.after.key, c.after.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [stream, key, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof stream === 'number' && Number.isInteger(stream) && stream >= 0 && stream < STREAMS.length && typeof key === 'string' && typeof id === 'string') {
      return { stream, after: { key, id } };
    }
  } catch {
    // Refused below.
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not one this search gave');
}

export class AdminPlayersService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      repo: AdminPlayersRepository;
      ledger: LedgerRepository;
      pets: PetService;
      petsRepo: PetsRepository;
      inventory: InventoryService;
      images: ImageService;
      logger: Logger;
      now: () => number;
      /** LeaderboardService.setExcluded, in the given transaction. */
      setLeaderboardExcluded?: (playerId: string, excluded: boolean, trx: Transaction<Database>) => Promise<void>;
    },
  ) {}

  /**
   * Players by Telegram id (exact), invite code (exact), username (prefix) or pet name
   * (prefix), case-insensitive, in that order; each kind in the order of its index. A player
   * found twice on one page is shown once (first match).
   */
  async search(rawQuery: string, limit: number, cursor: string | undefined): Promise<AdminPlayerSearchDto> {
    const q = rawQuery.trim();
    const prefix = q.replace(/^@/, '');
    if (prefix === '') throw new AppError('VALIDATION_FAILED', 'Search for something');
    let position: Cursor | null = cursor === undefined ? null : decodeCursor(cursor);
    const hits: Array<SearchHit & { stream: number }> = [];
    for (let stream = position?.stream ?? 0; stream < STREAMS.length && hits.length <= limit; stream++) {
      const after = position && position.stream === stream ? position.after : null;
      const found = await this.stream(STREAMS[stream] as Stream, q, prefix, after, limit + 1 - hits.length);
      hits.push(...found.map((h) => ({ ...h, stream })));
      position = null;
    }
    const page = hits.slice(0, limit);
    const last = page.at(-1);
    const seen = new Set<string>();
    const unique = page.filter((h) => !seen.has(h.player.id) && seen.add(h.player.id));
    const pets = await this.deps.repo.petsOf(unique.map((h) => h.player.id));
    const items: AdminPlayerRowDto[] = unique.map((h) => ({
      playerId: h.player.id,
      telegramId: h.player.telegram_id,
      firstName: h.player.first_name,
      lastName: h.player.last_name,
      username: h.player.username,
      inviteCode: h.player.invite_code,
      createdAt: new Date(h.player.created_at).toISOString(),
      banned: h.player.banned_at !== null,
      petCount: pets.get(h.player.id)?.count ?? 0,
      firstPetName: pets.get(h.player.id)?.firstName ?? null,
      matchedBy: h.matchedBy,
    }));
    return { items, nextCursor: hits.length > limit && last ? encodeCursor({ stream: last.stream, after: last.position }) : null };
  }

  private async stream(stream: Stream, q: string, prefix: string, after: StreamPosition | null, limit: number): Promise<SearchHit[]> {
    if (stream === 'username') return this.deps.repo.byUsernamePrefix(prefix, after, limit);
    if (stream === 'pet_name') return this.deps.repo.byPetNamePrefix(q, after, limit);
    const exact = [
      ...(/^[0-9]{1,15}$/.test(q) ? await this.deps.repo.byTelegramId(Number(q)) : []),
      ...(/^[A-Za-z0-9]{4,32}$/.test(q) ? await this.deps.repo.byInviteCode(q) : []),
    ];
    return exact.filter((h) => after === null || h.position.key > after.key).slice(0, limit);
  }

  /** Everything the panel shows on a player's page. */
  async page(playerId: string, ledgerLimit: number): Promise<AdminPlayerPageDto> {
    const player = await this.deps.repo.findPlayer(playerId);
    if (!player) throw new AppError('PLAYER_NOT_FOUND');
    const [pets, inventory, ledger, orders, payments, friends, notify, flags] = await Promise.all([
      this.deps.pets.list(playerId, MAX_PETS_PER_PLAYER, undefined),
      this.deps.inventory.list(playerId),
      this.deps.repo.walletEntries(playerId, ledgerLimit),
      this.deps.repo.starOrders(playerId, ORDERS_SHOWN),
      this.deps.repo.starPayments(playerId, ORDERS_SHOWN),
      this.deps.repo.friends(playerId, FRIENDS_SHOWN),
      this.deps.repo.notifyRow(playerId),
      this.deps.repo.flags(playerId, FLAGS_SHOWN),
    ]);
    return {
      player: {
        id: player.id,
        telegramId: Number(player.telegram_id),
        firstName: player.first_name,
        lastName: player.last_name,
        username: player.username,
        languageCode: player.language_code,
        inviteCode: player.invite_code,
        utcOffsetMinutes: player.utc_offset_minutes,
        createdAt: new Date(Number(player.created_at)).toISOString(),
        banned: player.banned_at !== null,
        bannedAt: iso(player.banned_at),
        banReason: player.ban_reason,
        leaderboardExcludedAt: iso(player.leaderboard_excluded_at),
      },
      pets: await Promise.all(pets.items.map((pet) => this.withPicture(pet))),
      inventory,
      ledger: ledger.map((e) => ({
        transactionId: e.id,
        at: new Date(Number(e.created_at)).toISOString(),
        reason: e.reason,
        amount: e.amount,
        balanceAfter: e.balance_after ?? 0,
        meta: JSON.parse(e.meta) as unknown,
      })),
      starsOrders: orders.map((o) => ({
        id: o.id,
        productId: o.product_id,
        stars: o.amount,
        status: o.status,
        chargeId: o.charge_id,
        createdAt: new Date(Number(o.created_at)).toISOString(),
        paidAt: iso(o.paid_at),
        refundedAt: iso(o.refunded_at),
      })),
      starsPayments: payments.map((p) => ({
        chargeId: p.charge_id,
        orderId: p.order_id,
        stars: p.amount,
        createdAt: new Date(Number(p.created_at)).toISOString(),
        refundedAt: iso(p.refunded_at),
      })),
      friends: friends.map((f) => ({ playerId: f.id, name: f.username ? `${f.first_name} (@${f.username})` : f.first_name })),
      notifications: notify
        ? {
            allowed: Boolean(notify.allowed),
            muted: Boolean(notify.muted),
            switchesOff: parseSwitches(notify.switches_off),
            unreachableAt: iso(notify.unreachable_at),
          }
        : null,
      flags: flags.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity, status: f.status, count: Number(f.count), lastSeenAt: new Date(Number(f.last_seen_at)).toISOString() })),
    };
  }

  /**
   * Removes a player from every leaderboard (`excluded`) or puts them back, audited
   * (`player.exclude_leaderboards` / `player.include_leaderboards`) in the same transaction as
   * the change. Asking for what already is changes nothing and is not audited.
   */
  async setLeaderboardExcluded(actor: AuditActor, playerId: string, excluded: boolean, reason: string, ip: string | null): Promise<AdminLeaderboardExclusionResultDto> {
    const setExcluded = this.deps.setLeaderboardExcluded;
    if (!setExcluded) throw new AppError('INTERNAL', 'Leaderboards are not wired');
    const now = this.deps.now();
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const read = () => trx.selectFrom('players').select(['id', 'leaderboard_excluded_at']).where('id', '=', playerId).executeTakeFirst();
      const before = await read();
      if (!before) throw new AppError('PLAYER_NOT_FOUND');
      const was = before.leaderboard_excluded_at === null ? null : Number(before.leaderboard_excluded_at);
      if ((was !== null) === excluded) return { at: was, changed: false };
      await setExcluded(playerId, excluded, trx);
      const after = await read();
      const at = after?.leaderboard_excluded_at === null || after?.leaderboard_excluded_at === undefined ? null : Number(after.leaderboard_excluded_at);
      await recordAudit(
        trx,
        {
          actor,
          action: excluded ? 'player.exclude_leaderboards' : 'player.include_leaderboards',
          targetType: 'player',
          targetId: playerId,
          reason,
          before: { leaderboardExcludedAt: was },
          after: { leaderboardExcludedAt: at },
          ip,
        },
        now,
      );
      return { at, changed: true };
    });
    if (outcome.changed) this.deps.logger.info({ playerId, excluded, admin: actor.name }, excluded ? 'admin removed a player from the leaderboards' : 'admin restored a player to the leaderboards');
    return { playerId, leaderboardExcludedAt: iso(outcome.at), changed: outcome.changed };
  }

  /** The pet with the picture the Mini App shows for it now (its stage, form and coat). */
  private async withPicture(pet: PetDto): Promise<AdminPlayerPageDto['pets'][number]> {
    const stage = STAGES.indexOf(pet.stage);
    const view = await this.deps.images.viewFor(pet.id, stage, pictureVariant(stage, Math.max(0, ADULT_FORMS.indexOf(pet.adultForm))), pet.skin);
    return { ...pet, picture: { status: view.status, url: view.url === '' ? null : view.url } };
  }

  /**
   * Grants (amount > 0) or takes (amount < 0) coins: one ledger transaction between the
   * player and `system:admin:coins`, keyed by the Idempotency-Key (the same key again changes
   * nothing and answers the first result; with another amount, 422 IDEMPOTENCY_KEY_REUSED),
   * audited in the same database transaction. A grant pays the player's debt first, as every
   * credit does; a take never takes the wallet below zero (409 INSUFFICIENT_FUNDS).
   */
  async adjustCoins(actor: AuditActor, playerId: string, amount: number, reason: string, clientKey: string | undefined, ip: string | null): Promise<AdminCoinsResultDto> {
    if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > ADMIN_COINS_MAX) {
      throw new AppError('VALIDATION_FAILED', `amount must be a non-zero integer of at most ${ADMIN_COINS_MAX} either way`);
    }
    if (clientKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(clientKey)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
    const idempotencyKey = `admin_coins:${playerId}:${clientKey}`;
    const requestHash = createHash('sha1').update(String(amount)).digest('base64url');
    const now = this.deps.now();
    const { ledger } = this.deps;
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const player = await trx.selectFrom('players').select('id').where('id', '=', playerId).executeTakeFirst();
      if (!player) throw new AppError('PLAYER_NOT_FOUND');
      // The player's accounts, locked (debt, then wallet) before they are read.
      await ledger.lockPlayer(trx, playerId, now);
      const before = await ledger.balances(playerId, 'coins', trx);
      const postings: Posting[] =
        amount > 0
          ? await ledger.creditPostings(trx, playerId, amount, SYSTEM_ACCOUNTS.admin)
          : [
              { accountId: walletAccount(playerId), amount },
              { accountId: SYSTEM_ACCOUNTS.admin, amount: -amount },
            ];
      const posted = await ledger.post(trx, {
        idempotencyKey,
        reason: 'admin_adjustment',
        playerId,
        requestHash,
        meta: { amount, reason, adminId: actor.id, adminName: actor.name },
        postings,
        nowMs: now,
      });
      if (!posted.applied) return { transactionId: posted.transactionId, replayed: true, balances: before };
      const after = await ledger.balances(playerId, 'coins', trx);
      await recordAudit(
        trx,
        {
          actor,
          action: amount > 0 ? 'player.coins_grant' : 'player.coins_take',
          targetType: 'player',
          targetId: playerId,
          reason,
          before: { coins: before.wallet, debt: before.debt },
          after: { coins: after.wallet, debt: after.debt, amount, transactionId: posted.transactionId },
          ip,
        },
        now,
      );
      return { transactionId: posted.transactionId, replayed: false, balances: after };
    });
    if (!outcome.replayed) {
      this.deps.logger.info({ playerId, amount, admin: actor.name }, amount > 0 ? 'admin granted coins' : 'admin took coins');
      // The owner's room (on whichever process) reads the balances again.
      this.deps.inventory.changed(playerId);
    }
    return { transactionId: outcome.transactionId, amount, balances: { coins: outcome.balances.wallet, debt: outcome.balances.debt }, replayed: outcome.replayed };
  }

  /**
   * Renames a pet with the adoption's name rules, audited with the name before and after in
   * the transaction that stores it. Made where the owner's pets live (PetService.rename).
   */
  renamePet(actor: AuditActor, petId: string, name: string, reason: string, ip: string | null): Promise<PetDto> {
    return this.deps.pets.rename(null, petId, name, async (checked, before) => {
      const now = this.deps.now();
      await this.deps.db.transaction().execute(async (trx) => {
        await this.deps.petsRepo.setName(petId, checked, now, trx);
        await recordAudit(
          trx,
          { actor, action: 'pet.rename', targetType: 'pet', targetId: petId, reason, before: { name: before.name, ownerId: before.ownerId }, after: { name: checked }, ip },
          now,
        );
      });
      this.deps.logger.info({ petId, admin: actor.name }, 'admin renamed a pet');
    });
  }
}

function parseSwitches(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

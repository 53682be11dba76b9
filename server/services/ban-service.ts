/**
 * Bans (docs/admin.md). A ban is a column on the player, written with its audit row in one
 * transaction. Then every process hears of it (Colyseus presence in a cluster, directly in
 * one process) and acts at once: its cached sign-ins of the player are dropped (the next
 * REST call reads the row and gets 403 PLAYER_BANNED), the player's connections are closed
 * with CLOSE_BANNED, and the player's home is closed to its visitors. Friends stop seeing the
 * player's pets because friendship checks skip banned owners (FriendsRepository).
 */
import { randomUUID } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { AppError } from '../../shared/errors.js';
import type { Database } from '../db/schema.js';
import { recordAudit, type AuditActor } from '../repositories/admin-repository.js';

/** The presence channel bans travel on between processes. */
const BAN_CHANNEL = 'telepets:bans';

export interface BanChange {
  playerId: string;
  banned: boolean;
}

/** What a process does when a player's ban changes (drop caches, close connections). */
export type BanListener = (change: BanChange) => void;

export interface BanState {
  playerId: string;
  bannedAt: number | null;
  reason: string | null;
}

export class BanService {
  private readonly listeners: BanListener[] = [];
  /** Tells apart this process's own messages coming back from presence. */
  private readonly token = randomUUID();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      /** Cluster mode: the presence every process subscribes to; null in one process. */
      presence: Presence | null;
      /** What else changes with a ban, in its transaction (the leaderboards hide the player). */
      inBanTransaction?: (trx: Transaction<Database>, playerId: string) => Promise<void>;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /** Subscribes this process to ban changes made by any process. */
  async start(): Promise<void> {
    await this.deps.presence?.subscribe(BAN_CHANNEL, (message: unknown) => {
      const change = asBanChange(message);
      if (change) this.apply(change);
    });
  }

  /** Runs `listener` in this process for every ban change anywhere in the cluster. */
  onChange(listener: BanListener): void {
    this.listeners.push(listener);
  }

  /** `within` runs in the ban's transaction (a fraud flag decided by it), even when the player was banned already. */
  ban(actor: AuditActor, playerId: string, reason: string, ip: string | null, within?: (trx: Kysely<Database>) => Promise<void>): Promise<BanState> {
    return this.change(actor, playerId, true, reason, ip, within);
  }

  unban(actor: AuditActor, playerId: string, reason: string, ip: string | null): Promise<BanState> {
    return this.change(actor, playerId, false, reason, ip);
  }

  private async change(
    actor: AuditActor,
    playerId: string,
    banned: boolean,
    reason: string,
    ip: string | null,
    within?: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<BanState> {
    const now = this.deps.now();
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('players').select(['id', 'banned_at', 'ban_reason']).where('id', '=', playerId).executeTakeFirst();
      if (!before) throw new AppError('PLAYER_NOT_FOUND');
      await within?.(trx);
      // Banning a banned player (or unbanning one who is not) changes nothing and records nothing.
      if ((before.banned_at !== null) === banned) return { state: stateOf(before), changed: false };
      const after = { id: playerId, banned_at: banned ? now : null, ban_reason: banned ? reason : null };
      // Conditional on the state read: of two bans at once, one changes the row and is audited.
      const updated = await trx
        .updateTable('players')
        .set({ banned_at: after.banned_at, ban_reason: after.ban_reason, updated_at: now })
        .where('id', '=', playerId)
        .where('banned_at', banned ? 'is' : 'is not', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        const current = await trx.selectFrom('players').select(['id', 'banned_at', 'ban_reason']).where('id', '=', playerId).executeTakeFirstOrThrow();
        return { state: stateOf(current), changed: false };
      }
      await this.deps.inBanTransaction?.(trx, playerId);
      await recordAudit(
        trx,
        {
          actor,
          action: banned ? 'player.ban' : 'player.unban',
          targetType: 'player',
          targetId: playerId,
          reason,
          before: { bannedAt: before.banned_at, reason: before.ban_reason },
          after: { bannedAt: after.banned_at, reason: after.ban_reason },
          ip,
        },
        now,
      );
      return { state: stateOf(after), changed: true };
    });
    if (outcome.changed) {
      this.deps.logger.info({ playerId, banned, admin: actor.name }, banned ? 'player banned' : 'player unbanned');
      this.broadcast({ playerId, banned });
    }
    return outcome.state;
  }

  private broadcast(change: BanChange): void {
    // Here at once; the other processes through presence (this one ignores its own echo).
    this.apply(change);
    if (this.deps.presence) {
      Promise.resolve(this.deps.presence.publish(BAN_CHANNEL, { ...change, from: this.token })).catch((err: unknown) =>
        this.deps.logger.error({ err, playerId: change.playerId }, 'could not tell the other processes of a ban: their cached sign-ins last up to a minute'),
      );
    }
  }

  private apply(change: BanChange & { from?: string }): void {
    if (change.from === this.token) return;
    for (const listener of this.listeners) {
      try {
        listener({ playerId: change.playerId, banned: change.banned });
      } catch (err) {
        this.deps.logger.error({ err, playerId: change.playerId }, 'a ban listener failed');
      }
    }
  }
}

function stateOf(row: { id: string; banned_at: number | null; ban_reason: string | null }): BanState {
  return { playerId: row.id, bannedAt: row.banned_at === null ? null : Number(row.banned_at), reason: row.ban_reason };
}

function asBanChange(message: unknown): (BanChange & { from?: string }) | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (typeof m.playerId !== 'string' || typeof m.banned !== 'boolean') return null;
  return { playerId: m.playerId, banned: m.banned, ...(typeof m.from === 'string' ? { from: m.from } : {}) };
}

/**
 * Players: who is calling (validated Telegram initData → a player row, created on first
 * valid sight) and the referral that makes two players friends on that first sight.
 */
import type { Logger } from 'pino';
import { AppError } from '../../shared/errors.js';
import { pickLanguage } from '../../shared/i18n.js';
import { localDay, planUtcOffsetChange, scheduleAt } from '../../shared/local-day.js';
import type { PetUtcOffset } from '../../sim/index.js';
import { validateInitData, type ValidatedInitData } from '../auth/init-data.js';
import type { FriendsRepository } from '../repositories/friends-repository.js';
import {
  petUtcOffsetOf,
  utcOffsetScheduleOf,
  type PlayerOffsetColumns,
  type PlayerProfile,
  type PlayerRow,
  type PlayersRepository,
} from '../repositories/players-repository.js';

interface PlayerServiceDeps {
  players: PlayersRepository;
  friends: FriendsRepository;
  /** Records a new player's referral (its reward comes with their first adoption). */
  referrals?: { record(inviterId: string, referredId: string): Promise<void> };
  /** Gives the player's pets their UTC offset and its planned change (stored pets and loaded ones). */
  applyUtcOffset(playerId: string, offset: PetUtcOffset): Promise<void>;
  logger: Logger;
  botToken: string;
  initDataMaxAgeSeconds: number;
  /** The game clock in seconds (the sim's): days and quiet hours run on it. */
  clock: () => number;
  /** Epoch ms of a game clock value (for times shown to the player). */
  clockToEpochMs: (clock: number) => number;
  now?: () => number;
}

/** The player's UTC offset as the API shows it. */
export interface UtcOffsetView {
  /** The offset in force now. */
  utcOffsetMinutes: number;
  /** A planned change: the offset and when it takes effect (ISO); null when none. */
  utcOffsetChange: { utcOffsetMinutes: number; at: string } | null;
}

interface CachedPlayer {
  row: PlayerRow;
  profileKey: string;
  cachedAt: number;
  /** `onAllowsWriteToPm` was told while this entry lived. */
  allowTold?: boolean;
}

interface CachedInitData {
  telegramId: number;
  authDate: number;
}

const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 20_000;
const REF_PREFIX = /^ref_([A-Za-z0-9]{4,32})$/;

export class PlayerService {
  private readonly cache = new Map<number, CachedPlayer>();
  /** Told when a sign-in says Telegram lets the bot write to the player (bot notifications). */
  onAllowsWriteToPm: ((playerId: string) => Promise<void>) | null = null;
  /** Told of every accepted UTC offset change (the anti-fraud review counts them); must not throw. */
  onUtcOffsetChange: ((playerId: string, from: number, to: number) => void) | null = null;
  /**
   * initData strings already validated, so the Mini App's repeated calls with the same
   * string skip parsing and the HMAC. Only successes are cached, and expiry is checked on
   * every hit.
   */
  private readonly validated = new Map<string, CachedInitData>();
  /** The wall clock in epoch ms (the app's, so tests that pin it sign in at their time). */
  readonly now: () => number;

  constructor(private readonly deps: PlayerServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * The player for initData validated before, without waiting: null when it was not seen
   * recently (call `authenticate`). Expiry is checked on every call.
   */
  authenticateCached(initData: string): PlayerRow | null {
    const known = this.validated.get(initData);
    if (!known) return null;
    const nowMs = this.now();
    if (Math.floor(nowMs / 1000) - known.authDate > this.deps.initDataMaxAgeSeconds) return null;
    const player = this.cache.get(known.telegramId);
    return player && nowMs - player.cachedAt < CACHE_TTL_MS ? player.row : null;
  }

  /** Validates raw initData (throws AUTH_INVALID / AUTH_EXPIRED) and returns its player. */
  async authenticate(initData: string): Promise<PlayerRow> {
    const cached = this.authenticateCached(initData);
    if (cached) return cached;
    const validated = validateInitData(initData, this.deps.botToken, {
      maxAgeSeconds: this.deps.initDataMaxAgeSeconds,
      nowSeconds: Math.floor(this.now() / 1000),
    });
    const row = await this.playerFor(validated);
    remember(this.validated, initData, { telegramId: validated.user.id, authDate: validated.authDate });
    return row;
  }

  private async playerFor(data: ValidatedInitData): Promise<PlayerRow> {
    const profile: PlayerProfile = {
      telegramId: data.user.id,
      firstName: data.user.firstName,
      lastName: data.user.lastName,
      username: data.user.username,
      languageCode: pickLanguage(data.user.languageCode),
    };
    const profileKey = JSON.stringify(profile);
    const nowMs = this.now();
    const cached = this.cache.get(profile.telegramId);
    if (cached && cached.profileKey === profileKey && nowMs - cached.cachedAt < CACHE_TTL_MS) {
      if (data.user.allowsWriteToPm && !cached.allowTold) await this.tellAllowed(cached);
      return cached.row;
    }

    const { row, created } = await this.deps.players.insertIfAbsent(profile, nowMs);
    let current = row;
    if (created) {
      this.deps.logger.info({ playerId: row.id, telegramId: row.telegram_id }, 'player created');
      await this.applyReferral(row, data.startParam);
    } else if (profileKeyOf(row) !== profileKey) {
      await this.deps.players.updateProfile(row.id, profile, nowMs);
      current = { ...row, first_name: profile.firstName, last_name: profile.lastName, username: profile.username, language_code: profile.languageCode };
    }
    const entry: CachedPlayer = { row: current, profileKey, cachedAt: nowMs };
    remember(this.cache, profile.telegramId, entry);
    if (data.user.allowsWriteToPm) await this.tellAllowed(entry);
    return current;
  }

  /** Telegram lets the bot write to the player: told once per cache entry (the write is idempotent). */
  private async tellAllowed(entry: CachedPlayer): Promise<void> {
    if (!this.onAllowsWriteToPm) return;
    entry.allowTold = true;
    await this.onAllowsWriteToPm(entry.row.id).catch((err: unknown) => {
      entry.allowTold = false;
      this.deps.logger.warn({ err, playerId: entry.row.id }, 'could not record that the bot may write');
    });
  }

  /**
   * A new player's `ref_<inviteCode>` start parameter (an invite or share link): friends with
   * the inviter, and recorded as the inviter's referral (rewarded with the first adoption).
   * Called only for a player this sight created: an existing player's start parameter is
   * never a referral. Nothing for an unknown code, the player's own, or a banned inviter.
   */
  private async applyReferral(player: PlayerRow, startParam: string | null): Promise<void> {
    const match = startParam ? REF_PREFIX.exec(startParam) : null;
    if (!match?.[1]) return;
    const inviter = await this.deps.players.findByInviteCode(match[1]);
    if (!inviter || inviter.id === player.id) return;
    if (inviter.banned_at !== null) {
      this.deps.logger.info({ playerId: player.id, inviterId: inviter.id }, 'referral of a banned inviter ignored');
      return;
    }
    await this.deps.friends.add(inviter.id, player.id, this.now());
    this.deps.logger.info({ playerId: player.id, inviterId: inviter.id }, 'referral made friends');
    // The friendship stands either way; a referral that could not be recorded is only logged.
    await this.deps.referrals?.record(inviter.id, player.id).catch((err: unknown) => {
      this.deps.logger.warn({ err, playerId: player.id, inviterId: inviter.id }, 'referral not recorded');
    });
  }

  findById(id: string): Promise<PlayerRow | undefined> {
    return this.deps.players.findById(id);
  }

  /**
   * Records the player's UTC offset (sent by the Mini App from the device's time zone, on
   * every start). The offset defines the player's day (daily caps, quests, streaks) and the
   * pets' nights, so a change does not apply at once: it is planned for the end of the
   * current day, which lasts until a midnight of the new offset at least 24 hours after it
   * began (shared/local-day.ts). Before the player has anything that counts per day (no pet,
   * no progress: the Mini App's first start) it applies at once. Asking for what is already
   * in force or planned changes nothing. Only the offset comes from the client, never its clock.
   */
  async setUtcOffset(player: PlayerRow, utcOffsetMinutes: number): Promise<PlayerRow> {
    const clock = this.deps.clock();
    if (wants(player, clock, utcOffsetMinutes)) return player;
    const changed = await this.deps.players.changeUtcOffset(
      player.id,
      (current, countsDays) => planUtcOffsetChange(current, clock, utcOffsetMinutes, !countsDays),
      this.now(),
    );
    if (!changed) throw new AppError('PLAYER_NOT_FOUND');
    const { before, after } = changed;
    const offset = petUtcOffsetOf(utcOffsetScheduleOf(after));
    const was = petUtcOffsetOf(utcOffsetScheduleOf(before));
    if (offset.utcOffsetMinutes !== was.utcOffsetMinutes || offset.nextUtcOffsetMinutes !== was.nextUtcOffsetMinutes || offset.changesAt !== was.changesAt) {
      await this.deps.applyUtcOffset(player.id, offset);
    }
    for (const entry of this.cache.values()) if (entry.row.id === player.id) entry.row = after;
    this.onUtcOffsetChange?.(player.id, before.next_utc_offset_minutes ?? before.utc_offset_minutes, utcOffsetMinutes);
    this.deps.logger.info(
      { playerId: player.id, from: before.utc_offset_minutes, to: utcOffsetMinutes, changesAt: after.utc_offset_changes_at },
      after.utc_offset_changes_at === null ? 'utc offset set' : 'utc offset change planned',
    );
    return after;
  }

  /** Drops this process's cached sign-ins of the player (a ban must be read from the database). */
  forget(playerId: string): void {
    for (const [key, entry] of this.cache) if (entry.row.id === playerId) this.cache.delete(key);
  }

  /** The player's local day now (daily caps, quests and streaks count in it), from their stored row. */
  async localDay(playerId: string): Promise<number> {
    const row = await this.deps.players.findById(playerId);
    if (!row) throw new AppError('PLAYER_NOT_FOUND');
    return localDay(utcOffsetScheduleOf(row), this.deps.clock());
  }

  /** The player's UTC offset in force now and a planned change. */
  utcOffsetView(row: PlayerOffsetColumns): UtcOffsetView {
    const s = scheduleAt(utcOffsetScheduleOf(row), this.deps.clock());
    return {
      utcOffsetMinutes: s.utcOffsetMinutes,
      utcOffsetChange:
        s.nextUtcOffsetMinutes !== null && s.changesAt !== null
          ? { utcOffsetMinutes: s.nextUtcOffsetMinutes, at: new Date(this.deps.clockToEpochMs(s.changesAt)).toISOString() }
          : null,
    };
  }

  /** What the player's pets keep of their schedule (for a new pet). */
  petUtcOffset(row: PlayerOffsetColumns): PetUtcOffset {
    return petUtcOffsetOf(utcOffsetScheduleOf(row));
  }
}

/** Whether `utcOffsetMinutes` is already in force with nothing else planned, or is the change planned. */
function wants(row: PlayerOffsetColumns, clock: number, utcOffsetMinutes: number): boolean {
  const s = scheduleAt(utcOffsetScheduleOf(row), clock);
  return s.nextUtcOffsetMinutes === null ? s.utcOffsetMinutes === utcOffsetMinutes : s.nextUtcOffsetMinutes === utcOffsetMinutes;
}

/** Inserts as most recent and evicts the least recently inserted beyond `CACHE_MAX`. */
function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
}

function profileKeyOf(row: PlayerRow): string {
  const profile: PlayerProfile = {
    telegramId: row.telegram_id,
    firstName: row.first_name,
    lastName: row.last_name,
    username: row.username,
    languageCode: row.language_code,
  };
  return JSON.stringify(profile);
}

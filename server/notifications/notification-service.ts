/**
 * Bot notifications that bring players back (docs/events.md, "Notifications").
 *
 * When. The moments are known in advance: when the owner leaves the app, each pet's future
 * left alone is worked out in closed form (`forecast`), and a notification is scheduled for
 * the moment a meter turns critical, the pet falls sick, shortly before it grows up, and for
 * the evening the daily streak would break. Nothing polls pets. When the owner comes back,
 * what was scheduled about their absence is cancelled. A friend's visit and payment problems
 * are scheduled as they happen (the last two from the event log).
 *
 * Whether. At send time the rules are checked again: allowed by Telegram and the player
 * (per switch), not blocked, not in the app, not in local quiet hours (postponed to their
 * end), at most `dailyMax` a local day, one per kind and pet until the owner comes back, and
 * still true (the pet is still critical, sick, not yet grown; the streak still at risk).
 *
 * How. Telegram's limits come from a shared gate (`SendGate`). A notification is sent at most
 * once: its row moves pending → sending (one conditional update) before the Bot API is called,
 * and a row a dead process left in `sending` is closed as lost, never sent again.
 *
 * Local times use the game clock (SIM_TIME_SCALE speeds days up in demos and tests), as the
 * rest of the game does; Telegram's rate limits are real time.
 */
import type { Logger } from 'pino';
import { dayStartsAt, localDay, scheduleAt, type UtcOffsetSchedule } from '../../shared/local-day.js';
import { pickLanguage, translate } from '../../shared/i18n.js';
import {
  GROWS_NOTICE_LEAD_S,
  NOTIFICATION_KINDS,
  NOTIFICATION_SWITCHES,
  NOTIFY_MIN_AWAY_S,
  NOTIFY_QUIET_END_S,
  NOTIFY_QUIET_START_S,
  STREAK_REMINDER_AT_S,
  isNotificationKind,
  type NotificationKind,
  type NotificationSettingsDto,
  type NotificationSettingsPatch,
  type NotificationSwitch,
} from '../../shared/notifications.js';
import { advance, forecast, localTimeOfDay, type PetStats } from '../../sim/index.js';
import type { Config } from '../config.js';
import type { GameEventPayloads } from '../events/event-kinds.js';
import type { EventConsumer } from '../events/relay.js';
import type { Metrics } from '../metrics.js';
import type { StoredEvent } from '../repositories/events-repository.js';
import type { NewNotification, NotificationRow, NotificationsRepository, NotifyTarget } from '../repositories/notifications-repository.js';
import type { PetRow } from '../repositories/pets-repository.js';
import { epochMsAt, gameClockAt, statsFromRow, type GameClock } from '../sim-host/pet-rows.js';
import type { SendGate } from './send-gate.js';

const DAY_S = 86400;
/** How far ahead a pet's future is worked out (game seconds). */
const FORECAST_HORIZON_S = 3 * DAY_S;
/** An owner counts as in the app this long after their home last said so (real ms). */
const PRESENCE_TTL_MS = 10 * 60_000;
/** How often homes renew their owners' presence (real ms). */
const PRESENCE_REFRESH_MS = 3 * 60_000;
/** How long a send may take before its row counts as lost (real ms). */
const SEND_LEASE_MS = 60_000;
/** A friend's visit to an owner is looked at most once this often per process (real ms). */
const VISIT_MEMO_MS = 3_600_000;
/** Notifications looked at per poll. */
const BATCH = 50;
/** Events older than this are not told about (a new consumer starts at the log's beginning). */
const EVENT_MAX_AGE_MS = 86_400_000;

/** A message to a chat, with a button that opens the Mini App. */
export interface OutgoingMessage {
  chatId: number;
  text: string;
  button: { label: string; startParam: string | null };
}

/** Sends over the Bot API; throws what grammY throws (`GrammyError` with `error_code`, else a network error). */
export interface NotificationSender {
  send(message: OutgoingMessage): Promise<{ messageId: number }>;
}

export interface NotificationServiceDeps {
  repo: NotificationsRepository;
  config: Config['notify'];
  /** Epoch ms. */
  now: () => number;
  gameClock: GameClock;
  gate: SendGate;
  /** Null while there is no bot to send with (not ready yet). */
  sender: () => NotificationSender | null;
  /** The owner's pets as the sim has them right now. */
  livePets: (ownerId: string) => ReadonlyArray<{ id: string; stats: PetStats }>;
  pet: (petId: string) => Promise<PetRow | undefined>;
  /** The daily streak's length when it breaks at the end of the current local day unless the player cares; null when it does not. */
  streakAtRisk: (playerId: string) => Promise<number | null>;
  /** The player of a Telegram user (bot commands), if they have played. */
  playerIdByTelegramId: (telegramId: number) => Promise<string | undefined>;
  /** A player's first name (a referral notification names the friend); none: not told. */
  playerName?: (playerId: string) => Promise<string | undefined>;
  /** This process (holder of the sends it makes). */
  holder: string;
  logger: Logger;
  metrics: Metrics;
}

const switchOf = (kind: NotificationKind): NotificationSwitch => NOTIFICATION_KINDS[kind];

/** Seconds after local midnight of a game clock for the offset in force. */
const localSeconds = (schedule: UtcOffsetSchedule, clock: number): number => localTimeOfDay(clock, scheduleAt(schedule, clock).utcOffsetMinutes);

const inQuiet = (seconds: number) => seconds >= NOTIFY_QUIET_START_S || seconds < NOTIFY_QUIET_END_S;

/** Game seconds until local quiet hours end. */
function secondsToQuietEnd(seconds: number): number {
  const d = NOTIFY_QUIET_END_S - seconds;
  return d > 0 ? d : d + DAY_S;
}

/** A Bot API error's code and retry_after, when it is one. */
function apiError(err: unknown): { code: number; retryAfter: number | null; description: string } | null {
  if (typeof err !== 'object' || err === null || !('error_code' in err) || typeof err.error_code !== 'number') return null;
  const parameters = 'parameters' in err && typeof err.parameters === 'object' && err.parameters !== null ? (err.parameters as { retry_after?: unknown }) : {};
  const description = 'description' in err && typeof err.description === 'string' ? err.description : '';
  return { code: err.error_code, retryAfter: typeof parameters.retry_after === 'number' ? parameters.retry_after : null, description };
}

export class NotificationService {
  private timer: NodeJS.Timeout | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Owners whose home on this process has them in the app. */
  private readonly present = new Set<string>();
  /** When a friend's visit to each owner was last looked at here (real ms). */
  private readonly visitsSeen = new Map<string, number>();

  constructor(private readonly deps: NotificationServiceDeps) {}

  private get nowMs(): number {
    return this.deps.now();
  }

  /** Real ms at which the game clock reaches `clock` (rounded up: never due before it). */
  private msAtClock(clock: number): number {
    return Math.ceil(epochMsAt(clock, this.deps.gameClock));
  }

  private count(kind: string, outcome: string, n = 1): void {
    this.deps.metrics.notifications.inc({ kind, outcome }, n);
  }

  // ---- settings --------------------------------------------------------------------------

  async settings(playerId: string): Promise<NotificationSettingsDto> {
    const prefs = await this.deps.repo.prefs(playerId);
    const switches = Object.fromEntries(NOTIFICATION_SWITCHES.map((s) => [s, !prefs.switchesOff.has(s)])) as NotificationSettingsDto['switches'];
    return { allowed: prefs.allowed, unreachable: prefs.unreachable, muted: prefs.muted, switches, dailyMax: this.deps.config.dailyMax };
  }

  async updateSettings(playerId: string, patch: NotificationSettingsPatch): Promise<NotificationSettingsDto> {
    const nowMs = this.nowMs;
    if (patch.muted !== undefined) await this.deps.repo.setMuted(playerId, patch.muted, nowMs);
    if (patch.switches) {
      const off = new Set((await this.deps.repo.prefs(playerId)).switchesOff);
      for (const s of NOTIFICATION_SWITCHES) {
        const on = patch.switches[s];
        if (on === true) off.delete(s);
        else if (on === false) off.add(s);
      }
      await this.deps.repo.setSwitchesOff(playerId, off, nowMs);
    }
    return this.settings(playerId);
  }

  /** Telegram's initData says the bot may write to the player. */
  async allowedByTelegram(playerId: string): Promise<void> {
    if (await this.deps.repo.allow(playerId, this.nowMs)) this.deps.logger.info({ playerId }, 'notifications allowed by Telegram');
  }

  /** /start in the bot: the player allows messages, all on again, reachable again. False for someone who never played. */
  async startedBot(telegramId: number): Promise<boolean> {
    const playerId = await this.deps.playerIdByTelegramId(telegramId);
    if (!playerId) return false;
    await this.deps.repo.started(playerId, this.nowMs);
    return true;
  }

  /** /stop in the bot: all notifications off. */
  async stoppedBot(telegramId: number): Promise<boolean> {
    const playerId = await this.deps.playerIdByTelegramId(telegramId);
    if (!playerId) return false;
    await this.deps.repo.setMuted(playerId, true, this.nowMs);
    return true;
  }

  /** /notify in the bot: the settings as text, in the user's language. */
  async describeForBot(telegramId: number, languageCode: string | undefined): Promise<string> {
    const lang = pickLanguage(languageCode);
    const playerId = await this.deps.playerIdByTelegramId(telegramId);
    if (!playerId) return translate(lang, 'bot.notifyUnknown');
    const settings = await this.settings(playerId);
    if (settings.muted) return translate(lang, 'bot.notifyMuted');
    const lines = NOTIFICATION_SWITCHES.map((s) => `${translate(lang, `notify.switch.${s}`)}: ${translate(lang, settings.switches[s] ? 'bot.notifyOn' : 'bot.notifyOff')}`);
    return [translate(lang, 'bot.notifyTitle'), ...lines, '', translate(lang, 'notify.rules', { max: this.deps.config.dailyMax })].join('\n');
  }

  // ---- presence and scheduling -----------------------------------------------------------

  /** The owner opened their home: they see everything; what was scheduled about their absence goes. */
  async ownerArrived(ownerId: string): Promise<void> {
    this.present.add(ownerId);
    const nowMs = this.nowMs;
    await this.deps.repo.arrived(ownerId, nowMs, nowMs + PRESENCE_TTL_MS);
  }

  /** The owner left (their last connection closed): schedule what to tell them while away. */
  async ownerLeft(ownerId: string): Promise<void> {
    this.present.delete(ownerId);
    // Read now: the home may close next and unload them.
    const pets = this.deps.config.enabled ? this.deps.livePets(ownerId) : [];
    const nowMs = this.nowMs;
    await this.deps.repo.left(ownerId, nowMs);
    if (!this.deps.config.enabled) return;
    const prefs = await this.deps.repo.prefs(ownerId);
    // Nobody to tell: no rows (a later /start counts from the next absence).
    if (!prefs.allowed || prefs.unreachable || prefs.muted) return;
    const clock = gameClockAt(nowMs, this.deps.gameClock);
    const earliest = clock + NOTIFY_MIN_AWAY_S;
    const absence = String(prefs.backAt);
    const items: NewNotification[] = [];
    const at = (gameSeconds: number) => this.msAtClock(Math.max(earliest, clock + gameSeconds));
    for (const pet of pets) {
      const f = forecast(pet.stats, FORECAST_HORIZON_S);
      const petItem = (kind: NotificationKind, inS: number, extra = '') =>
        items.push({ playerId: ownerId, kind, petId: pet.id, dedupeKey: `${kind}:${pet.id}:${absence}${extra}`, dueAt: at(inS), detail: { stage: pet.stats.stage } });
      if (f.criticalInS !== null) petItem('pet_critical', f.criticalInS);
      if (f.sickInS !== null) petItem('pet_sick', f.sickInS);
      if (f.growsInS !== null) petItem('pet_grows', f.growsInS - GROWS_NOTICE_LEAD_S);
    }
    const target = await this.deps.repo.target(ownerId);
    if (target) {
      // The evening of the day the streak would break: today when today has not counted yet,
      // tomorrow when it has. Both are scheduled; each checks at its time whether its day is at
      // risk (today's is skipped once the player cared today).
      const schedule = target.schedule;
      const today = localDay(schedule, earliest);
      for (const day of [today, today + 1]) {
        const dayStart = dayStartsAt(schedule, earliest, day);
        const remindAt = Math.max(dayStart + STREAK_REMINDER_AT_S, earliest);
        if (remindAt >= dayStartsAt(schedule, earliest, day + 1) - 3600) continue; // too late in that day to help
        items.push({ playerId: ownerId, kind: 'streak', petId: null, dedupeKey: `streak:${ownerId}:${day}:${absence}`, dueAt: this.msAtClock(remindAt) });
      }
    }
    const added = await this.deps.repo.schedule(items, nowMs);
    if (added > 0) this.count('all', 'scheduled', added);
  }

  /** A friend came to see the owner's pets while the owner was away (told at most once a local day). */
  async friendVisited(ownerId: string, visitorId: string): Promise<void> {
    if (!this.deps.config.enabled || this.present.has(ownerId)) return;
    const nowMs = this.nowMs;
    // Friends come and go often: one visit an hour reaches the database (the row is once a day anyway).
    const last = this.visitsSeen.get(ownerId);
    if (last !== undefined && nowMs - last < VISIT_MEMO_MS) return;
    if (this.visitsSeen.size >= 10_000) this.visitsSeen.clear();
    this.visitsSeen.set(ownerId, nowMs);
    const target = await this.deps.repo.target(ownerId);
    if (!target) return;
    const day = localDay(target.schedule, gameClockAt(nowMs, this.deps.gameClock));
    const added = await this.deps.repo.schedule([{ playerId: ownerId, kind: 'friend_visit', petId: null, dedupeKey: `friend_visit:${ownerId}:${day}`, dueAt: nowMs, detail: { visitorId } }], nowMs);
    if (added > 0) this.count('friend_visit', 'scheduled');
  }

  /** Renews the presence of the owners in homes on this process (until they leave or it dies). */
  private async refreshPresence(): Promise<void> {
    const nowMs = this.nowMs;
    await this.deps.repo.stillPresent([...this.present], nowMs, nowMs + PRESENCE_TTL_MS);
  }

  /** The event log consumer: refunds and payments that matched no order. */
  consumer(): EventConsumer {
    return {
      name: 'notifications',
      handle: async (batch) => {
        const nowMs = this.nowMs;
        const items: NewNotification[] = [];
        for (const event of batch) {
          const item = this.fromEvent(event, nowMs);
          if (item) items.push(item);
        }
        // Idempotent: a notification is unique by its key (a batch delivered again adds nothing).
        const referrals = items.filter((i) => i.kind === 'friend_referral');
        const added = await this.deps.repo.schedule(referrals.length === 0 ? items : items.filter((i) => i.kind !== 'friend_referral'), nowMs);
        if (added > 0) this.count('payments', 'scheduled', added);
        const told = await this.deps.repo.schedule(referrals, nowMs);
        if (told > 0) this.count('friend_referral', 'scheduled', told);
      },
    };
  }

  private fromEvent(event: StoredEvent, nowMs: number): NewNotification | null {
    if (!this.deps.config.enabled || event.playerId === null || nowMs - event.at > EVENT_MAX_AGE_MS) return null;
    if (event.kind === 'refund') {
      const p = event.payload as GameEventPayloads['refund'];
      return { playerId: event.playerId, kind: 'refund', petId: null, dedupeKey: `refund:${p.chargeId}`, dueAt: event.at, detail: { stars: p.stars } };
    }
    if (event.kind === 'payment') {
      const p = event.payload as GameEventPayloads['payment'];
      if (p.matched) return null;
      return { playerId: event.playerId, kind: 'payment_problem', petId: null, dedupeKey: `payment_problem:${p.chargeId}`, dueAt: event.at, detail: { stars: p.stars } };
    }
    if (event.kind === 'referral') {
      // The inviter is told of a paid referral (the new player saw theirs in the app).
      const p = event.payload as GameEventPayloads['referral'];
      if (p.role !== 'inviter' || p.coins <= 0 || !this.deps.playerName) return null;
      return { playerId: event.playerId, kind: 'friend_referral', petId: null, dedupeKey: `friend_referral:${p.referredId}`, dueAt: event.at, detail: { coins: p.coins, friendId: p.referredId } };
    }
    return null;
  }

  // ---- sending ---------------------------------------------------------------------------

  start(): void {
    if (this.timer || !this.deps.config.enabled) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.sendDue()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'notifications: a round failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(loop, this.deps.config.pollMs);
        });
    };
    this.timer = setTimeout(loop, this.deps.config.pollMs);
    this.presenceTimer = setInterval(() => {
      this.refreshPresence().catch((err: unknown) => this.deps.logger.warn({ err }, 'notifications: presence not renewed'));
    }, PRESENCE_REFRESH_MS);
    this.presenceTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.timer = null;
    this.presenceTimer = null;
    await this.running;
  }

  /** One round: closes lost sends, then looks at what is due. Returns how many were sent. */
  async sendDue(): Promise<number> {
    const nowMs = this.nowMs;
    const lost = await this.deps.repo.closeLost(nowMs);
    if (lost > 0) {
      this.count('all', 'lost', lost);
      this.deps.logger.warn({ lost }, 'notifications: sends left by a process that died were closed, not sent again');
    }
    const sender = this.deps.sender();
    if (!sender) return 0;
    let sent = 0;
    for (const row of await this.deps.repo.due(nowMs, BATCH)) {
      if (this.stopped) break;
      try {
        if (await this.process(row, sender)) sent++;
      } catch (err) {
        this.deps.logger.warn({ err, notificationId: row.id }, 'notifications: could not process one');
      }
    }
    return sent;
  }

  /** Checks the rules for one due notification and sends it when they allow. */
  private async process(row: NotificationRow, sender: NotificationSender): Promise<boolean> {
    const { repo } = this.deps;
    const nowMs = this.nowMs;
    const kind = row.kind;
    if (!isNotificationKind(kind)) {
      await repo.skip(row.id, 'unknown_kind', nowMs);
      return false;
    }
    const target = await repo.target(row.player_id);
    const skip = async (reason: string) => {
      await repo.skip(row.id, reason, nowMs);
      this.count(kind, `skipped_${reason}`);
      return false;
    };
    if (!target) return skip('no_player');
    if (!target.allowed) return skip('not_allowed');
    if (target.unreachable) return skip('unreachable');
    if (target.muted) return skip('muted');
    if (target.switchesOff.has(switchOf(kind))) return skip('switched_off');
    if (target.presentUntil > nowMs) return skip('in_app');
    const clock = gameClockAt(nowMs, this.deps.gameClock);
    const seconds = localSeconds(target.schedule, clock);
    if (inQuiet(seconds)) {
      await repo.postpone(row.id, this.msAtClock(clock + secondsToQuietEnd(seconds)), nowMs);
      this.count(kind, 'postponed');
      return false;
    }
    const day = localDay(target.schedule, clock);
    if ((await repo.sentOnDay(target.playerId, day)) >= this.deps.config.dailyMax) {
      if (switchOf(kind) !== 'payments') return skip('daily_max');
      // Money matters: it waits for tomorrow rather than being dropped.
      await repo.postpone(row.id, this.msAtClock(dayStartsAt(target.schedule, clock, day + 1) + NOTIFY_QUIET_END_S), nowMs);
      this.count(kind, 'postponed');
      return false;
    }
    if (row.pet_id !== null && (await repo.toldSince(target.playerId, kind, row.pet_id, target.backAt))) return skip('already_told');
    const text = await this.textFor(kind, row, target, nowMs);
    if (text === null) return skip('no_longer_true');

    if (!(await this.deps.gate.acquire(target.chatId))) {
      this.count(kind, 'rate_limited');
      return false; // stays pending: the next round tries again
    }
    if (!(await repo.claim(row.id, this.deps.holder, nowMs, nowMs + SEND_LEASE_MS, day))) return false;
    return this.send(row, kind, target, day, text, sender);
  }

  private async send(row: NotificationRow, kind: NotificationKind, target: NotifyTarget, day: number, text: string, sender: NotificationSender): Promise<boolean> {
    const { repo, holder } = this.deps;
    const lang = pickLanguage(target.languageCode);
    try {
      const { messageId } = await sender.send({ chatId: target.chatId, text, button: { label: translate(lang, 'bot.open'), startParam: startParamOf(kind) } });
      await repo.finish(row.id, holder, this.nowMs, { status: 'sent', localDay: day, messageId });
      this.count(kind, 'sent');
      return true;
    } catch (err) {
      const nowMs = this.nowMs;
      const api = apiError(err);
      if (api && (api.code === 403 || (api.code === 400 && /chat not found/i.test(api.description)))) {
        await repo.finish(row.id, holder, nowMs, { status: 'unreachable', reason: api.description.slice(0, 200) });
        await repo.markUnreachable(target.playerId, nowMs);
        this.count(kind, 'unreachable');
        this.deps.logger.info({ playerId: target.playerId }, 'notifications: the player blocked the bot; no more sends until /start');
      } else if (api && api.code === 429) {
        // Refused, so not sent: it may go again once Telegram says so.
        await repo.release(row.id, holder, nowMs + (api.retryAfter ?? 1) * 1000, nowMs);
        this.count(kind, 'rate_limited');
      } else {
        // Unknown whether Telegram delivered it (a timeout, a network error): never sent twice.
        await repo.finish(row.id, holder, nowMs, { status: 'failed', reason: (api ? `${api.code} ${api.description}` : err instanceof Error ? err.message : String(err)).slice(0, 200) });
        this.count(kind, 'failed');
        this.deps.logger.warn({ err, notificationId: row.id }, 'notifications: send failed');
      }
      return false;
    }
  }

  /** The message, in the player's language; null when what it says is no longer true. */
  private async textFor(kind: NotificationKind, row: NotificationRow, target: NotifyTarget, nowMs: number): Promise<string | null> {
    const lang = pickLanguage(target.languageCode);
    const detail = parseDetail(row.detail);
    if (kind === 'pet_critical' || kind === 'pet_sick' || kind === 'pet_grows') {
      const pet = row.pet_id ? await this.deps.pet(row.pet_id) : undefined;
      if (!pet || pet.owner_id !== target.playerId) return null;
      // The pet's state now, from its last snapshot, in closed form.
      const stats = statsFromRow(pet, this.deps.gameClock);
      advance(stats, Math.max(0, ((nowMs - pet.last_snapshot_at) / 1000) * this.deps.gameClock.timeScale));
      // What holds now, by the same rule that scheduled it (a forecast over no time).
      const now = forecast(stats, 0);
      if (kind === 'pet_critical' && now.criticalInS !== 0) return null;
      if (kind === 'pet_sick' && now.sickInS !== 0) return null;
      if (kind === 'pet_grows' && (stats.sick || stats.stage !== Number(detail.stage ?? stats.stage))) return null;
      return translate(lang, `notify.${kind}`, { name: pet.name });
    }
    if (kind === 'streak') {
      const days = await this.deps.streakAtRisk(target.playerId);
      return days === null ? null : translate(lang, 'notify.streak', { days });
    }
    if (kind === 'friend_visit') return translate(lang, 'notify.friend_visit');
    if (kind === 'friend_referral') {
      const name = typeof detail.friendId === 'string' ? await this.deps.playerName?.(detail.friendId) : undefined;
      return name === undefined ? null : translate(lang, 'notify.friend_referral', { name, coins: Number(detail.coins ?? 0) });
    }
    return translate(lang, `notify.${kind}`, { stars: Number(detail.stars ?? 0) });
  }
}

function parseDetail(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Which screen the button opens (the Mini App reads its start parameter). */
function startParamOf(kind: NotificationKind): string | null {
  switch (NOTIFICATION_KINDS[kind]) {
    case 'streak':
      return 'progress';
    case 'payments':
      return 'shop';
    default:
      return null;
  }
}

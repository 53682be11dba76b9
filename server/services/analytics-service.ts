/**
 * Analytics (docs/events.md, "Analytics"): UI events in, a row of aggregates per UTC day out,
 * and the daily NDJSON export. Players appear only as a keyed hash (analytics/player-hash.ts).
 *
 * A day's aggregates look forward up to seven days (returns on day 1 and day 7, the funnel of
 * the day's new players over their first week), so the job recomputes the last eight days
 * that are over, each in place, until a day is computed after all of that has passed
 * (`final`). Every time comes from the app clock.
 */
import type { Logger } from 'pino';
import { formatUtcDay, utcDayStart, type AnalyticsDayDto, type UiEvent } from '../../shared/analytics.js';
import { priceVariantFor } from '../../shared/shop.js';
import { exportDay, exported, type ExportResult } from '../analytics/export.js';
import type { PlayerHasher } from '../analytics/player-hash.js';
import type { AnalyticsRepository, DailyRow, UiEventRow, Window } from '../repositories/analytics-repository.js';

export const DAY_MS = 86_400_000;
/** A day is computed (and exported) this long after it ended: writes of its last moments have landed. */
export const GRACE_MS = 15 * 60_000;
/** A day's row reads windows up to this many days after its start (the day-7 return's day ends then). */
const FINAL_AFTER_DAYS = 8;
/** Days that are over the job recomputes (until final): the oldest of them turns final in its round. */
const RECOMPUTE_DAYS = FINAL_AFTER_DAYS;
/** How far the funnel follows a day's new players: their first 7 days. */
const FUNNEL_DAYS = 7;

export interface AnalyticsDeps {
  /** Ingestion (request deadlines). */
  repo: AnalyticsRepository;
  /** Aggregates and export (the batch handle's longer deadline). */
  batchRepo: AnalyticsRepository;
  hash: PlayerHasher;
  /** Null: no export. */
  exportDir: string | null;
  logger: Logger;
  now: () => number;
}

export interface JobReport {
  computed: string[];
  exported: string[];
}

export class AnalyticsService {
  constructor(private readonly deps: AnalyticsDeps) {}

  /** Stores a batch of the player's UI events under their hash and price variant; returns how many. */
  async record(playerId: string, events: readonly UiEvent[]): Promise<number> {
    const at = this.deps.now();
    const playerHash = this.deps.hash(playerId);
    const variant = priceVariantFor(playerId).id;
    const rows: UiEventRow[] = events.map((e) => ({
      player_hash: playerHash,
      type: e.type,
      screen: 'screen' in e ? e.screen : null,
      action: 'action' in e ? e.action : null,
      game: 'game' in e ? e.game : null,
      code: 'code' in e ? e.code : null,
      variant,
      created_at: at,
    }));
    await this.deps.repo.insertUiEvents(rows);
    return rows.length;
  }

  /** Computes a UTC day's aggregates and stores them in place of any earlier ones. */
  async computeDay(day: string): Promise<DailyRow> {
    const start = dayStartOrThrow(day);
    const nowMs = this.deps.now();
    const repo = this.deps.batchRepo;
    const hash = this.deps.hash;
    const dayWindow = (offsetDays: number, lengthDays = 1): Window => ({ from: start + offsetDays * DAY_MS, to: start + (offsetDays + lengthDays) * DAY_MS });

    const active = async (w: Window): Promise<Set<string>> => {
      const [ids, hashes] = await Promise.all([repo.activePlayerIds(w), repo.activeHashes(w)]);
      return new Set([...ids.map(hash), ...hashes]);
    };
    const today = dayWindow(0);
    const activeToday = await active(today);
    const activeWeek = await active(dayWindow(-6, 7));
    const newIds = await repo.newPlayerIds(today);
    const newHashes = newIds.map(hash);
    const returnedOn = async (offsetDays: number): Promise<number> => {
      if (newHashes.length === 0) return 0;
      const later = await active(dayWindow(offsetDays));
      return newHashes.filter((h) => later.has(h)).length;
    };
    const d1Returned = await returnedOn(1);
    const d7Returned = await returnedOn(7);

    const kinds = new Map<string, Set<string>>();
    for (const { playerId, kind } of await repo.cohortKinds(today, start + FUNNEL_DAYS * DAY_MS)) {
      const set = kinds.get(playerId) ?? new Set<string>();
      set.add(kind);
      kinds.set(playerId, set);
    }
    const funnel = { adopted: 0, cared: 0, minigame: 0, purchased: 0 };
    for (const id of newIds) {
      const k = kinds.get(id);
      if (!k?.has('adopt')) continue;
      funnel.adopted += 1;
      if (!k.has('care')) continue;
      funnel.cared += 1;
      if (!k.has('minigame')) continue;
      funnel.minigame += 1;
      if (k.has('purchase') || k.has('payment')) funnel.purchased += 1;
    }

    const stars = await repo.stars(today);
    const faucets: Record<string, number> = {};
    const sinks: Record<string, number> = {};
    for (const flow of await repo.coinFlows(today)) {
      if (flow.out > 0) faucets[flow.reason] = flow.out;
      if (flow.in > 0) sinks[flow.reason] = flow.in;
    }

    const experiment: AnalyticsDayDto['priceExperiment'] = {};
    const variantOf = (variant: string) => (experiment[variant] ??= { shopViewers: 0, buyers: 0, convertedViewers: 0, purchases: 0, coins: 0 });
    const viewers = new Map<string, Set<string>>();
    for (const { hash: h, variant } of await repo.shopViewers(today)) {
      variantOf(variant).shopViewers += 1;
      viewers.set(variant, (viewers.get(variant) ?? new Set()).add(h));
    }
    for (const p of await repo.purchasesByVariant(today)) {
      const v = variantOf(p.variant);
      v.buyers += 1;
      v.purchases += p.purchases;
      v.coins += p.coins;
      if (viewers.get(p.variant)?.has(hash(p.playerId))) v.convertedViewers += 1;
    }

    const row: DailyRow = {
      day,
      dau: activeToday.size,
      wau: activeWeek.size,
      new_players: newIds.length,
      d1_returned: d1Returned,
      d7_returned: d7Returned,
      funnel_adopted: funnel.adopted,
      funnel_cared: funnel.cared,
      funnel_minigame: funnel.minigame,
      funnel_purchased: funnel.purchased,
      stars_payments: stars.payments,
      stars_payers: stars.payers,
      stars_gross: stars.gross,
      stars_refunded: stars.refunded,
      coins_earned: sum(faucets),
      coins_spent: sum(sinks),
      faucets: JSON.stringify(sorted(faucets)),
      sinks: JSON.stringify(sorted(sinks)),
      price_experiment: JSON.stringify(sorted(experiment)),
      ui_events: JSON.stringify(sorted(await repo.uiCounts(today))),
      final: nowMs >= start + FINAL_AFTER_DAYS * DAY_MS + GRACE_MS ? 1 : 0,
      computed_at: nowMs,
    };
    await repo.upsertDaily(row);
    return row;
  }

  /** The stored days of [from, to] (YYYY-MM-DD, both included) and the days of it not computed. */
  async daily(from: string, to: string): Promise<{ days: AnalyticsDayDto[]; missing: string[] }> {
    const rows = await this.deps.repo.daily(from, to);
    const stored = new Set(rows.map((r) => r.day));
    const missing: string[] = [];
    for (let ms = dayStartOrThrow(from); ms <= dayStartOrThrow(to); ms += DAY_MS) {
      const day = formatUtcDay(ms);
      if (!stored.has(day)) missing.push(day);
    }
    return { days: rows.map(toDto), missing };
  }

  /** Writes the day's export (when ANALYTICS_EXPORT_DIR is set); rewrites it when there is one. */
  async exportDay(day: string): Promise<ExportResult | null> {
    const dir = this.deps.exportDir;
    if (dir === null) return null;
    const start = dayStartOrThrow(day);
    return exportDay({ dir, day, window: { from: start, to: start + DAY_MS }, repo: this.deps.batchRepo, hash: this.deps.hash, nowMs: this.deps.now() });
  }

  /**
   * The job's round: recomputes the last eight days that are over and not final yet, and
   * exports those of them without a complete export.
   */
  async runJob(): Promise<JobReport> {
    const nowMs = this.deps.now();
    const lastOver = dayStartOrThrow(formatUtcDay(nowMs - GRACE_MS)) - DAY_MS;
    const days = Array.from({ length: RECOMPUTE_DAYS }, (_, i) => formatUtcDay(lastOver - (RECOMPUTE_DAYS - 1 - i) * DAY_MS));
    const final = await this.deps.batchRepo.finalDays(days);
    const report: JobReport = { computed: [], exported: [] };
    for (const day of days) {
      if (final.has(day)) continue;
      await this.computeDay(day);
      report.computed.push(day);
    }
    const dir = this.deps.exportDir;
    if (dir !== null) {
      for (const day of days) {
        if (await exported(dir, day)) continue;
        const result = await this.exportDay(day);
        if (result) report.exported.push(day);
      }
    }
    this.deps.logger.info(report, 'analytics job ran');
    return report;
  }
}

function dayStartOrThrow(day: string): number {
  const start = utcDayStart(day);
  if (start === null) throw new Error(`not a UTC day: ${day}`);
  return start;
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

/** The same object with its keys in order (stable JSON). */
function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseRecord<T>(json: string): Record<string, T> {
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, T>) : {};
}

function toDto(r: DailyRow): AnalyticsDayDto {
  return {
    day: r.day,
    computedAt: new Date(r.computed_at).toISOString(),
    final: r.final === 1,
    dau: r.dau,
    wau: r.wau,
    newPlayers: r.new_players,
    returns: { d1: { cohort: r.new_players, returned: r.d1_returned }, d7: { cohort: r.new_players, returned: r.d7_returned } },
    funnel: { newPlayers: r.new_players, adopted: r.funnel_adopted, cared: r.funnel_cared, playedMinigame: r.funnel_minigame, purchased: r.funnel_purchased },
    stars: { payments: r.stars_payments, payers: r.stars_payers, gross: r.stars_gross, refunded: r.stars_refunded, net: r.stars_gross - r.stars_refunded },
    coins: { earned: r.coins_earned, spent: r.coins_spent, faucets: parseRecord(r.faucets), sinks: parseRecord(r.sinks) },
    priceExperiment: parseRecord(r.price_experiment),
    ui: parseRecord(r.ui_events),
  };
}

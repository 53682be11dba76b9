/**
 * The admin dashboard's figures (GET /admin/dashboard), read from what the process already
 * keeps: the room inspector (the whole cluster's rooms with REDIS_URL), the sim host and the
 * metrics registry (this process), the image queue (Bull's counts are the cluster's), and the
 * database for the UTC day so far (cached for `DAY_FIGURES_TTL_MS` per process, so admins
 * polling every few seconds cost one pair of indexed counts per process and TTL, not per poll).
 * The day comes from the injected clock.
 */
import type { AdminDashboardDto } from '../../shared/dto.js';
import { formatUtcDay, utcDayStart } from '../../shared/analytics.js';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import { DashboardRepository, type DayFigures } from '../repositories/dashboard-repository.js';
import type { RoomInspector } from '../rooms/room-inspector.js';
import type { SimHost } from '../sim-host/sim-host.js';
import type { RecentCounter } from '../util/recent-counter.js';
import type { ImageService } from './image-service.js';

export const DAY_FIGURES_TTL_MS = 10_000;
const DAY_MS = 86_400_000;
/** How long the image queue may take to count (Bull asks Redis). */
const QUEUE_COUNT_TIMEOUT_MS = 1_000;

export interface DashboardDeps {
  db: Db;
  sim: SimHost;
  images: ImageService;
  roomInspector: RoomInspector;
  metrics: Metrics;
  now: () => number;
  processId: () => string;
  cluster: boolean;
  tickHz: number;
  /** 5xx responses of this process (fed by the routes' onResponse hook). */
  serverErrors: RecentCounter;
}

interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile of a cumulative Prometheus histogram, interpolated linearly inside its bucket
 * as PromQL's histogram_quantile does; the highest finite bound when it falls in +Inf; null
 * without observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const { le, count } of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevLe;
      const inBucket = count - prevCount;
      return inBucket === 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

export class DashboardService {
  private readonly repo: DashboardRepository;
  private readonly startedAt: number;
  private cached: { day: string; at: number; figures: DayFigures } | null = null;
  private pending: Promise<{ at: number; figures: DayFigures }> | null = null;

  constructor(private readonly deps: DashboardDeps) {
    this.repo = new DashboardRepository(deps.db.kysely, deps.db.dialect);
    this.startedAt = deps.now();
  }

  async read(): Promise<AdminDashboardDto> {
    const now = this.deps.now();
    const day = formatUtcDay(now);
    const [rooms, tick, queue, lag, today] = await Promise.all([
      this.deps.roomInspector.list(),
      this.tickFigures(),
      this.queueFigures(),
      this.relayLag(),
      this.dayFigures(day, now),
    ]);
    const lastTick = this.deps.sim.lastTick;
    const processes = new Set(rooms.items.map((r) => r.processId));
    processes.add(this.deps.processId());
    return {
      at: new Date(now).toISOString(),
      day,
      processId: this.deps.processId(),
      live: {
        scope: this.deps.cluster ? 'cluster' : 'process',
        rooms: rooms.items.length,
        clients: rooms.items.reduce((sum, r) => sum + r.clients, 0),
        ownersOnline: rooms.items.filter((r) => r.ownerOnline).length,
        spectators: rooms.items.reduce((sum, r) => sum + r.spectators, 0),
        processes: processes.size,
        unreachable: rooms.unreachable,
      },
      process: {
        loadedPets: this.deps.sim.loadedPetCount,
        tickHz: this.deps.tickHz,
        tick: { lastMs: lastTick.at > 0 ? lastTick.durationMs : null, ...tick },
        uptimeSeconds: Math.max(0, (now - this.startedAt) / 1000),
      },
      queues: { images: queue, eventRelayLagSeconds: lag },
      errors: {
        windowSeconds: Math.round(this.deps.serverErrors.windowMs / 1000),
        http5xxRecent: this.deps.serverErrors.recent(),
        http5xxTotal: this.deps.serverErrors.total,
      },
      today: {
        computedAt: new Date(today.at).toISOString(),
        ...today.figures,
        starsNet: today.figures.starsGross - today.figures.starsRefunded,
      },
    };
  }

  private async tickFigures(): Promise<{ p50Ms: number | null; p99Ms: number | null; ticks: number }> {
    const metric = await this.deps.metrics.simTickDuration.get();
    const buckets: Bucket[] = [];
    let ticks = 0;
    for (const v of metric.values) {
      if (v.metricName?.endsWith('_bucket')) {
        const le = v.labels.le;
        buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: v.value });
      } else if (v.metricName?.endsWith('_count')) {
        ticks = v.value;
      }
    }
    const ms = (s: number | null) => (s === null ? null : Math.round(s * 1e6) / 1e3);
    return { p50Ms: ms(histogramQuantile(0.5, buckets)), p99Ms: ms(histogramQuantile(0.99, buckets)), ticks };
  }

  private async queueFigures(): Promise<AdminDashboardDto['queues']['images']> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const counts = await Promise.race([
        this.deps.images.queueCounts(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('queue count timed out')), QUEUE_COUNT_TIMEOUT_MS);
        }),
      ]);
      return { kind: counts.kind, waiting: counts.waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed };
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async relayLag(): Promise<Record<string, number>> {
    const metric = await this.deps.metrics.eventRelayLag.get();
    const lag: Record<string, number> = {};
    for (const v of metric.values) lag[String(v.labels.consumer ?? 'unknown')] = v.value;
    return lag;
  }

  /** The day's figures, read again when older than the TTL or of another day; one read at a time. */
  private async dayFigures(day: string, now: number): Promise<{ at: number; figures: DayFigures }> {
    const cached = this.cached;
    if (cached && cached.day === day && now - cached.at < DAY_FIGURES_TTL_MS && now >= cached.at) return cached;
    if (this.pending) return this.pending;
    const start = utcDayStart(day) ?? now - (now % DAY_MS);
    this.pending = this.repo
      .day({ from: start, to: start + DAY_MS })
      .then((figures) => {
        this.cached = { day, at: now, figures };
        return this.cached;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}

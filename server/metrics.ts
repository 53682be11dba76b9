/**
 * Prometheus metrics. One registry per app instance (tests build several apps in one
 * process), exposed at GET /metrics.
 */
import fs from 'node:fs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * prom-client's default metrics that cost O(open sockets) on every scrape, on the event loop:
 * grouping every handle and resource by type, and a synchronous listing of /proc/self/fd. At
 * 10,000 players that is a 50 ms stall per scrape. Handles are left out (the room and client
 * gauges say what is open); the descriptors are counted without blocking, below.
 */
const COSTLY_DEFAULT_METRICS = new Set([
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'process_open_fds',
]);

/** The default process and Node.js metrics, each cheap to scrape whatever the load. */
function registerDefaultMetrics(registry: Registry): void {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const { name } of defaults.getMetricsAsArray()) {
    const metric = defaults.getSingleMetric(name);
    if (metric && !COSTLY_DEFAULT_METRICS.has(name)) registry.registerMetric(metric);
  }
  if (process.platform !== 'linux') return;
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      try {
        // The directory is listed off the event loop; one entry is the listing's own descriptor.
        this.set((await fs.promises.readdir('/proc/self/fd')).length - 1);
      } catch {
        // Not readable here: the gauge keeps its last value.
      }
    },
  });
}

export function createMetrics() {
  const registry = new Registry();
  registerDefaultMetrics(registry);
  const imageQueue: ImageQueueSource = { counts: null };
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsRelayed: new Counter({
      name: 'events_relayed_total',
      help: 'Events handed to a consumer and marked (a redelivery after a crash counts again)',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    eventRelayLag: new Gauge({
      name: 'event_relay_lag_seconds',
      help: "Age of the oldest event a consumer has not been handed yet (0 when caught up), as last seen by this process's relay",
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    eventBatchDuration: new Histogram({
      name: 'event_relay_batch_duration_seconds',
      help: 'Time a consumer took to apply one batch',
      labelNames: ['consumer'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    eventConsumerFailures: new Counter({
      name: 'event_consumer_failures_total',
      help: 'Batches a consumer failed to apply (tried again after a backoff)',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'notifications_total',
      help: 'Bot notifications by kind and outcome: scheduled, sent, skipped_<rule>, postponed, unreachable, failed, rate_limited, lost',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    ownerBusEvents: new Counter({
      name: 'owner_bus_events_total',
      help: 'Owner events by kind and source: local (published here), remote (from another process), invalid (dropped), publish_failed',
      labelNames: ['kind', 'source'] as const,
      registers: [registry],
    }),
    forwardedRequests: new Counter({
      name: 'forwarded_requests_total',
      help: "REST calls carried out by the owner's process (cluster mode), by outcome: ok, failed",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    forwardDuration: new Histogram({
      name: 'forwarded_request_duration_seconds',
      help: "Round trip of a REST call forwarded to the owner's process",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    rooms: new Gauge({ name: 'colyseus_rooms', help: 'Rooms open in this process', labelNames: ['room'] as const, registers: [registry] }),
    clients: new Gauge({
      name: 'colyseus_clients',
      help: 'Clients connected to rooms in this process',
      labelNames: ['room', 'role'] as const,
      registers: [registry],
    }),
    simTickDuration: new Histogram({
      name: 'sim_tick_duration_seconds',
      help: 'Duration of one central simulation tick',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    simLoadedPets: new Gauge({ name: 'sim_loaded_pets', help: 'Pets loaded in the simulation', registers: [registry] }),
    snapshotFlushDuration: new Histogram({
      name: 'snapshot_flush_duration_seconds',
      help: 'Duration of one batched snapshot flush',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    snapshotFlushRows: new Counter({ name: 'snapshot_flush_rows_total', help: 'Pet rows written by snapshot flushes', registers: [registry] }),
    roomMessages: new Counter({
      name: 'room_messages_total',
      help: 'Room messages received, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    roomMessagesDropped: new Counter({
      name: 'room_messages_dropped_total',
      help: 'Room messages dropped for going over the sender budget, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    roomClientsCutOff: new Counter({
      name: 'room_clients_cut_off_total',
      help: 'Room clients disconnected (close code 4429) for staying over their message budget',
      registers: [registry],
    }),
    roomJoinsRefused: new Counter({
      name: 'room_joins_refused_total',
      help: 'Room joins refused before matchmaking, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    purchases: new Counter({
      name: 'shop_purchases_total',
      help: 'Shop purchases with coins, by outcome (ok, replayed, or the error code)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    telegramUpdates: new Counter({
      name: 'telegram_updates_total',
      help: 'Webhook updates, by kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    starsPayments: new Counter({
      name: 'stars_payments_total',
      help: 'successful_payment deliveries, by outcome (credited, duplicate, unmatched)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    starsReconciliationDifferences: new Gauge({
      name: 'stars_reconciliation_differences',
      help: 'Differences between Telegram star transactions and local payments at the last reconciliation',
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'rate_limited_requests_total',
      help: 'Requests refused with 429 by a request limit, by limit',
      labelNames: ['limit'] as const,
      registers: [registry],
    }),
    adminLoginLockouts: new Counter({
      name: 'admin_login_lockouts_total',
      help: 'Client addresses locked out of POST /admin/login (one per address and window)',
      registers: [registry],
    }),
    rateLimitLocalFallbacks: new Counter({
      name: 'rate_limit_local_fallbacks_total',
      help: 'Request limit checks counted in this process because Redis could not answer',
      registers: [registry],
    }),
    snapshotFencingRejections: new Counter({
      name: 'telepets_snapshot_fencing_rejections_total',
      help: 'Pet writes refused because another process took the owner since (a newer writer fence)',
      registers: [registry],
    }),
    // Operations dashboards and alerts (deploy/grafana, deploy/prometheus; docs/deploy.md).
    httpErrors: new Counter({
      name: 'http_errors_total',
      help: 'HTTP answers with a status of 400 or more, by route pattern and error code (shared/errors.ts)',
      labelNames: ['route', 'code'] as const,
      registers: [registry],
    }),
    coinsEarned: new Counter({
      name: 'coins_earned_total',
      help: "Coins credited to players' wallets (or repaying their debt), by ledger reason, counted as the ledger posts them",
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    coinsSpent: new Counter({
      name: 'coins_spent_total',
      help: "Coins taken from players' wallets (or added to their debt), by ledger reason, counted as the ledger posts them",
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    starsRevenue: new Counter({
      name: 'stars_revenue_stars_total',
      help: 'Telegram Stars booked as revenue, by ledger reason (stars_purchase, stars_payment_unmatched)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    starsRefunds: new Counter({
      name: 'stars_refunds_total',
      help: 'Stars payments refunded (by an admin or by Telegram)',
      registers: [registry],
    }),
    starsRefunded: new Counter({
      name: 'stars_refunded_stars_total',
      help: 'Telegram Stars taken back out of revenue by refunds',
      registers: [registry],
    }),
    snapshotFlushFailures: new Counter({
      name: 'snapshot_flush_failures_total',
      help: 'Snapshot flushes that failed to write changed pets or their life events (both are kept and written by a later flush)',
      registers: [registry],
    }),
    imageQueue,
    imageQueueJobs: new Gauge({
      name: 'image_queue_jobs',
      help: 'Image jobs in the queue by state (waiting, active, delayed, failed), read at scrape time; on Redis every process sees the same shared queue',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const counts = imageQueue.counts;
        if (!counts) return;
        try {
          const c = await counts();
          for (const state of IMAGE_QUEUE_STATES) this.set({ state }, c[state]);
        } catch {
          // Redis did not answer: the gauge keeps its last values (the readiness check says why).
        }
      },
    }),
    imageJobDuration: new Histogram({
      name: 'image_job_duration_seconds',
      help: 'Time one image job attempt took, by outcome (ready, failed)',
      labelNames: ['outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    imageJobFailures: new Counter({
      name: 'image_job_failures_total',
      help: 'Failed image job attempts by reason code; final="true" when no attempt is left (the picture is marked failed)',
      labelNames: ['reason', 'final'] as const,
      registers: [registry],
    }),
    imageJobsCompleted: new Counter({
      name: 'image_jobs_completed_total',
      help: 'Pictures made, by the provider that made them (huggingface-primary, huggingface-fallback, procedural)',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
  };
}

/** The image queue states `image_queue_jobs` reports. */
const IMAGE_QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** What `image_queue_jobs` reads at scrape time; the image pipeline sets it. */
export interface ImageQueueSource {
  counts: (() => Promise<Record<(typeof IMAGE_QUEUE_STATES)[number], number>>) | null;
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Typed configuration: the only module that reads `process.env`. `loadConfig` validates
 * every variable and reports all bad values at once with a clear message.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './auth/passwords.js';

export type DatabaseConfig = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; file: string };

/** How long a Postgres call may take (SQLite waits its own `busy_timeout` for a lock). */
export interface DatabaseDeadlines {
  /** Opening a connection. */
  connectTimeoutMs: number;
  /** Server side (`statement_timeout`): Postgres cancels a statement running longer. */
  statementTimeoutMs: number;
  /** Client side (`query_timeout`): no answer this long (a half-open connection) fails the query and drops the connection. */
  queryTimeoutMs: number;
  /** Server side (`idle_in_transaction_session_timeout`): a session idle inside a transaction this long is ended. */
  idleInTransactionTimeoutMs: number;
  /** TCP keepalive on every connection, first probe after this much silence. */
  keepAliveDelayMs: number;
  /**
   * Statement deadline of batch writes (snapshot flushes of thousands of pets) on their own
   * small pool; requests keep the short deadlines above.
   */
  batchTimeoutMs: number;
}

/** How long a Redis call may take. */
export interface RedisDeadlines {
  connectTimeoutMs: number;
  /** One command (blocking queue reads and subscriptions excepted: they wait by design). */
  commandTimeoutMs: number;
}

/** `NODE_ENV`: production refuses to start without its secrets and never has dev sign-in or the fake Bot API. */
export type RunMode = 'development' | 'test' | 'production';
export const RUN_MODES: readonly RunMode[] = ['development', 'test', 'production'];

export interface Config {
  /** `NODE_ENV` (development by default). Production: see `productionProblems`. */
  mode: RunMode;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: DatabaseConfig;
  redisUrl: string | null;
  /**
   * Cluster mode (`REDIS_URL` set): where clients reach this process directly, `host:port` or
   * `host/path` without a scheme (Colyseus puts it in the room listing and the client opens
   * the WebSocket there). Null: clients connect where they matchmade (one process).
   */
  publicAddress: string | null;
  /** Every call to Postgres and Redis has one: an unreachable service costs a request 503 NOT_READY, not a hang. */
  deadlines: { database: DatabaseDeadlines; redis: RedisDeadlines };
  telegram: {
    /** Null means dev sign-in mode: the server signs initData with a random token it makes. */
    botToken: string | null;
    botUsername: string | null;
    miniAppName: string | null;
    initDataMaxAgeSeconds: number;
    /** The Bot API base URL grammY calls (a local fake in tests). */
    apiRoot: string;
    /** One Bot API call. */
    apiTimeoutSeconds: number;
    /** The X-Telegram-Bot-Api-Secret-Token the webhook expects; null refuses every update. */
    webhookSecret: string | null;
    /** Public https URL of this server: the Mini App button of /start and the webhook set at start. */
    publicUrl: string | null;
    /** Seconds between Stars reconciliations against getStarTransactions (0: off). */
    reconcileIntervalSeconds: number;
  };
  /** Bot notifications to players who are away (docs/events.md). */
  notify: {
    /** Off: nothing is scheduled or sent (the settings still work). */
    enabled: boolean;
    /** At most this many notifications per player per local day. */
    dailyMax: number;
    /** Messages a second, all processes together (Telegram allows about 30). */
    ratePerSecond: number;
    /** Real ms between looks for due notifications. */
    pollMs: number;
  };
  admin: {
    /** Null disables every admin route. */
    password: string | null;
    /** Null means a random secret per process (tokens die with the process). */
    jwtSecret: string | null;
    tokenTtlSeconds: number;
    /** How long a refresh token (a panel session without activity) lives. */
    refreshTtlSeconds: number;
  };
  sim: {
    tickHz: number;
    /** Game seconds per real second. */
    timeScale: number;
    snapshotIntervalSeconds: number;
    /** Seconds added to the game clock: shifts the time of day (quiet hours) for demos and tests. */
    clockOffsetSeconds: number;
    /** Real seconds a pet loaded for a REST call stays loaded without a room. */
    restLeaseIdleSeconds: number;
  };
  images: {
    hfToken: string | null;
    hfModel: string;
    hfFallbackModel: string | null;
    hfEndpointUrl: string | null;
    hfProvider: string;
    /** Per provider call. */
    hfTimeoutMs: number;
    /** Calls per provider on transient failures. */
    providerAttempts: number;
    providerBackoffMs: number;
    preset: 'fast' | 'standard' | 'high';
    concurrency: number;
    jobAttempts: number;
    jobBackoffMs: number;
    jobTimeoutMs: number;
    /** Bull lock duration: a worker that stops renewing it (killed) loses the job after this. */
    jobLockMs: number;
    workersInProcess: boolean;
    queuePrefix: string;
    /** Share of the current stage after which the next stage's image is made. */
    pregenShare: number;
    maxInFlightPerPlayer: number;
    dailyBudgetPerPlayer: number;
  };
  clientDistDir: string;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDRs or proxy-addr names such as
   * `loopback`): the client address per-IP limits use. Null: the socket's peer address.
   */
  trustProxy: string | null;
  rateLimit: RateLimitConfig;
  /** Analytics (docs/events.md, "Analytics"). */
  analytics: {
    /** Key of the players' keyed hashes (≥ 32 characters); null: derived (server/analytics/hash.ts). */
    hashKey: string | null;
    /** Where the daily NDJSON export is written; null: no export. */
    exportDir: string | null;
    /** Seconds between runs of the daily aggregates and export job (0: off). */
    jobIntervalSeconds: number;
    /** UI event batches a player may send per rate-limit window (0: no limit). */
    batchesPerWindow: number;
  };
  /** Share cards and the public share page (ADR 0018). */
  cards: {
    /** Rendered PNG cards kept in memory, bytes (least recently used go first). */
    cacheBytes: number;
    /** Cards rendered at once (each in a worker thread of the render pool, off the event loop). */
    renderConcurrency: number;
    /** Renders that may wait for a slot; more get 503 CARD_RENDER_BUSY. */
    renderQueue: number;
  };
}

/** Request budgets per window; 0 turns a limit off (the admin login one cannot be). */
export interface RateLimitConfig {
  windowSeconds: number;
  /** Every authenticated /api/v1 request, per player. */
  apiPerPlayer: number;
  /** Unauthenticated /api/v1 requests (client config, dev sign-in), per client IP. */
  publicApiPerIp: number;
  /** POST /admin/login attempts per client IP, right or wrong, per `adminLoginWindowSeconds`. */
  adminLogin: number;
  adminLoginWindowSeconds: number;
  purchases: number;
  invoices: number;
  friendAdds: number;
  /** Picture regenerations and re-runs together. */
  imageRequests: number;
  /** Prepared share messages (savePreparedInlineMessage) per player. */
  sharePrepared: number;
  /** Redis key prefix of the shared counters. */
  redisPrefix: string;
}

/** host, host:port, host/path or host:port/path; no scheme, no query, no trailing slash. */
const PUBLIC_ADDRESS_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/;

interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

/** Every variable with its default, for `.env.example`, the README and `--help`. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  {
    name: 'NODE_ENV',
    default: 'development',
    description:
      'development, test or production; production refuses to start without TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, JWT_SECRET, ADMIN_PASSWORD, a postgres:// DATABASE_URL, an https PUBLIC_URL and (with REDIS_URL) PUBLIC_ADDRESS, and never has dev sign-in or the fake Bot API',
  },
  { name: 'PORT', default: '2567', description: 'HTTP and WebSocket port (one port for both)' },
  { name: 'HOST', default: '0.0.0.0', description: 'Interface to listen on' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace, silent' },
  {
    name: 'DATABASE_URL',
    default: '',
    description: 'postgres://… for Postgres; sqlite:<path> or unset for the SQLite file ./data/telepets.db',
  },
  { name: 'REDIS_URL', default: '', description: 'redis://… ; set: cluster mode (rooms, presence, leases, queues and events in Redis); unset: one process' },
  {
    name: 'PUBLIC_ADDRESS',
    default: '',
    description: 'Cluster mode: host:port or host/path (no scheme) at which clients reach this process directly for WebSockets (see docs/scaling.md)',
  },
  { name: 'DB_CONNECT_TIMEOUT_MS', default: '3000', description: 'Postgres: opening a connection' },
  { name: 'DB_STATEMENT_TIMEOUT_MS', default: '2000', description: 'Postgres statement_timeout: the server cancels a longer statement (migrations and batch writes are exempt)' },
  { name: 'DB_QUERY_TIMEOUT_MS', default: '2500', description: 'Postgres, client side: a query with no answer this long fails and its connection is dropped' },
  { name: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', default: '10000', description: 'Postgres idle_in_transaction_session_timeout' },
  { name: 'DB_KEEPALIVE_DELAY_MS', default: '10000', description: 'Postgres connections: TCP keepalive after this much silence' },
  { name: 'DB_BATCH_TIMEOUT_MS', default: '30000', description: 'Postgres: statement deadline of batch writes (snapshot flushes) on their own two-connection pool' },
  { name: 'REDIS_CONNECT_TIMEOUT_MS', default: '2000', description: 'Redis: opening a connection' },
  { name: 'REDIS_COMMAND_TIMEOUT_MS', default: '2000', description: 'Redis: one command, and adding a job to the queue' },
  { name: 'TELEGRAM_BOT_TOKEN', default: '', description: 'Bot token; unset enables dev sign-in (never in production)' },
  { name: 'TELEGRAM_BOT_USERNAME', default: '', description: 'Bot username for invite links (t.me/<bot>/<app>)' },
  { name: 'TELEGRAM_MINIAPP_NAME', default: '', description: 'Mini App short name for invite links' },
  { name: 'INIT_DATA_MAX_AGE_S', default: '86400', description: 'Oldest accepted initData auth_date, in seconds' },
  { name: 'TELEGRAM_API_ROOT', default: 'https://api.telegram.org', description: 'Bot API base URL the bot calls (a local fake Bot API in tests)' },
  { name: 'TELEGRAM_API_TIMEOUT_S', default: '10', description: 'Timeout of one Bot API call' },
  {
    name: 'TELEGRAM_WEBHOOK_SECRET',
    default: '',
    description: 'Secret token of POST /telegram/webhook (X-Telegram-Bot-Api-Secret-Token); unset with a bot token refuses all updates',
  },
  { name: 'PUBLIC_URL', default: '', description: 'Public https URL of this server: the /start button opens it; the webhook is set to <PUBLIC_URL>/telegram/webhook at start' },
  { name: 'STARS_RECONCILE_INTERVAL_S', default: '3600', description: 'Seconds between Stars reconciliations with getStarTransactions (0 = off)' },
  { name: 'NOTIFY_ENABLED', default: 'true', description: 'Bot notifications to players who are away (false: none scheduled or sent)' },
  { name: 'NOTIFY_DAILY_MAX', default: '4', description: 'Notifications per player per local day, at most' },
  { name: 'NOTIFY_RATE_PER_S', default: '25', description: 'Notifications a second, all processes together (shared through Redis in cluster mode)' },
  { name: 'NOTIFY_POLL_MS', default: '1000', description: 'Real ms between looks for due notifications' },
  { name: 'ADMIN_PASSWORD', default: '', description: 'Creates the admin account "admin" with this password once, when it does not exist (more with npm run admin); no password and no account: admin off' },
  { name: 'JWT_SECRET', default: '', description: 'Secret for admin JWTs (≥ 32 chars); unset = random per process' },
  { name: 'ADMIN_TOKEN_TTL_S', default: '900', description: 'Admin access token lifetime in seconds' },
  { name: 'ADMIN_REFRESH_TTL_S', default: '43200', description: 'Admin refresh token lifetime in seconds (rotated on every refresh)' },
  { name: 'SIM_TICK_HZ', default: '1', description: 'Simulation ticks per real second' },
  { name: 'SIM_TIME_SCALE', default: '1', description: 'Game seconds per real second (demos and tests run faster)' },
  { name: 'SNAPSHOT_INTERVAL_S', default: '10', description: 'Real seconds between batched flushes of changed pets' },
  { name: 'SIM_CLOCK_OFFSET_S', default: '0', description: 'Seconds added to the game clock (shifts quiet hours; demos and tests)' },
  { name: 'REST_LEASE_IDLE_S', default: '60', description: 'Real seconds a pet loaded by a REST call stays in memory' },
  { name: 'HF_TOKEN', default: '', description: 'Hugging Face token; unset = procedural images only (no network)' },
  { name: 'HF_MODEL', default: 'stabilityai/stable-diffusion-xl-base-1.0', description: 'Primary text-to-image model' },
  { name: 'HF_FALLBACK_MODEL', default: '', description: 'Second model tried when the primary fails; unset = straight to procedural' },
  { name: 'HF_ENDPOINT_URL', default: '', description: 'A dedicated inference endpoint URL for both models; {model} in it is replaced by the model' },
  { name: 'HF_PROVIDER', default: 'hf-inference', description: 'Inference provider for the models (hf-inference, fal-ai, replicate, …)' },
  { name: 'HF_TIMEOUT_MS', default: '60000', description: 'Timeout of one provider call' },
  { name: 'IMAGE_PROVIDER_ATTEMPTS', default: '3', description: 'Calls per provider on timeouts, 429 and 5xx before the next one' },
  { name: 'IMAGE_PROVIDER_BACKOFF_MS', default: '1000', description: 'First retry delay of a provider call (doubles)' },
  { name: 'IMAGE_PRESET', default: 'standard', description: 'Quality preset: fast, standard or high (size, steps, guidance)' },
  { name: 'IMAGE_CONCURRENCY', default: '2', description: 'Image jobs a worker runs at once' },
  { name: 'IMAGE_JOB_ATTEMPTS', default: '3', description: 'Attempts of an image job (database or worker trouble)' },
  { name: 'IMAGE_JOB_BACKOFF_MS', default: '2000', description: 'First retry delay of an image job (exponential)' },
  { name: 'IMAGE_JOB_TIMEOUT_MS', default: '300000', description: 'Timeout of a whole image job' },
  { name: 'IMAGE_JOB_LOCK_MS', default: '30000', description: 'How long a killed worker keeps a job before another takes it' },
  { name: 'WORKERS_IN_PROCESS', default: 'true', description: 'Run an image worker inside the server too (false with separate workers)' },
  { name: 'QUEUE_PREFIX', default: 'telepets', description: 'Redis key prefix of the job queues (separates deployments sharing a Redis)' },
  { name: 'IMAGE_PREGEN_SHARE', default: '0.7', description: "Share of a stage after which the next stage's image is made" },
  { name: 'IMAGE_MAX_IN_FLIGHT', default: '2', description: 'Image requests a player may have running at once' },
  { name: 'IMAGE_DAILY_BUDGET', default: '10', description: 'Image requests a player may make per day' },
  { name: 'CLIENT_DIST_DIR', default: 'dist/client', description: 'Built Mini App served at /' },
  {
    name: 'TRUST_PROXY',
    default: '',
    description: 'Comma-separated proxy addresses or CIDRs (or loopback, uniquelocal) whose X-Forwarded-For gives the client IP; unset = the socket address',
  },
  { name: 'RATE_LIMIT_WINDOW_S', default: '60', description: 'Window of the request limits below, in seconds' },
  { name: 'RATE_LIMIT_API_MAX', default: '600', description: 'Requests a player may make to /api/v1 per window (0 = no limit)' },
  { name: 'RATE_LIMIT_PUBLIC_API_MAX', default: '300', description: 'Unauthenticated /api/v1 requests per client IP per window (0 = no limit)' },
  { name: 'RATE_LIMIT_PURCHASES_MAX', default: '30', description: 'Shop purchases a player may attempt per window (0 = no limit)' },
  { name: 'RATE_LIMIT_INVOICES_MAX', default: '10', description: 'Stars invoices a player may create per window (0 = no limit)' },
  { name: 'RATE_LIMIT_FRIEND_ADDS_MAX', default: '10', description: 'Friend adds (invite codes tried) per player per window (0 = no limit)' },
  { name: 'RATE_LIMIT_IMAGE_REQUESTS_MAX', default: '10', description: 'Picture regenerations and re-runs per player per window (0 = no limit)' },
  { name: 'RATE_LIMIT_ADMIN_LOGIN_MAX', default: '5', description: 'Admin login attempts per client IP per admin window; the next ones get 429 until it ends' },
  { name: 'RATE_LIMIT_ADMIN_LOGIN_WINDOW_S', default: '60', description: 'Window (and so the lockout) of the admin login limit, in seconds' },
  { name: 'RATE_LIMIT_PREFIX', default: 'telepets:rate-limit:', description: 'Redis key prefix of the shared rate-limit counters (separates deployments sharing a Redis)' },
  // Analytics (docs/events.md, "Analytics").
  {
    name: 'ANALYTICS_HASH_KEY',
    default: '',
    description: "Key (≥ 32 chars) of the HMAC-SHA256 that stands for a player in analytics; unset = derived from TELEGRAM_BOT_TOKEN, or a fixed dev key without one",
  },
  { name: 'ANALYTICS_EXPORT_DIR', default: '', description: 'Directory of the daily NDJSON export (<dir>/<YYYY-MM-DD>/<kind>.ndjson); unset = no export' },
  { name: 'ANALYTICS_JOB_INTERVAL_S', default: '3600', description: 'Seconds between runs of the job that computes daily aggregates and writes the export (0 = off)' },
  { name: 'RATE_LIMIT_ANALYTICS_MAX', default: '30', description: 'UI event batches a player may send per rate-limit window (0 = no limit)' },
  // Share cards and the public share page (ADR 0018).
  { name: 'CARD_CACHE_MB', default: '64', description: 'Rendered share cards (PNG) kept in memory, MiB' },
  { name: 'CARD_RENDER_CONCURRENCY', default: '2', description: 'Share cards rendered at once' },
  { name: 'CARD_RENDER_QUEUE', default: '32', description: 'Share card renders that may wait for a slot; more are refused with 503 CARD_RENDER_BUSY' },
  { name: 'RATE_LIMIT_SHARE_PREPARED_MAX', default: '10', description: 'Prepared share messages (Telegram savePreparedInlineMessage) a player may ask for per window (0 = no limit)' },
];

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly mode: RunMode | null = null,
  ) {
    super(`Invalid configuration${mode === 'production' ? ' for production (NODE_ENV=production)' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }

  /** Every problem on one plain-text line (what a process logs before it exits). */
  oneLine(): string {
    return `Invalid configuration${this.mode === 'production' ? ' for production (NODE_ENV=production)' : ''}: ${this.problems.join('; ')}`;
  }
}

/**
 * Who reads the configuration: the game server needs every production secret; the image
 * worker and the CLIs (migrate, admin) touch only the database and Redis, so production asks
 * them only for Postgres.
 */
export type ConfigPurpose = 'server' | 'tool';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Builds the configuration from `env` (defaults to `process.env`); throws `ConfigError`. */
export function loadConfig(env: Env = process.env, purpose: ConfigPurpose = 'server'): Config {
  const problems: string[] = [];
  const str = (name: string): string | null => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const num = (name: string, fallback: number, min: number, max: number, integer = false): number => {
    const raw = str(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${name}: must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === null) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}: must be true or false (got "${raw}")`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = str(name);
    if (raw === null) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name}: must be one of ${values.join(', ')} (got "${raw}")`);
    return fallback;
  };
  const url = (name: string): string | null => {
    const raw = str(name);
    if (raw === null) return null;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return raw;
    } catch {
      // reported below
    }
    problems.push(`${name}: must be an http(s) URL (got "${raw}")`);
    return null;
  };

  const modeRaw = str('NODE_ENV') ?? 'development';
  const mode = (RUN_MODES as readonly string[]).includes(modeRaw) ? (modeRaw as RunMode) : null;
  if (mode === null) problems.push(`NODE_ENV: must be one of ${RUN_MODES.join(', ')} (got "${modeRaw}")`);

  const logLevelRaw = str('LOG_LEVEL') ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as Config['logLevel']) : 'info';
  if (logLevel !== logLevelRaw) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  const database = parseDatabaseUrl(str('DATABASE_URL'), problems);

  const redisUrl = str('REDIS_URL');
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push(`REDIS_URL: must start with redis:// or rediss:// (got "${redisUrl}")`);
  }

  const publicAddress = str('PUBLIC_ADDRESS');
  if (publicAddress !== null && !PUBLIC_ADDRESS_PATTERN.test(publicAddress)) {
    problems.push(`PUBLIC_ADDRESS: host, host:port or host[:port]/path without a scheme (got "${publicAddress}")`);
  }

  const botToken = str('TELEGRAM_BOT_TOKEN');
  if (botToken !== null && !/^\d+:[A-Za-z0-9_-]{20,}$/.test(botToken)) {
    problems.push('TELEGRAM_BOT_TOKEN: does not look like a bot token (<digits>:<secret>)');
  }

  const webhookSecret = str('TELEGRAM_WEBHOOK_SECRET');
  if (webhookSecret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(webhookSecret)) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ - (what Telegram accepts)');
  }

  const jwtSecret = str('JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('JWT_SECRET: must be at least 32 characters');

  const analyticsHashKey = str('ANALYTICS_HASH_KEY');
  if (analyticsHashKey !== null && analyticsHashKey.length < 32) problems.push('ANALYTICS_HASH_KEY: must be at least 32 characters');
  const analyticsExportDir = str('ANALYTICS_EXPORT_DIR');

  // Share links name the bot and the Mini App (t.me/<bot>/<app>): only what Telegram allows.
  const botUsername = str('TELEGRAM_BOT_USERNAME')?.replace(/^@/, '') ?? null;
  if (botUsername !== null && !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(botUsername)) {
    problems.push(`TELEGRAM_BOT_USERNAME: 4-32 characters of A-Z a-z 0-9 _ starting with a letter (got "${botUsername}")`);
  }
  const miniAppName = str('TELEGRAM_MINIAPP_NAME');
  if (miniAppName !== null && !/^[A-Za-z0-9_]{3,30}$/.test(miniAppName)) {
    problems.push(`TELEGRAM_MINIAPP_NAME: 3-30 characters of A-Z a-z 0-9 _ (got "${miniAppName}")`);
  }

  const trustProxy = str('TRUST_PROXY');
  if (trustProxy !== null && !trustProxy.split(',').every((entry) => isTrustedProxyEntry(entry.trim()))) {
    problems.push(`TRUST_PROXY: must be comma-separated addresses, CIDRs, loopback, linklocal or uniquelocal (got "${trustProxy}")`);
  }

  const config: Config = {
    // An unknown NODE_ENV is reported above; production's checks still run if it was meant.
    mode: mode ?? (/prod/i.test(modeRaw) ? 'production' : 'development'),
    port: num('PORT', 2567, 0, 65535, true),
    host: str('HOST') ?? '0.0.0.0',
    logLevel,
    database,
    redisUrl,
    publicAddress,
    deadlines: {
      database: {
        connectTimeoutMs: num('DB_CONNECT_TIMEOUT_MS', 3000, 100, 600000, true),
        statementTimeoutMs: num('DB_STATEMENT_TIMEOUT_MS', 2000, 100, 3600000, true),
        queryTimeoutMs: num('DB_QUERY_TIMEOUT_MS', 2500, 100, 3600000, true),
        idleInTransactionTimeoutMs: num('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10000, 100, 3600000, true),
        keepAliveDelayMs: num('DB_KEEPALIVE_DELAY_MS', 10000, 1000, 3600000, true),
        batchTimeoutMs: num('DB_BATCH_TIMEOUT_MS', 30000, 1000, 3600000, true),
      },
      redis: {
        connectTimeoutMs: num('REDIS_CONNECT_TIMEOUT_MS', 2000, 100, 600000, true),
        commandTimeoutMs: num('REDIS_COMMAND_TIMEOUT_MS', 2000, 100, 600000, true),
      },
    },
    telegram: {
      botToken,
      botUsername,
      miniAppName,
      initDataMaxAgeSeconds: num('INIT_DATA_MAX_AGE_S', 86400, 1, 30 * 86400, true),
      apiRoot: (url('TELEGRAM_API_ROOT') ?? 'https://api.telegram.org').replace(/\/+$/, ''),
      apiTimeoutSeconds: num('TELEGRAM_API_TIMEOUT_S', 10, 1, 600, true),
      webhookSecret,
      publicUrl: url('PUBLIC_URL')?.replace(/\/+$/, '') ?? null,
      reconcileIntervalSeconds: num('STARS_RECONCILE_INTERVAL_S', 3600, 0, 7 * 86400, true),
    },
    notify: {
      enabled: bool('NOTIFY_ENABLED', true),
      dailyMax: num('NOTIFY_DAILY_MAX', 4, 0, 100, true),
      ratePerSecond: num('NOTIFY_RATE_PER_S', 25, 1, 1000, true),
      pollMs: num('NOTIFY_POLL_MS', 1000, 50, 600000, true),
    },
    admin: {
      password: str('ADMIN_PASSWORD'),
      jwtSecret,
      tokenTtlSeconds: num('ADMIN_TOKEN_TTL_S', 900, 10, 86400, true),
      refreshTtlSeconds: num('ADMIN_REFRESH_TTL_S', 43200, 60, 30 * 86400, true),
    },
    sim: {
      tickHz: num('SIM_TICK_HZ', 1, 0.1, 60),
      timeScale: num('SIM_TIME_SCALE', 1, 0.001, 100000),
      snapshotIntervalSeconds: num('SNAPSHOT_INTERVAL_S', 10, 0.1, 3600),
      clockOffsetSeconds: num('SIM_CLOCK_OFFSET_S', 0, -1e10, 1e10),
      restLeaseIdleSeconds: num('REST_LEASE_IDLE_S', 60, 1, 86400),
    },
    images: {
      hfToken: str('HF_TOKEN'),
      hfModel: str('HF_MODEL') ?? 'stabilityai/stable-diffusion-xl-base-1.0',
      hfFallbackModel: str('HF_FALLBACK_MODEL'),
      hfEndpointUrl: url('HF_ENDPOINT_URL'),
      hfProvider: str('HF_PROVIDER') ?? 'hf-inference',
      hfTimeoutMs: num('HF_TIMEOUT_MS', 60000, 10, 600000, true),
      providerAttempts: num('IMAGE_PROVIDER_ATTEMPTS', 3, 1, 10, true),
      providerBackoffMs: num('IMAGE_PROVIDER_BACKOFF_MS', 1000, 0, 60000, true),
      preset: oneOf('IMAGE_PRESET', ['fast', 'standard', 'high'] as const, 'standard'),
      concurrency: num('IMAGE_CONCURRENCY', 2, 1, 64, true),
      jobAttempts: num('IMAGE_JOB_ATTEMPTS', 3, 1, 20, true),
      jobBackoffMs: num('IMAGE_JOB_BACKOFF_MS', 2000, 0, 600000, true),
      jobTimeoutMs: num('IMAGE_JOB_TIMEOUT_MS', 300000, 100, 3600000, true),
      jobLockMs: num('IMAGE_JOB_LOCK_MS', 30000, 500, 600000, true),
      workersInProcess: bool('WORKERS_IN_PROCESS', true),
      queuePrefix: str('QUEUE_PREFIX') ?? 'telepets',
      pregenShare: num('IMAGE_PREGEN_SHARE', 0.7, 0, 1),
      maxInFlightPerPlayer: num('IMAGE_MAX_IN_FLIGHT', 2, 1, 100, true),
      dailyBudgetPerPlayer: num('IMAGE_DAILY_BUDGET', 10, 0, 10000, true),
    },
    clientDistDir: path.resolve(str('CLIENT_DIST_DIR') ?? 'dist/client'),
    trustProxy,
    rateLimit: {
      windowSeconds: num('RATE_LIMIT_WINDOW_S', 60, 1, 86400, true),
      apiPerPlayer: num('RATE_LIMIT_API_MAX', 600, 0, 1e9, true),
      publicApiPerIp: num('RATE_LIMIT_PUBLIC_API_MAX', 300, 0, 1e9, true),
      purchases: num('RATE_LIMIT_PURCHASES_MAX', 30, 0, 1e9, true),
      invoices: num('RATE_LIMIT_INVOICES_MAX', 10, 0, 1e9, true),
      friendAdds: num('RATE_LIMIT_FRIEND_ADDS_MAX', 10, 0, 1e9, true),
      imageRequests: num('RATE_LIMIT_IMAGE_REQUESTS_MAX', 10, 0, 1e9, true),
      sharePrepared: num('RATE_LIMIT_SHARE_PREPARED_MAX', 10, 0, 1e9, true),
      adminLogin: num('RATE_LIMIT_ADMIN_LOGIN_MAX', 5, 1, 1000, true),
      adminLoginWindowSeconds: num('RATE_LIMIT_ADMIN_LOGIN_WINDOW_S', 60, 1, 86400, true),
      redisPrefix: str('RATE_LIMIT_PREFIX') ?? 'telepets:rate-limit:',
    },
    analytics: {
      hashKey: analyticsHashKey,
      exportDir: analyticsExportDir === null ? null : path.resolve(analyticsExportDir),
      jobIntervalSeconds: num('ANALYTICS_JOB_INTERVAL_S', 3600, 0, 86400, true),
      batchesPerWindow: num('RATE_LIMIT_ANALYTICS_MAX', 30, 0, 1e9, true),
    },
    cards: {
      cacheBytes: num('CARD_CACHE_MB', 64, 1, 4096, true) * 1024 * 1024,
      renderConcurrency: num('CARD_RENDER_CONCURRENCY', 2, 1, 64, true),
      renderQueue: num('CARD_RENDER_QUEUE', 32, 0, 10000, true),
    },
  };
  if (config.mode === 'production') problems.push(...productionProblems(env, config, purpose));
  if (problems.length > 0) throw new ConfigError(problems, config.mode);
  return config;
}

/**
 * What production refuses to run without: every secret that dev mode makes up (the dev
 * bot token behind dev sign-in, the webhook secret, the JWT secret) and a real deployment's
 * database and addresses. Each missing or unfit setting is one problem, all reported at once.
 */
function productionProblems(env: Env, config: Config, purpose: ConfigPurpose): string[] {
  const problems: string[] = [];
  const missing = (name: string, why: string) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') problems.push(`${name}: required in production (${why})`);
  };
  const rawDatabaseUrl = env.DATABASE_URL?.trim() ?? '';
  if (rawDatabaseUrl === '') problems.push('DATABASE_URL: required in production (a postgres:// URL)');
  else if (config.database.dialect !== 'postgres') problems.push('DATABASE_URL: production needs Postgres (postgres://…); SQLite is for development only');
  if (purpose === 'tool') return problems;

  missing('TELEGRAM_BOT_TOKEN', 'without it anyone could sign in as anyone through dev sign-in');
  missing('TELEGRAM_WEBHOOK_SECRET', 'without it the webhook refuses every update and payments stop');
  missing('JWT_SECRET', 'at least 32 characters; admin sessions must survive restarts and be shared by every process');
  const adminPassword = env.ADMIN_PASSWORD?.trim() ?? '';
  if (adminPassword === '') problems.push('ADMIN_PASSWORD: required in production (the bootstrap admin account "admin")');
  else if (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH) {
    problems.push(`ADMIN_PASSWORD: must have ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters in production`);
  }
  const publicUrl = env.PUBLIC_URL?.trim() ?? '';
  if (publicUrl === '') problems.push('PUBLIC_URL: required in production (the https URL players and Telegram reach)');
  else if (config.telegram.publicUrl !== null && !config.telegram.publicUrl.startsWith('https://')) {
    problems.push(`PUBLIC_URL: must be https:// in production (got "${config.telegram.publicUrl}")`);
  }
  if (config.redisUrl !== null && config.publicAddress === null) {
    problems.push('PUBLIC_ADDRESS: required in production when REDIS_URL is set (cluster mode: where clients reach this process, see docs/scaling.md)');
  }
  return problems;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix, or a proxy-addr range name (what Fastify's trustProxy compiles). */
function isTrustedProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function parseDatabaseUrl(raw: string | null, problems: string[]): DatabaseConfig {
  if (raw === null) return { dialect: 'sqlite', file: path.resolve('data/telepets.db') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
      return { dialect: 'postgres', url: raw };
    } catch {
      problems.push('DATABASE_URL: not a valid postgres:// URL');
      return { dialect: 'sqlite', file: path.resolve('data/telepets.db') };
    }
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '') problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/telepets.db');
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file || 'data/telepets.db') };
  }
  problems.push(`DATABASE_URL: must start with postgres://, postgresql:// or sqlite: (got "${raw.split(':')[0] ?? ''}:…")`);
  return { dialect: 'sqlite', file: path.resolve('data/telepets.db') };
}

/**
 * The database schema as Kysely sees it. Times are epoch milliseconds (bigint), booleans are
 * 0/1 integers, so one schema works on Postgres and SQLite alike.
 */
import type { Generated } from 'kysely';

export interface PlayersTable {
  id: string;
  telegram_id: number;
  first_name: string;
  last_name: string | null;
  username: string | null;
  language_code: string;
  invite_code: string;
  /** The UTC offset in force (minutes); see shared/local-day.ts for changes. */
  utc_offset_minutes: Generated<number>;
  /** A planned offset change: the offset, when it takes effect (game clock s), and the day that lasts until then. */
  next_utc_offset_minutes: Generated<number | null>;
  utc_offset_changes_at: Generated<number | null>;
  utc_offset_last_day: Generated<number | null>;
  /** Day numbers skipped by eastward offset changes, in total. */
  utc_offset_skipped_days: Generated<number>;
  /** The last writer fence taken for this player's pets (one per load of the owner; see migration 0010). */
  sim_fence: Generated<number>;
  /** Banned by an admin (epoch ms) and why; null when not banned (migration 0015). */
  banned_at: Generated<number | null>;
  ban_reason: Generated<string | null>;
  /** Removed from every leaderboard by a moderator (epoch ms); null when not. */
  leaderboard_excluded_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export interface PetsTable {
  id: string;
  owner_id: string;
  name: string;
  species: string;
  stage: number;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  sick: number;
  /** Game seconds since birth at `last_snapshot_at`. */
  age_seconds: number;
  /** Healthy game seconds banked in the current stage at `last_snapshot_at`. */
  stage_seconds: number;
  feed_count: number;
  play_count: number;
  clean_count: number;
  heal_count: number;
  overfeed_count: number;
  /** JSON object: action → game seconds of cooldown left at `last_snapshot_at`. */
  cooldowns: string;
  care_mistakes: number;
  care_bonus: number;
  hunger_critical_s: number;
  mood_critical_s: number;
  cleanliness_critical_s: number;
  good_care_s: number;
  adult_form: number;
  /** Game clock until which a woken pet stays awake. */
  awake_until: number;
  /** Copy of the owner's UTC offset (quiet hours), kept in step by the player service. */
  utc_offset_minutes: number;
  /** Copy of the owner's planned offset change: the offset and its game clock (both null when none). */
  next_utc_offset_minutes: number | null;
  utc_offset_changes_at: number | null;
  /** The coat it wears: 'default' or a skin its owner holds. */
  skin: Generated<string>;
  /** The fence of the process that last loaded the owner; older writers' snapshots are refused. */
  writer_fence: Generated<number>;
  born_at: number;
  last_snapshot_at: number;
  created_at: number;
  updated_at: number;
}

interface FriendshipsTable {
  player_id: string;
  friend_id: string;
  created_at: number;
}

interface InventoryTable {
  player_id: string;
  item_id: string;
  quantity: number;
  updated_at: number;
}

export interface PetEventsTable {
  id: string;
  pet_id: string;
  owner_id: string;
  kind: string;
  stage: number | null;
  /** JSON object with event details. */
  data: string;
  game_clock: number;
  created_at: number;
}

export interface MinigameSessionsTable {
  id: string;
  player_id: string;
  pet_id: string;
  kind: string;
  seed: number;
  /** running, finished, abandoned */
  status: string;
  score: number;
  taps: number;
  suspicious: number;
  reward_coins: number;
  reward_points: number;
  reward_bonus: number;
  /** Day number of the owner's local game day the session started on (daily caps). */
  game_day: number;
  started_at: number;
  ended_at: number | null;
}

export type ImageStatus = 'queued' | 'running' | 'ready' | 'failed';

export interface PetImagesTable {
  id: string;
  pet_id: string;
  owner_id: string;
  stage: number;
  /** The adult form for adults (1–3), 0 otherwise. */
  variant: number;
  skin: string;
  seed: number;
  preset: string;
  image_key: string;
  status: ImageStatus;
  /** Failure reason code when failed. */
  reason: string | null;
  /** Which provider produced it: huggingface-primary, huggingface-fallback or procedural. */
  provider: string | null;
  model: string | null;
  mime: string | null;
  size_bytes: number | null;
  etag: string | null;
  /** The image bytes, base64: the source of truth. */
  image_b64: string | null;
  prompt: string;
  negative_prompt: string;
  /** system (pre-generation, stage changes) or player (regenerate, re-run). */
  requested_by: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  /** Hidden by a moderator (epoch ms), by whom and why; the bytes are kept for an appeal (migration 0018). */
  hidden_at: Generated<number | null>;
  hidden_by: Generated<string | null>;
  hidden_reason: Generated<string | null>;
}

export interface ImageExperimentsTable {
  id: string;
  image_id: string;
  attempt: number;
  provider: string;
  model: string;
  preset: string;
  prompt: string;
  negative_prompt: string;
  seed: number;
  duration_ms: number;
  /** ok, timeout, http_429, http_5xx, http_4xx, network, error */
  outcome: string;
  error: string | null;
  created_at: number;
}

export type LedgerAccountKind = 'wallet' | 'debt' | 'system';

interface LedgerAccountsTable {
  id: string;
  player_id: string | null;
  currency: string;
  kind: LedgerAccountKind;
  /** Kept in step with the entries for wallet and debt accounts; always 0 for system ones. */
  balance: number;
  created_at: number;
}

interface LedgerTransactionsTable {
  id: string;
  idempotency_key: string;
  reason: string;
  player_id: string | null;
  request_hash: string | null;
  /** JSON object with what the transaction was for. */
  meta: string;
  created_at: number;
}

interface LedgerEntriesTable {
  transaction_id: string;
  seq: number;
  account_id: string;
  currency: string;
  amount: number;
  balance_after: number | null;
}

export interface PurchasesTable {
  id: string;
  player_id: string;
  transaction_id: string;
  item_id: string;
  quantity: number;
  unit_price: number;
  total_price: number;
  currency: string;
  pet_stage: number;
  promotion_id: string | null;
  discount_percent: number;
  experiment_id: string;
  variant: string;
  quantity_after: number;
  created_at: number;
}

export interface PromotionsTable {
  id: string;
  title: string;
  item_id: string | null;
  kind_filter: string | null;
  discount_percent: number;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

type StarOrderStatus = 'pending' | 'paid' | 'refunded';

export interface StarOrdersTable {
  id: string;
  player_id: string;
  telegram_id: number;
  product_id: string;
  amount: number;
  currency: string;
  payload: string;
  invoice_link: string | null;
  status: StarOrderStatus;
  experiment_id: string;
  variant: string;
  charge_id: string | null;
  created_at: number;
  paid_at: number | null;
  refunded_at: number | null;
}

export interface StarPaymentsTable {
  charge_id: string;
  provider_charge_id: string | null;
  order_id: string | null;
  player_id: string | null;
  telegram_id: number;
  amount: number;
  currency: string;
  payload: string;
  update_id: number | null;
  transaction_id: string | null;
  refund_transaction_id: string | null;
  created_at: number;
  refunded_at: number | null;
}

interface ProgressEventsTable {
  id: string;
  player_id: string;
  kind: string;
  data: string;
  game_day: number;
  created_at: number;
}

export interface PlayerProgressTable {
  player_id: string;
  care_total: Generated<number>;
  games_finished: Generated<number>;
  best_treats_score: Generated<number>;
  coins_earned: Generated<number>;
  purchases: Generated<number>;
  max_stage: Generated<number>;
  radiant_adults: Generated<number>;
  daily_streak: Generated<number>;
  daily_best: Generated<number>;
  daily_last_day: Generated<number>;
  /** The player's skipped day numbers (eastward time zone moves) when `daily_last_day` counted. */
  daily_last_skipped: Generated<number>;
  freezes_used: Generated<number>;
  weekly_streak: Generated<number>;
  weekly_best: Generated<number>;
  weekly_last_week: Generated<number>;
  week: Generated<number>;
  week_days: Generated<number>;
  updated_at: number;
}

export interface PlayerQuestsTable {
  id: string;
  player_id: string;
  period: 'daily' | 'weekly';
  period_key: number;
  template_id: string;
  target: number;
  progress: number;
  reward_coins: number;
  completed_at: number | null;
  claimed_at: number | null;
  created_at: number;
}

interface PlayerAchievementsTable {
  player_id: string;
  achievement_id: string;
  awarded_at: number;
}

/** When a periodic job last started, and in which process (one run per interval across processes). */
interface JobRunsTable {
  name: string;
  last_started_at: number;
  holder: string;
}

/** The append-only event log (migration 0011). */
interface EventsTable {
  seq: Generated<number>;
  id: string;
  player_id: string | null;
  kind: string;
  /** JSON. */
  payload: string;
  created_at: number;
  /** Postgres: the appending transaction's id (relay order); SQLite: 0. */
  tx_id: Generated<number>;
  /** The player's UTC offset schedule when the event was appended (as in `players`); null without a player. */
  utc_offset_minutes: number | null;
  next_utc_offset_minutes: number | null;
  utc_offset_changes_at: number | null;
  utc_offset_last_day: number | null;
  utc_offset_skipped_days: number | null;
}

/** A consumer's position in the event log and the lease of the process delivering to it. */
interface EventCursorsTable {
  consumer: string;
  last_tx_id: number;
  last_seq: number;
  holder: string;
  lease_until: number;
  updated_at: number;
}

/** Events a consumer has applied (checked in its own transaction: each applied once). */
interface EventDeliveriesTable {
  consumer: string;
  event_id: string;
  delivered_at: number;
}

/** What a player allows the bot to send, and whether they are in the app (migration 0012). */
export interface NotifyPlayersTable {
  player_id: string;
  allowed: Generated<number>;
  muted: Generated<number>;
  /** JSON array of the switches turned off. */
  switches_off: Generated<string>;
  unreachable_at: number | null;
  present_until: Generated<number>;
  back_at: Generated<number>;
  updated_at: number;
}

/** The notification send ledger (migration 0012). */
export interface NotificationsTable {
  id: string;
  player_id: string;
  kind: string;
  pet_id: string | null;
  dedupe_key: string;
  detail: Generated<string>;
  due_at: number;
  /** pending, sending, sent, failed, unreachable, skipped, cancelled, lost. */
  status: string;
  reason: string | null;
  local_day: number | null;
  holder: string | null;
  lease_until: number | null;
  sent_at: number | null;
  message_id: number | null;
  created_at: number;
  updated_at: number;
}

/** UI events of the Mini App (migration 0013): a keyed hash of the player, never an id. */
export interface AnalyticsUiEventsTable {
  seq: Generated<number>;
  player_hash: string;
  type: string;
  screen: string | null;
  action: string | null;
  game: string | null;
  code: string | null;
  variant: string;
  created_at: number;
}

/** One row of aggregates per UTC day (migration 0013); JSON columns hold maps. */
export interface AnalyticsDailyTable {
  day: string;
  dau: number;
  wau: number;
  new_players: number;
  d1_returned: number;
  d7_returned: number;
  funnel_adopted: number;
  funnel_cared: number;
  funnel_minigame: number;
  funnel_purchased: number;
  stars_payments: number;
  stars_payers: number;
  stars_gross: number;
  stars_refunded: number;
  coins_earned: number;
  coins_spent: number;
  faucets: string;
  sinks: string;
  price_experiment: string;
  ui_events: string;
  final: number;
  computed_at: number;
}

export type AdminRole = 'admin' | 'moderator';

/** Admin accounts, refresh-token sessions and the audit log (migration 0015). */
export interface AdminAccountsTable {
  id: string;
  name: string;
  role: AdminRole;
  /** `scrypt$N$r$p$salt$hash` (server/auth/passwords.ts). */
  password_hash: string;
  disabled_at: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AdminSessionsTable {
  id: string;
  account_id: string;
  /** SHA-256 (hex) of the refresh token; the token itself is never stored. */
  token_hash: string;
  /** The session this one was rotated from. */
  parent_id: string | null;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

export interface AdminAuditTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  reason: string | null;
  /** JSON. */
  before: string | null;
  after: string | null;
  ip: string | null;
}

/** A player's score on a board in a period (migration 0016; ADR 0015). */
export interface LeaderboardScoresTable {
  board: string;
  /** 0: all-time; otherwise the UTC game week (shared/leaderboards.ts). */
  period_key: number;
  player_id: string;
  score: number;
  /** 1 while the player is banned or excluded from the boards. */
  hidden: Generated<number>;
  updated_at: number;
}

/** How many visible players have each score on a board in a period (migration 0016). */
export interface LeaderboardCountsTable {
  board: string;
  period_key: number;
  score: number;
  n: number;
}

export type ReportReason = 'name' | 'picture' | 'other';

/** A player's report of a friend's pet (migration 0018): once per reporter and pet. */
export interface PetReportsTable {
  id: string;
  pet_id: string;
  owner_id: string;
  reporter_id: string;
  reason: ReportReason;
  note: string | null;
  status: 'open' | 'resolved';
  /** dismissed, picture_hidden, picture_unhidden. */
  resolution: string | null;
  /** The admin account that resolved it. */
  resolved_by: string | null;
  resolved_at: number | null;
  created_at: number;
}

/** A name the word filter refused (migration 0018), capped per player and UTC day. */
export interface NameAttemptsTable {
  id: string;
  player_id: string;
  context: string;
  text: string;
  day: number;
  status: 'open' | 'resolved';
  resolved_by: string | null;
  resolved_at: number | null;
  created_at: number;
}

export type FraudFlagStatus = 'open' | 'cleared' | 'warned' | 'banned' | 'excluded';

/** Behaviour the game noticed (migration 0018): one open flag per player and kind. */
export interface FraudFlagsTable {
  id: string;
  player_id: string;
  kind: string;
  severity: 'low' | 'medium' | 'high';
  /** JSON (≤ 2 KiB): the latest evidence. */
  evidence: string;
  count: Generated<number>;
  status: FraudFlagStatus;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  last_seen_at: number;
  created_at: number;
}

/** A collection set's one-time reward, paid (migration 0019): one row per player and set. */
export interface CollectionClaimsTable {
  player_id: string;
  set_id: string;
  transaction_id: string;
  reward_coins: number;
  claimed_at: number;
}

export type ReferralStatus = 'pending' | 'rewarded' | 'capped' | 'void';

/** Who brought a new player, and whether their first adoption paid the reward (migration 0021). */
export interface ReferralsTable {
  referred_id: string;
  inviter_id: string;
  status: ReferralStatus;
  inviter_coins: Generated<number>;
  referred_coins: Generated<number>;
  created_at: number;
  decided_at: number | null;
}

/** A pet's public share code (migration 0020; ADR 0018): given on first share, stable. */
export interface PetShareCodesTable {
  pet_id: string;
  code: string;
  created_at: number;
}

export interface Database {
  players: PlayersTable;
  pets: PetsTable;
  friendships: FriendshipsTable;
  inventory: InventoryTable;
  pet_events: PetEventsTable;
  minigame_sessions: MinigameSessionsTable;
  pet_images: PetImagesTable;
  image_experiments: ImageExperimentsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  purchases: PurchasesTable;
  promotions: PromotionsTable;
  star_orders: StarOrdersTable;
  star_payments: StarPaymentsTable;
  progress_events: ProgressEventsTable;
  player_progress: PlayerProgressTable;
  player_quests: PlayerQuestsTable;
  player_achievements: PlayerAchievementsTable;
  job_runs: JobRunsTable;
  events: EventsTable;
  event_cursors: EventCursorsTable;
  event_deliveries: EventDeliveriesTable;
  notify_players: NotifyPlayersTable;
  notifications: NotificationsTable;
  analytics_ui_events: AnalyticsUiEventsTable;
  analytics_daily: AnalyticsDailyTable;
  admin_accounts: AdminAccountsTable;
  admin_sessions: AdminSessionsTable;
  admin_audit: AdminAuditTable;
  leaderboard_scores: LeaderboardScoresTable;
  leaderboard_counts: LeaderboardCountsTable;
  pet_reports: PetReportsTable;
  name_attempts: NameAttemptsTable;
  fraud_flags: FraudFlagsTable;
  collection_claims: CollectionClaimsTable;
  referrals: ReferralsTable;
  pet_share_codes: PetShareCodesTable;
}

export type { Generated };

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
  utc_offset_minutes: Generated<number>;
  coins: Generated<number>;
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
  born_at: number;
  last_snapshot_at: number;
  created_at: number;
  updated_at: number;
}

export interface FriendshipsTable {
  player_id: string;
  friend_id: string;
  created_at: number;
}

export interface InventoryTable {
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

export interface Database {
  players: PlayersTable;
  pets: PetsTable;
  friendships: FriendshipsTable;
  inventory: InventoryTable;
  pet_events: PetEventsTable;
  minigame_sessions: MinigameSessionsTable;
  pet_images: PetImagesTable;
  image_experiments: ImageExperimentsTable;
}

export type { Generated };

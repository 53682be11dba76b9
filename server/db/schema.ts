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

export interface Database {
  players: PlayersTable;
  pets: PetsTable;
  friendships: FriendshipsTable;
}

export type { Generated };

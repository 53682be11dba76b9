/**
 * The keyed hash that stands for a player in analytics: HMAC-SHA256 of the player's id (the
 * internal UUID, never the Telegram id), hex. Without the key a hash cannot be tied to a
 * player; with it, the same player always gets the same hash (so days and files join up).
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';

/** The dev default: fixed, so hashes stay the same across restarts; not a secret. */
const DEV_KEY = 'telepets-dev-analytics-hash-key-not-secret';

/**
 * ANALYTICS_HASH_KEY when set; else a key derived from the bot token (a secret the server
 * has anyway; a new token changes every hash); else, in dev sign-in mode, a fixed dev key.
 */
export function analyticsHashKey(config: Pick<Config, 'analytics' | 'telegram'>): { key: Buffer; source: 'configured' | 'bot-token' | 'dev' } {
  if (config.analytics.hashKey !== null) return { key: Buffer.from(config.analytics.hashKey, 'utf8'), source: 'configured' };
  if (config.telegram.botToken !== null) {
    return { key: createHmac('sha256', config.telegram.botToken).update('telepets analytics player hash v1').digest(), source: 'bot-token' };
  }
  return { key: Buffer.from(DEV_KEY, 'utf8'), source: 'dev' };
}

export type PlayerHasher = (playerId: string) => string;

export function playerHasher(key: Buffer): PlayerHasher {
  return (playerId) => createHmac('sha256', key).update(playerId, 'utf8').digest('hex');
}

/** Minimal stored rows (a player, a pet) for tests that talk to a repository directly. */
import type { PetRow } from '../../server/repositories/pets-repository.js';
import { TEST_START_MS } from './clock.js';

const NOW = TEST_START_MS;

export function playerRow(id: string, telegramId: number) {
  return {
    id, telegram_id: telegramId, first_name: id, last_name: null, username: null, language_code: 'en',
    invite_code: `INV${telegramId}`.padEnd(8, '0'), created_at: NOW, updated_at: NOW,
  };
}

export function petRow(id: string, ownerId: string): PetRow {
  return {
    id, owner_id: ownerId, name: id, species: 'cat', stage: 1, hunger: 50, mood: 50, cleanliness: 50, health: 100, sick: 0,
    age_seconds: 0, stage_seconds: 0, feed_count: 0, play_count: 0, clean_count: 0, heal_count: 0, overfeed_count: 0,
    cooldowns: '{}', care_mistakes: 0, care_bonus: 0, hunger_critical_s: 0, mood_critical_s: 0, cleanliness_critical_s: 0,
    good_care_s: 0, adult_form: 0, awake_until: 0, utc_offset_minutes: 0, next_utc_offset_minutes: null, utc_offset_changes_at: null,
    skin: 'default', born_at: NOW, last_snapshot_at: NOW, created_at: NOW, updated_at: NOW,
  };
}


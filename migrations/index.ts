/**
 * Every migration in order. Listed statically (not read from disk) so they run the same from
 * TypeScript sources and from the compiled build. Names sort in application order.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_pets_fillfactor.js';
import * as m0003 from './0003_life_inventory_games.js';
import * as m0004 from './0004_pet_images.js';
import * as m0005 from './0005_economy.js';
import * as m0006 from './0006_progression.js';
import * as m0007 from './0007_pet_skins.js';
import * as m0008 from './0008_job_runs.js';
import * as m0009 from './0009_utc_offset_changes.js';
import * as m0010 from './0010_pet_writer_fence.js';
import * as m0011 from './0011_event_log.js';
import * as m0012 from './0012_notifications.js';
import * as m0013 from './0013_analytics.js';
import * as m0014 from './0014_event_utc_offset.js';
import * as m0015 from './0015_admin.js';
import * as m0016 from './0016_leaderboards.js';
import * as m0017 from './0017_admin_players.js';
import * as m0018 from './0018_moderation.js';
import * as m0019 from './0019_collections.js';
import * as m0020 from './0020_share_codes.js';
import * as m0021 from './0021_referrals.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_pets_fillfactor': m0002,
  '0003_life_inventory_games': m0003,
  '0004_pet_images': m0004,
  '0005_economy': m0005,
  '0006_progression': m0006,
  '0007_pet_skins': m0007,
  '0008_job_runs': m0008,
  '0009_utc_offset_changes': m0009,
  '0010_pet_writer_fence': m0010,
  '0011_event_log': m0011,
  '0012_notifications': m0012,
  '0013_analytics': m0013,
  '0014_event_utc_offset': m0014,
  '0015_admin': m0015,
  '0016_leaderboards': m0016,
  '0017_admin_players': m0017,
  '0018_moderation': m0018,
  '0019_collections': m0019,
  '0020_share_codes': m0020,
  '0021_referrals': m0021,
};

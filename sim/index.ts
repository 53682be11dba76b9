/** The pet simulation's public surface: what the server, benches and tests use. */
export {
  advance,
  allGood,
  emptyStats,
  forecast,
  healthRatePerSecond,
  inQuietHours,
  isAsleep,
  isGrowing,
  localTimeOfDay,
  mostCriticalMeter,
  normalizeStats,
  secondsToNextStage,
  stageDurationSeconds,
  type Forecast,
  type LifeEvent,
  type PetStats,
} from './rules.js';
export { addPet, createPetWorld, readStats, removePet, type PetWorld } from './world.js';
export {
  applyCare,
  applyCareToStats,
  careCount,
  commitCare,
  cooldownRemaining,
  previewCare,
  rewardPet,
  setUtcOffset,
  wakePet,
  wakeStats,
  type CareResult,
  type PetUtcOffset,
} from './care.js';
export { tickWorld } from './tick.js';

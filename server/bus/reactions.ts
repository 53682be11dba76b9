/**
 * What the game does about owner events, once, in the process that published them: a pet in
 * a new coat or at a new stage needs its picture; growing up and good care count for quests
 * and achievements.
 */
import type { ImageService } from '../services/image-service.js';
import type { ProgressService } from '../services/progress-service.js';
import type { OwnerBus } from './owner-bus.js';

export function reactToOwnerEvents(bus: OwnerBus, deps: { images: ImageService; progress: ProgressService }): void {
  bus.react('skin_changed', (_ownerId, event) => deps.images.stageChanged(event.petId));
  // Keys make replays (a catch-up after a restart) count once: a stage once per pet, six
  // hours of good care once per pet and game day (all the daily quest needs).
  bus.react('stage_changed', (ownerId, event) => {
    deps.images.stageChanged(event.petId);
    void deps.progress.recordSafely(ownerId, {
      kind: 'stage',
      key: `${event.petId}:${event.to}`,
      stage: event.to,
      adultForm: Math.max(0, event.adultForm),
    });
  });
  bus.react('care_bonus', (ownerId, event) => {
    void deps.progress.recordSafely(ownerId, { kind: 'good_care', key: `${event.petId}:${event.day}` });
  });
}

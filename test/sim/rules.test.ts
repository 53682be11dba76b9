import assert from 'node:assert/strict';
import {
  CARE_MISTAKE_GRACE_S,
  CRITICAL_THRESHOLD,
  GOOD_CARE_STREAK_S,
  ITEMS,
  SICK_DECAY_MULTIPLIER,
  SLEEP_DECAY_MULTIPLIER,
  SLEEP_END_S,
  SLEEP_START_S,
  DECAY_PER_HOUR,
  GOOD_THRESHOLD,
  HEALTH_GAIN_PER_HOUR,
  HEALTH_LOSS_PER_HOUR_PER_CRITICAL,
  OVERFEED_PENALTY,
  STAGE_DECAY_MULTIPLIER,
  STAGE_DURATION_S,
} from '../../shared/balance.js';
import { advance, applyCareToStats, emptyStats, mostCriticalMeter, secondsToNextStage, type LifeEvent, type PetStats } from '../../sim/index.js';

/** Noon UTC on a fixed day, so quiet hours (22:00–07:00 local) are far away by default. */
const NOON = 20_000 * 86400 + 12 * 3600;

const pet = (over: Partial<PetStats> = {}): PetStats => ({
  ...emptyStats(),
  stage: 2,
  hunger: 80,
  mood: 80,
  cleanliness: 80,
  health: 100,
  clock: NOON,
  ...over,
});

const HOUR = 3600;

describe('sim rules', () => {
  it('decays each care meter at its balance rate times the stage multiplier', () => {
    const s = advance(pet({ stage: 2 }), HOUR);
    const m = STAGE_DECAY_MULTIPLIER[2] ?? 1;
    assert.ok(Math.abs(s.hunger - (80 - DECAY_PER_HOUR.hunger * m)) < 1e-9);
    assert.ok(Math.abs(s.mood - (80 - DECAY_PER_HOUR.mood * m)) < 1e-9);
    assert.ok(Math.abs(s.cleanliness - (80 - DECAY_PER_HOUR.cleanliness * m)) < 1e-9);
  });

  it('never lets a care meter go below zero', () => {
    const s = advance(pet({ hunger: 1 }), 100 * HOUR);
    assert.equal(s.hunger, 0);
    assert.equal(s.mood, 0);
    assert.equal(s.cleanliness, 0);
  });

  it('loses health per critical meter and recovers while all meters are good', () => {
    const losing = advance(pet({ stage: 4, hunger: 10, mood: 90, cleanliness: 90, health: 50 }), 60);
    const expectedLoss = (HEALTH_LOSS_PER_HOUR_PER_CRITICAL / HOUR) * 60;
    assert.ok(Math.abs(losing.health - (50 - expectedLoss)) < 1e-9);

    const recovering = advance(pet({ stage: 4, hunger: 90, mood: 90, cleanliness: 90, health: 50 }), 60);
    assert.ok(Math.abs(recovering.health - (50 + (HEALTH_GAIN_PER_HOUR / HOUR) * 60)) < 1e-9);

    const neutral = advance(pet({ stage: 4, hunger: 40, mood: 90, cleanliness: 90, health: 50 }), 60);
    assert.equal(neutral.health, 50);
  });

  it('switches the health rate exactly when a meter becomes critical mid-interval', () => {
    const stage = 4;
    const rate = (DECAY_PER_HOUR.hunger * (STAGE_DECAY_MULTIPLIER[stage] ?? 1)) / HOUR;
    const start = CRITICAL_THRESHOLD + rate * 100; // critical after exactly 100 s
    const s = advance(pet({ stage, hunger: start, mood: 40, cleanliness: 40, health: 80 }), 160);
    const expected = 80 - (HEALTH_LOSS_PER_HOUR_PER_CRITICAL / HOUR) * 60;
    assert.ok(Math.abs(s.health - expected) < 1e-9, `health ${s.health} vs ${expected}`);
  });

  it('makes a pet sick at health zero and keeps it, without ever removing it', () => {
    const events: LifeEvent[] = [];
    const s = advance(pet({ hunger: 0, mood: 0, cleanliness: 0, health: 10 }), 1000 * HOUR, events);
    assert.ok(events.some((e) => e.kind === 'mistake'));
    assert.equal(s.health, 0);
    assert.equal(s.sick, true);
    assert.equal(events.filter((e) => e.kind === 'sick').length, 1);
    assert.equal(s.ageSeconds, 1000 * HOUR);
  });

  it('does not recover or grow while sick, even with perfect meters', () => {
    const s = advance(pet({ stage: 1, hunger: 100, mood: 100, cleanliness: 100, health: 0, sick: true }), HOUR);
    assert.equal(s.health, 0);
    assert.equal(s.stage, 1);
    assert.equal(s.stageSeconds, 0);
  });

  it('grows egg → baby after the egg duration of healthy time and reports the event', () => {
    const events: LifeEvent[] = [];
    const s = advance(pet({ stage: 0 }), (STAGE_DURATION_S[0] ?? 0) + 1, events);
    assert.equal(s.stage, 1);
    assert.ok(Math.abs(s.stageSeconds - 1) < 1e-9);
    assert.deepEqual(
      events.filter((e) => e.kind === 'stage').map((e) => e.kind === 'stage' && [e.from, e.to]),
      [[0, 1]],
    );
  });

  it('pauses growth while health is below the minimum', () => {
    const s = pet({ stage: 1, health: 30, hunger: 40, mood: 40, cleanliness: 40 });
    assert.equal(secondsToNextStage(s), null);
    const after = advance(s, HOUR);
    assert.equal(after.stageSeconds, 0);
    assert.equal(after.stage, 1);
  });

  it('reaches adult and stays adult', () => {
    const total = STAGE_DURATION_S.slice(0, 4).reduce((a, b) => a + b, 0);
    let s = pet({ stage: 0, hunger: 100, mood: 100, cleanliness: 100 });
    // Keep the pet cared for: feed, play and clean every 4 game hours.
    for (let t = 0; t < total + 8 * HOUR; t += 4 * HOUR) {
      s = advance(s, 4 * HOUR);
      s.hunger = 100;
      s.mood = 100;
      s.cleanliness = 100;
    }
    assert.equal(s.stage, 4);
    assert.equal(secondsToNextStage(s), null);
    assert.equal(s.adultForm, 1, 'well cared for: radiant');
  });

  it('feeds by the food given, with clamping, and reports what actually changed', () => {
    const s = pet({ hunger: 40, mood: 95 });
    const out = applyCareToStats(s, 'feed', 'fish');
    assert.equal(s.hunger, 40 + ITEMS.fish.delta.hunger);
    assert.equal(s.mood, 100);
    assert.deepEqual(out, { delta: { hunger: ITEMS.fish.delta.hunger, mood: 5 }, overfed: false });
    const cake = pet({ hunger: 40, mood: 40, health: 90 });
    applyCareToStats(cake, 'feed', 'cake');
    assert.deepEqual([cake.hunger, cake.mood, cake.health], [55, 55, 87]);
  });

  it('charges for overfeeding a full pet', () => {
    const s = pet({ hunger: 95, mood: 50, health: 80 });
    const out = applyCareToStats(s, 'feed', 'kibble');
    assert.equal(out.overfed, true);
    assert.equal(s.hunger, 100);
    assert.equal(s.health, 80 + (OVERFEED_PENALTY.health ?? 0));
    assert.equal(s.mood, 50 + ITEMS.kibble.delta.mood + (OVERFEED_PENALTY.mood ?? 0));
  });

  it('heal cures sickness', () => {
    const s = pet({ health: 0, sick: true });
    applyCareToStats(s, 'heal');
    assert.equal(s.sick, false);
    assert.equal(s.health, 35);
  });

  it('treats a meter exactly at the good threshold as not good', () => {
    const s = advance(pet({ stage: 4, hunger: GOOD_THRESHOLD, mood: 90, cleanliness: 90, health: 50 }), 60);
    assert.equal(s.health, 50);
  });

  it('sleeps through quiet hours in the owner\'s local time and decays slower', () => {
    // 23:00 UTC is 02:00 in Moscow (UTC+3): asleep. One hour later it is still night.
    const night = pet({ clock: 20_000 * 86400 + 23 * 3600, utcOffsetMinutes: 180, stage: 2 });
    const day = pet({ clock: NOON, utcOffsetMinutes: 180, stage: 2 });
    advance(night, HOUR);
    advance(day, HOUR);
    const rate = DECAY_PER_HOUR.hunger * (STAGE_DECAY_MULTIPLIER[2] ?? 1);
    assert.ok(Math.abs(80 - day.hunger - rate) < 1e-9);
    assert.ok(Math.abs(80 - night.hunger - rate * SLEEP_DECAY_MULTIPLIER) < 1e-9);
  });

  it('falls asleep at 22:00 and wakes at 07:00 local, reporting both', () => {
    const events: LifeEvent[] = [];
    const start = 20_000 * 86400 + 20 * 3600; // 20:00 UTC, offset 0
    const s = pet({ clock: start });
    advance(s, 12 * HOUR, events);
    const sleeps = events.filter((e) => e.kind === 'sleep');
    assert.deepEqual(
      sleeps.map((e) => e.kind === 'sleep' && [e.asleep, Math.round(e.atSeconds)]),
      [
        [true, SLEEP_START_S - 20 * 3600],
        [false, 24 * 3600 - 20 * 3600 + SLEEP_END_S],
      ],
    );
  });

  it("switches to the owner's new UTC offset exactly when the change takes effect, reporting the sleep it brings", () => {
    // 08:00 UTC at UTC+0 (awake); at 10:00 UTC it becomes midnight at UTC+14: asleep until 07:00 there.
    const start = 20_000 * 86400 + 8 * HOUR;
    const events: LifeEvent[] = [];
    const s = pet({ clock: start, utcOffsetMinutes: 0, nextUtcOffsetMinutes: 840, utcOffsetChangesAt: start + 2 * HOUR });
    advance(s, 12 * HOUR, events);
    assert.equal(s.utcOffsetMinutes, 840);
    assert.equal(s.utcOffsetChangesAt, Infinity);
    assert.deepEqual(
      events.filter((e) => e.kind === 'sleep').map((e) => e.kind === 'sleep' && [e.asleep, Math.round(e.atSeconds / 60)]),
      [
        [true, 120],
        [false, 120 + 7 * 60],
      ],
    );
  });

  it('decays faster while sick', () => {
    const s = pet({ stage: 2, sick: true, health: 0 });
    advance(s, HOUR);
    const rate = DECAY_PER_HOUR.mood * (STAGE_DECAY_MULTIPLIER[2] ?? 1) * SICK_DECAY_MULTIPLIER;
    assert.ok(Math.abs(80 - s.mood - rate) < 1e-9);
  });

  it('counts a care mistake for every grace period a meter stays critical while awake', () => {
    const events: LifeEvent[] = [];
    const s = pet({ stage: 4, hunger: CRITICAL_THRESHOLD, mood: 90, cleanliness: 90, health: 100 });
    advance(s, 2.5 * CARE_MISTAKE_GRACE_S, events);
    assert.equal(s.careMistakes, 2);
    assert.ok(Math.abs(s.hungerCriticalSeconds - 0.5 * CARE_MISTAKE_GRACE_S) < 1e-6);
    assert.deepEqual(events.filter((e) => e.kind === 'mistake').length, 2);
  });

  it('names the critical meter whose mistake timer is furthest along, none while none runs', () => {
    assert.deepEqual(mostCriticalMeter(pet()), { meter: null, seconds: 0 });
    const s = pet({ hunger: 10, mood: 90, cleanliness: 5 });
    advance(s, 60);
    assert.deepEqual(mostCriticalMeter(s), { meter: 'hunger', seconds: 60 });
    s.cleanlinessCriticalSeconds = 90;
    assert.deepEqual(mostCriticalMeter(s), { meter: 'cleanliness', seconds: 90 });
  });

  it('forgives critical meters during quiet hours', () => {
    const s = pet({ stage: 4, hunger: 10, clock: 20_000 * 86400 + 23 * 3600 });
    advance(s, 6 * HOUR); // 23:00 → 05:00, all asleep
    assert.equal(s.careMistakes, 0);
  });

  it('starts a new grace period when care lifts the meter out of critical', () => {
    const s = pet({ stage: 4, hunger: 10, mood: 90, cleanliness: 90 });
    advance(s, 0.9 * CARE_MISTAKE_GRACE_S);
    applyCareToStats(s, 'feed', 'fish');
    assert.equal(s.hungerCriticalSeconds, 0);
    assert.equal(s.careMistakes, 0);
  });

  it('offsets a mistake for every streak of good care', () => {
    const s = pet({ stage: 4, hunger: 100, mood: 100, cleanliness: 100 });
    advance(s, GOOD_CARE_STREAK_S + 60);
    assert.equal(s.careBonus, 1);
  });

  it('decides the adult form from net care mistakes when a teen grows up', () => {
    const forms = [0, 5, 20].map((mistakes) => {
      const teen = pet({ stage: 3, stageSeconds: (STAGE_DURATION_S[3] ?? 0) - 10, careMistakes: mistakes, hunger: 90, mood: 90, cleanliness: 90 });
      advance(teen, 20);
      return [teen.stage, teen.adultForm];
    });
    assert.deepEqual(forms, [
      [4, 1],
      [4, 2],
      [4, 3],
    ]);
  });
});

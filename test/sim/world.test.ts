import assert from 'node:assert/strict';
import { CARE_EFFECTS, STAGE_DURATION_S } from '../../shared/balance.js';
import {
  addPet,
  advance,
  applyCare,
  applyCareToStats,
  careCount,
  commitCare,
  cooldownRemaining,
  createPetWorld,
  emptyStats,
  previewCare,
  readStats,
  removePet,
  tickWorld,
  wakePet,
  type PetStats,
} from '../../sim/index.js';

const NOON = 20_000 * 86400 + 12 * 3600;

const base = (): PetStats => ({
  ...emptyStats(),
  stage: 0,
  hunger: 60,
  mood: 70,
  cleanliness: 80,
  health: 100,
  clock: NOON,
});

const newWorld = () => createPetWorld({ clockAtZero: NOON });

describe('pet world', () => {
  it('keeps components on the world: two worlds do not share state', () => {
    const a = newWorld();
    const b = newWorld();
    const ea = addPet(a, base());
    tickWorld(a, 3600);
    const eb = addPet(b, base());
    assert.notEqual(readStats(a, ea).hunger, readStats(b, eb).hunger);
    assert.notEqual(a.components, b.components);
  });

  it('grows its arrays past the initial capacity', () => {
    const world = createPetWorld({ capacity: 16, clockAtZero: NOON });
    const eids = Array.from({ length: 100 }, () => addPet(world, base()));
    tickWorld(world, 10);
    for (const eid of eids) assert.ok(readStats(world, eid).hunger < 60);
    assert.ok(world.capacity >= 100);
  });

  it('emits a stage event when a pet grows during a tick', () => {
    const world = newWorld();
    const eid = addPet(world, base());
    tickWorld(world, (STAGE_DURATION_S[0] ?? 0) + 5);
    assert.equal(readStats(world, eid).stage, 1);
    assert.deepEqual(
      world.events.map((e) => [e.eid, e.event.kind]),
      [[eid, 'stage']],
    );
  });

  it('applies care with a cooldown per action and per pet', () => {
    const world = newWorld();
    const a = addPet(world, base());
    const b = addPet(world, base());
    const first = applyCare(world, a, 'feed', 'kibble');
    assert.equal(first.ok, true);
    const again = applyCare(world, a, 'feed');
    assert.equal(again.ok, false);
    assert.ok(!again.ok && again.code === 'CARE_COOLDOWN' && Math.abs(again.retryInSeconds - CARE_EFFECTS.feed.cooldownS) < 1e-9);
    assert.equal(applyCare(world, a, 'play').ok, true);
    assert.equal(applyCare(world, b, 'feed').ok, true);
    tickWorld(world, CARE_EFFECTS.feed.cooldownS);
    assert.equal(cooldownRemaining(world, a, 'feed'), 0);
    assert.equal(applyCare(world, a, 'feed').ok, true);
  });

  it('previews care without changing the world, and commits exactly what it previewed', () => {
    const world = newWorld();
    const eid = addPet(world, { ...base(), hunger: 30 });
    tickWorld(world, 120);
    const before = readStats(world, eid);
    const after = emptyStats();
    const preview = previewCare(world, eid, 'feed', 'fish', after);
    assert.equal(preview.ok, true);
    assert.deepEqual(readStats(world, eid), before, 'the world is untouched');
    assert.equal(careCount(world, eid, 'feed'), 0);
    assert.equal(cooldownRemaining(world, eid, 'feed'), 0);
    const committed = commitCare(world, eid, 'feed', 'fish');
    assert.deepEqual(committed, preview);
    assert.deepEqual(readStats(world, eid), after);
    assert.equal(careCount(world, eid, 'feed'), 1);
    const again = previewCare(world, eid, 'feed', 'fish', emptyStats());
    assert.ok(!again.ok && again.code === 'CARE_COOLDOWN');
  });

  it('matches advance() after care changes the segment mid-way', () => {
    const world = newWorld();
    const eid = addPet(world, { ...base(), hunger: 25 });
    const expected = { ...base(), hunger: 25 };
    for (let i = 0; i < 30; i++) tickWorld(world, 60);
    advance(expected, 1800);
    applyCare(world, eid, 'feed', 'kibble');
    applyCareToStats(expected, 'feed', 'kibble');
    for (let i = 0; i < 30; i++) tickWorld(world, 60);
    advance(expected, 1800);
    const got = readStats(world, eid);
    for (const k of ['hunger', 'mood', 'cleanliness', 'health', 'ageSeconds', 'stageSeconds', 'hungerCriticalSeconds', 'clock'] as const) {
      assert.ok(Math.abs(got[k] - expected[k]) < 1e-6, `${k}: ${got[k]} vs ${expected[k]}`);
    }
  });

  it('stops ticking a removed pet and reuses nothing stale', () => {
    const world = newWorld();
    const eid = addPet(world, { ...base(), hunger: 21 });
    removePet(world, eid);
    tickWorld(world, 3600);
    const again = addPet(world, base());
    tickWorld(world, 1);
    assert.ok(Math.abs(readStats(world, again).hunger - (60 - (6 * 0.25) / 3600)) < 1e-9);
  });

  it('refuses care other than medicine while asleep, and wakes a pet at a cost in mood', () => {
    const night = createPetWorld({ clockAtZero: 20_000 * 86400 + 23 * 3600 });
    const eid = addPet(night, base());
    assert.deepEqual(applyCare(night, eid, 'feed', 'kibble'), { ok: false, code: 'PET_ASLEEP' });
    assert.equal(applyCare(night, eid, 'heal').ok, true);
    const moodBefore = readStats(night, eid).mood;
    const woke = wakePet(night, eid);
    assert.equal(woke.ok, true);
    assert.equal(readStats(night, eid).mood, moodBefore - 10);
    assert.equal(applyCare(night, eid, 'feed', 'kibble').ok, true);
    assert.deepEqual(wakePet(night, eid), { ok: false, code: 'NOT_ASLEEP' });
  });
});

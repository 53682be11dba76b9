import assert from 'node:assert/strict';
import { Encoder, schema } from '@colyseus/schema';
import {
  HOME_STATE_BUFFER_BYTES,
  matching,
  SyncedGameSchema,
  SyncedHomeSchema,
  SyncedPetSchema,
  SyncedTargetSchema,
} from '../../../server/rooms/home-state.js';
import { CARE_ACTIONS, ITEM_IDS, MAX_PETS_PER_PLAYER, PET_NAME_MAX_LENGTH } from '../../../shared/balance.js';
import type { SyncedTarget } from '../../../shared/room-state.js';

const TARGET_FIELDS = { id: 'string', kind: 'string', x: 'float32', y: 'float32', vx: 'float32', vy: 'float32', r: 'float32', dr: 'float32' } as const;

/**
 * Never called: `npm run typecheck` compiles it, and each `@ts-expect-error` fails the
 * typecheck if the drift below it ever stops being an error.
 */
function _driftsThatDoNotCompile(): void {
  const { dr: _dr, ...missingField } = TARGET_FIELDS;
  // @ts-expect-error a shared field the schema lacks
  matching<SyncedTarget>()(schema(missingField));
  // @ts-expect-error a schema field the shared type lacks
  matching<SyncedTarget>()(schema({ ...TARGET_FIELDS, spin: 'float32' }));
  // @ts-expect-error a field of another kind (a number where the shared type has a string union)
  matching<SyncedTarget>()(schema({ ...TARGET_FIELDS, kind: 'uint8' }));
}

describe('home room schema', () => {
  it('is the class it was built from, checked against the shared type at compile time', () => {
    const Target = schema(TARGET_FIELDS, 'TargetCheck');
    assert.equal(matching<SyncedTarget>()(Target), Target);
    const target = new SyncedTargetSchema();
    target.kind = 'ball';
    assert.equal(target.toJSON().kind, 'ball');
  });

  it('encodes the largest home state within the buffer every room keeps', () => {
    const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const state = new SyncedHomeSchema();
    state.ownerId = uuid(0);
    // Profile names keep up to 64 characters, pet names 32: each a 4-byte character here.
    state.ownerName = '\u{1F600}'.repeat(64);
    state.ownerOnline = true;
    state.spectators = 65_535;
    state.serverTime = 1.7e12;
    state.coins = 4e9;
    for (const id of ITEM_IDS) state.inventory.set(id, 65_535);
    for (let i = 1; i <= MAX_PETS_PER_PLAYER; i++) {
      const pet = new SyncedPetSchema();
      Object.assign(pet, {
        id: uuid(i), name: '\u{1F600}'.repeat(PET_NAME_MAX_LENGTH), species: 'dragon', skin: 'skin-with-a-long-catalog-id', stage: 'teen',
        hunger: 1.5, mood: 2.5, cleanliness: 3.5, health: 4.5, sick: true, ageSeconds: 4e9, nextStageInSeconds: -2e9, asleep: true,
        adultForm: 'scholar', careMistakes: 65_535, careBonus: 65_535, criticalMeter: 'cleanliness', criticalSeconds: 4e9,
        imageUrl: `/api/v1/images/${uuid(100 + i)}`, imageStatus: 'generating',
      });
      for (const action of CARE_ACTIONS) pet.cooldowns.set(action, 4e9);
      state.pets.set(pet.id, pet);
    }
    const game = new SyncedGameSchema();
    Object.assign(game, { id: uuid(9), kind: 'bubbles', petId: uuid(1), status: 'running', startedAt: 1.7e12, endsAt: 1.7e12, sampledAt: 1.7e12, score: 4e9, combo: 65_535 });
    for (let i = 0; i < 20; i++) {
      const target = new SyncedTargetSchema();
      Object.assign(target, { id: String(1_000_000 + i), kind: 'bubble', x: 0.1, y: 0.2, vx: 0.3, vy: 0.4, r: 0.5, dr: 0.6 });
      game.targets.set(target.id, target);
    }
    state.game = game;
    assert.equal(Encoder.BUFFER_SIZE, HOME_STATE_BUFFER_BYTES);
    const encoder = new Encoder(state);
    const buffer = encoder.sharedBuffer;
    const bytes = encoder.encodeAll().length;
    assert.ok(bytes > 2_000 && bytes <= HOME_STATE_BUFFER_BYTES, `the largest home state encodes to ${bytes} bytes`);
    // Encoded in the room's own buffer: no overflow, no buffer grown.
    assert.equal(encoder.sharedBuffer, buffer);
  });
});

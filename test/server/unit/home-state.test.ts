import assert from 'node:assert/strict';
import { schema } from '@colyseus/schema';
import { matching, SyncedTargetSchema } from '../../../server/rooms/home-state.js';
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
});

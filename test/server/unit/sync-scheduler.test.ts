import assert from 'node:assert/strict';
import { pino } from 'pino';
import { SyncScheduler, syncPhases, type OwnerListener } from '../../../server/sim-host/sync-scheduler.js';

const logger = pino({ level: 'silent' });

/** Lets the scheduler drain: setImmediate turns until nothing is queued. */
async function drained(scheduler: SyncScheduler): Promise<void> {
  while (scheduler.pending > 0) await new Promise<void>((resolve) => setImmediate(resolve));
}

function counting(calls: Map<string, number>, name: string, onChange: () => void = () => undefined): OwnerListener {
  return {
    onChange: () => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      onChange();
    },
  };
}

describe('sync scheduler', () => {
  it('spreads rooms over up to ten phases, with the world ticking at most 20 times a second', () => {
    assert.equal(syncPhases(1), 10);
    assert.equal(syncPhases(0.1), 10);
    assert.equal(syncPhases(2), 10);
    assert.equal(syncPhases(4), 5);
    assert.equal(syncPhases(15), 1);
    assert.equal(syncPhases(20), 1);
    assert.equal(syncPhases(60), 1);
  });

  it('calls every listener once per round, after the current turn of the event loop', async () => {
    const scheduler = new SyncScheduler(logger);
    const calls = new Map<string, number>();
    scheduler.schedule([counting(calls, 'a'), counting(calls, 'b')]);
    assert.equal(calls.size, 0);
    assert.equal(scheduler.pending, 2);
    await drained(scheduler);
    assert.deepEqual([...calls], [['a', 1], ['b', 1]]);
  });

  it('syncs a listener still waiting from an earlier round once, and keeps the rest of that round', async () => {
    const scheduler = new SyncScheduler(logger);
    const calls = new Map<string, number>();
    const a = counting(calls, 'a');
    const b = counting(calls, 'b');
    const c = counting(calls, 'c');
    scheduler.schedule([a, b]);
    // A new round (another phase) arrives before the first one ran.
    scheduler.schedule([b, c]);
    assert.equal(scheduler.pending, 3);
    await drained(scheduler);
    assert.deepEqual([...calls], [['a', 1], ['b', 1], ['c', 1]]);
    scheduler.schedule([a]);
    await drained(scheduler);
    assert.equal(calls.get('a'), 2);
  });

  it('yields to the event loop between slices, and a listener that throws does not stop the others', async () => {
    const scheduler = new SyncScheduler(logger);
    const calls = new Map<string, number>();
    const busyUntil = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    let immediateRan = false;
    const listeners = [
      counting(calls, 'slow1', () => busyUntil(5)),
      { onChange: () => { throw new Error('broken room'); } },
      counting(calls, 'slow2', () => busyUntil(5)),
    ];
    scheduler.schedule(listeners);
    // Queued right after the first slice: it runs before the next slice, which the first
    // listener's 5 ms pushed out (a slice is at most 4 ms long).
    setImmediate(() => {
      immediateRan = calls.get('slow1') === 1 && calls.get('slow2') === undefined;
    });
    await drained(scheduler);
    assert.equal(calls.get('slow1'), 1);
    assert.equal(calls.get('slow2'), 1);
    assert.equal(immediateRan, true);
  });
});

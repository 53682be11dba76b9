import assert from 'node:assert/strict';
import type { UiEvent } from '../../../shared/analytics.js';
import { AnalyticsQueue, uiErrorCode, type AnalyticsTimers, type SendOutcome } from '../../../client/src/net/analytics.js';

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: AnalyticsTimers = {
    set: (callback, ms) => {
      pending.set(next, { callback, ms });
      return next++;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** The delays of the timers waiting. */
    delays: () => [...pending.values()].map((t) => t.ms),
    /** Fires every waiting timer once. */
    fire() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, t] of due) t.callback();
    },
  };
}

/** A transport that records what it was given and answers from `outcomes` (then `sent`). */
function recordingTransport(outcomes: SendOutcome[] = []) {
  const sent: Array<{ events: UiEvent[]; keepalive: boolean }> = [];
  return {
    sent,
    transport: {
      send(events: readonly UiEvent[], keepalive: boolean): Promise<SendOutcome> {
        sent.push({ events: [...events], keepalive });
        return Promise.resolve(outcomes.shift() ?? { outcome: 'sent' });
      },
    },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const ACTIONS = ['feed', 'play', 'clean', 'heal'] as const;
const tap = (n: number): UiEvent => ({ type: 'action_tap', action: ACTIONS[n % ACTIONS.length]! });

describe('client analytics queue (net/analytics.ts)', () => {
  it('waits for the flush timer, then sends what is queued in one batch', async () => {
    const clock = manualTimers();
    const { sent, transport } = recordingTransport();
    const queue = new AnalyticsQueue(transport, { flushMs: 5000, timers: clock.timers });
    queue.track({ type: 'screen_view', screen: 'home' });
    queue.track({ type: 'shop_opened' });
    assert.equal(sent.length, 0);
    assert.deepEqual(clock.delays(), [5000], 'one timer for both');
    clock.fire();
    await settle();
    assert.deepEqual(sent, [{ events: [{ type: 'screen_view', screen: 'home' }, { type: 'shop_opened' }], keepalive: false }]);
    assert.equal(queue.size, 0);
    assert.deepEqual(clock.delays(), [], 'nothing left, no timer');
  });

  it('sends a full batch at once and keeps batches within the maximum', async () => {
    const clock = manualTimers();
    const { sent, transport } = recordingTransport();
    const queue = new AnalyticsQueue(transport, { maxBatch: 3, timers: clock.timers });
    for (let i = 0; i < 7; i++) queue.track(tap(i));
    // 3 went when the batch filled, 3 more as soon as that request ended; 1 waits for the timer.
    await settle();
    await settle();
    assert.deepEqual(sent.map((s) => s.events.length), [3, 3]);
    clock.fire();
    await settle();
    assert.deepEqual(sent.map((s) => s.events.length), [3, 3, 1]);
    assert.deepEqual(sent.flatMap((s) => s.events), Array.from({ length: 7 }, (_, i) => tap(i)), 'in order, each once');
  });

  it('keeps at most the cap, dropping the oldest', () => {
    const clock = manualTimers();
    const { transport } = recordingTransport();
    const queue = new AnalyticsQueue(transport, { maxQueue: 5, maxBatch: 50, timers: clock.timers });
    for (let i = 0; i < 8; i++) queue.track(tap(i));
    assert.equal(queue.size, 5);
    assert.equal(queue.dropped, 3);
  });

  it('puts a batch that may succeed later back at the front, and waits as long as the server asked', async () => {
    const clock = manualTimers();
    const { sent, transport } = recordingTransport([{ outcome: 'retry', afterMs: 30_000 }]);
    const queue = new AnalyticsQueue(transport, { flushMs: 5000, timers: clock.timers });
    queue.track(tap(0));
    clock.fire();
    await settle();
    queue.track(tap(1));
    await settle();
    assert.equal(sent.length, 1);
    assert.deepEqual(clock.delays(), [30_000]);
    clock.fire();
    await settle();
    assert.deepEqual(sent[1]?.events, [tap(0), tap(1)], 'the failed batch first');
    assert.equal(queue.size, 0);
  });

  it('drops a batch the server refused as invalid', async () => {
    const clock = manualTimers();
    const { sent, transport } = recordingTransport([{ outcome: 'drop' }]);
    const queue = new AnalyticsQueue(transport, { timers: clock.timers });
    queue.track(tap(0));
    clock.fire();
    await settle();
    assert.equal(sent.length, 1);
    assert.equal(queue.size, 0);
    assert.equal(queue.dropped, 1);
  });

  it('sends everything with keepalive, in batches, when the app is hidden', async () => {
    const clock = manualTimers();
    const { sent, transport } = recordingTransport();
    const queue = new AnalyticsQueue(transport, { maxQueue: 200, timers: clock.timers });
    // The first 50 leave at once; the next 70 wait behind that request.
    for (let i = 0; i < 120; i++) queue.track(tap(i));
    assert.equal(queue.size, 70);
    queue.flushOnHide();
    await settle();
    assert.deepEqual(sent.map((s) => [s.events.length, s.keepalive]), [[50, false], [50, true], [20, true]]);
    assert.deepEqual(sent.flatMap((s) => s.events), Array.from({ length: 120 }, (_, i) => tap(i)));
    assert.deepEqual(clock.delays(), [], 'nothing left to send');
  });

  it('maps error codes it cannot name to UNKNOWN', () => {
    assert.equal(uiErrorCode('CARE_COOLDOWN'), 'CARE_COOLDOWN');
    assert.equal(uiErrorCode('NETWORK'), 'NETWORK');
    assert.equal(uiErrorCode('something else'), 'UNKNOWN');
  });
});

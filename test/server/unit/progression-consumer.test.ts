import assert from 'node:assert/strict';
import { progressEventOf, progressionConsumer } from '../../../server/events/progression-consumer.js';
import type { StoredEvent } from '../../../server/repositories/events-repository.js';
import { fixedSchedule, type UtcOffsetSchedule } from '../../../shared/local-day.js';
import type { ProgressEvent } from '../../../shared/progression.js';

let seq = 0;
const stored = (kind: string, payload: Record<string, unknown>, playerId: string | null = 'p1', schedule: UtcOffsetSchedule | null = null): StoredEvent => ({
  seq: ++seq,
  txId: 0,
  id: `event-${seq}`,
  playerId,
  kind,
  payload,
  at: 0,
  schedule,
});

describe('progression consumer', () => {
  it('turns log events into progress events keyed by what they describe', () => {
    const care = stored('care', { petId: 'pet', action: 'play', itemId: 'ball' });
    assert.deepEqual(progressEventOf(care), { kind: 'care', key: care.id, action: 'play' });
    assert.deepEqual(progressEventOf(stored('adopt', { petId: 'pet-1', species: 'cat' })), { kind: 'adopt', key: 'pet-1' });
    assert.deepEqual(progressEventOf(stored('purchase', { purchaseId: 'buy-1', itemId: 'kibble', quantity: 1, coins: 5, promotionId: null, variant: 'a' })), {
      kind: 'purchase',
      key: 'buy-1',
    });
    assert.deepEqual(progressEventOf(stored('payment', { chargeId: 'c', orderId: 'o-1', productId: 'coins_250', stars: 50, currency: 'XTR', coins: 250, matched: true })), {
      kind: 'purchase',
      key: 'stars:o-1',
    });
    const round = { sessionId: 's-1', game: 'treats', score: 12, coins: 12, meterPoints: 20, suspicious: false };
    assert.deepEqual(progressEventOf(stored('minigame', { ...round, status: 'finished' })), { kind: 'game', key: 's-1', game: 'treats', score: 12, coins: 12 });
  });

  it('leaves out what is not progress: abandoned rounds, unmatched payments, refunds, friendships', () => {
    assert.equal(progressEventOf(stored('minigame', { sessionId: 's', game: 'ball', status: 'abandoned', score: 0, coins: 0, meterPoints: 0, suspicious: false })), null);
    assert.equal(progressEventOf(stored('payment', { chargeId: 'c', orderId: null, productId: null, stars: 50, currency: 'XTR', coins: 0, matched: false })), null);
    assert.equal(progressEventOf(stored('refund', { chargeId: 'c', orderId: 'o', by: 'admin', stars: 50, coinsTaken: 0, debtAdded: 0 })), null);
    assert.equal(progressEventOf(stored('friend', { friendId: 'p2' })), null);
  });

  it('records a batch in log order, for the player of each event, with the offset schedule stored with it', async () => {
    const recorded: Array<[string, ProgressEvent, number, UtcOffsetSchedule | null]> = [];
    const consumer = progressionConsumer({ record: (playerId, event, atMs, schedule) => Promise.resolve(void recorded.push([playerId, event, atMs, schedule])) });
    const utcPlus14 = fixedSchedule(840);
    await consumer.handle([
      stored('adopt', { petId: 'a', species: 'cat' }, 'p1', utcPlus14),
      stored('friend', { friendId: 'p1' }, 'p2'),
      stored('purchase', { purchaseId: 'b', itemId: 'kibble', quantity: 1, coins: 5, promotionId: null, variant: 'a' }, 'p2'),
      stored('adopt', { petId: 'c', species: 'cat' }, null),
    ]);
    assert.deepEqual(recorded, [
      ['p1', { kind: 'adopt', key: 'a' }, 0, utcPlus14],
      ['p2', { kind: 'purchase', key: 'b' }, 0, null],
    ]);
  });

  it('applies different players side by side, and each player\'s events one after another in log order', async () => {
    const started: string[] = [];
    const running = new Map<string, number>();
    let overlapped = false;
    const consumer = progressionConsumer(
      {
        async record(playerId, event) {
          assert.equal(running.get(playerId) ?? 0, 0, 'one event of a player at a time');
          running.set(playerId, 1);
          if ([...running.values()].filter((n) => n > 0).length > 1) overlapped = true;
          started.push(`${playerId}:${event.key}`);
          await new Promise<void>((resolve) => setTimeout(resolve, 5));
          running.set(playerId, 0);
        },
      },
      4,
    );
    const purchase = (playerId: string, key: string) => stored('purchase', { purchaseId: key, itemId: 'kibble', quantity: 1, coins: 5, promotionId: null, variant: 'a' }, playerId);
    await consumer.handle([purchase('p1', 'a1'), purchase('p2', 'b1'), purchase('p1', 'a2'), purchase('p3', 'c1'), purchase('p1', 'a3')]);
    assert.equal(overlapped, true);
    assert.deepEqual(started.filter((s) => s.startsWith('p1:')), ['p1:a1', 'p1:a2', 'p1:a3']);
    assert.equal(started.length, 5);
  });
});

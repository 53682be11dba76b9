/**
 * Progression fed by the event log: care, adoptions, finished minigames and purchases (coins
 * and Stars) move streaks, quests and achievements here, after the action committed, instead
 * of inside the request that made it. Each event is recorded under a key made from the event
 * (the care's event id, the purchase's id, the round's id), and the progress service applies
 * a key once, so a batch delivered again changes nothing. Each counts on the player's local
 * day of the moment it happened, not of the moment it is applied. The owner still sees the toast
 * within a second: the relay polls every 250 ms and the progress service publishes its
 * notices on the owner bus.
 */
import type { ProgressEvent } from '../../shared/progression.js';
import type { StoredEvent } from '../repositories/events-repository.js';
import type { EventConsumer } from './relay.js';
import type { GameEventPayloads } from './event-kinds.js';

/** What records progress (the progress service). */
export interface ProgressRecorder {
  /** Records `event` on the player's local day of `atMs` (when it happened). */
  record(playerId: string, event: ProgressEvent, atMs: number): Promise<unknown>;
}

export const PROGRESSION_CONSUMER = 'progression';

/** The progress event a log event makes, if any (keys as the inline recording used them). */
export function progressEventOf(event: StoredEvent): ProgressEvent | null {
  switch (event.kind) {
    case 'care': {
      const p = event.payload as GameEventPayloads['care'];
      return { kind: 'care', key: event.id, action: p.action };
    }
    case 'adopt':
      return { kind: 'adopt', key: (event.payload as GameEventPayloads['adopt']).petId };
    case 'purchase':
      return { kind: 'purchase', key: (event.payload as GameEventPayloads['purchase']).purchaseId };
    case 'payment': {
      const p = event.payload as GameEventPayloads['payment'];
      return p.matched && p.orderId ? { kind: 'purchase', key: `stars:${p.orderId}` } : null;
    }
    case 'minigame': {
      const p = event.payload as GameEventPayloads['minigame'];
      return p.status === 'finished' ? { kind: 'game', key: p.sessionId, game: p.game, score: p.score, coins: p.coins } : null;
    }
    default:
      return null;
  }
}

export function progressionConsumer(progress: ProgressRecorder): EventConsumer {
  return {
    name: PROGRESSION_CONSUMER,
    async handle(batch) {
      // In log order: a player's streak counts days as they came.
      for (const event of batch) {
        const progressEvent = event.playerId === null ? null : progressEventOf(event);
        if (progressEvent && event.playerId !== null) await progress.record(event.playerId, progressEvent, event.at);
      }
    },
  };
}

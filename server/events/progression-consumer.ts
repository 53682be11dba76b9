/**
 * Progression fed by the event log: care, adoptions, finished minigames and purchases (coins
 * and Stars) move streaks, quests and achievements here, after the action committed, instead
 * of inside the request that made it. Each event is recorded under a key made from the event
 * (the care's event id, the purchase's id, the round's id), and the progress service applies
 * a key once, so a batch delivered again changes nothing. Each counts on the player's local
 * day of the moment it happened, from the player's UTC offset schedule stored with the event
 * (as it stood then), not of the moment it is applied. The owner still sees the toast
 * within a second: the relay polls every 250 ms and the progress service publishes its
 * notices on the owner bus.
 */
import type { UtcOffsetSchedule } from '../../shared/local-day.js';
import type { ProgressEvent } from '../../shared/progression.js';
import type { StoredEvent } from '../repositories/events-repository.js';
import type { EventConsumer } from './relay.js';
import type { GameEventPayloads } from './event-kinds.js';

/** What records progress (the progress service). */
export interface ProgressRecorder {
  /**
   * Records `event` on the player's local day of `atMs` (when it happened), by `schedule` (the
   * player's offset schedule then; null: as it stands now).
   */
  record(playerId: string, event: ProgressEvent, atMs: number, schedule: UtcOffsetSchedule | null): Promise<unknown>;
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

interface Queued {
  event: ProgressEvent;
  at: number;
  schedule: UtcOffsetSchedule | null;
}

/** Players whose events of one batch are applied at the same time (each player's in order). */
export const PROGRESSION_PARALLEL_PLAYERS = 8;

export function progressionConsumer(progress: ProgressRecorder, parallel = PROGRESSION_PARALLEL_PLAYERS): EventConsumer {
  return {
    name: PROGRESSION_CONSUMER,
    async handle(batch) {
      // Each player's events in log order (a streak counts days as they came); players side by side.
      const byPlayer = new Map<string, Queued[]>();
      for (const event of batch) {
        const progressEvent = event.playerId === null ? null : progressEventOf(event);
        if (!progressEvent || event.playerId === null) continue;
        let queue = byPlayer.get(event.playerId);
        if (!queue) byPlayer.set(event.playerId, (queue = []));
        queue.push({ event: progressEvent, at: event.at, schedule: event.schedule });
      }
      const players = [...byPlayer];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < players.length) {
          const [playerId, queue] = players[next++] as [string, Queued[]];
          for (const { event, at, schedule } of queue) await progress.record(playerId, event, at, schedule);
        }
      };
      // A failure fails the batch (it is delivered again; what was applied is skipped by its key).
      await Promise.all(Array.from({ length: Math.min(parallel, players.length) }, worker));
    },
  };
}

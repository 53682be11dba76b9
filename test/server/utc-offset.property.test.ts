import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { AppError } from '../../shared/errors.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { assertLedgerConsistent } from '../helpers/economy.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A fixed start; the game clock is real time (no clock offset, time scale 1). */
const START = Date.UTC(2031, 2, 12, 0, 0, 0);

type Step =
  | { kind: 'offset'; minutes: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'care' }
  | { kind: 'game' }
  | { kind: 'view' };

const offsetArb = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: offsetArb.map((minutes) => ({ kind: 'offset' as const, minutes })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 * 60 }).map((minutes) => ({ kind: 'wait' as const, ms: minutes * 60_000 })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'care' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'game' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'view' as const }) },
);

/** At most `max` distinct values among the samples of any window of `windowMs` (samples sorted by time). */
function assertPerWindow(samples: ReadonlyArray<{ at: number; value: number }>, windowMs: number, max: number, what: string): void {
  for (let i = 0; i < samples.length; i++) {
    const start = samples[i]!.at;
    const inWindow = new Set(samples.filter((x) => x.at >= start && x.at < start + windowMs).map((x) => x.value));
    assert.ok(inWindow.size <= max, `${what}: ${[...inWindow].join(', ')} within 24 h of ${new Date(start).toISOString()}`);
  }
}

/**
 * Whatever a player does with their time zone and whenever, no 24 real hours give them more
 * than the two days a player who never moves can touch (the end of one, the start of the
 * next), and a day once left never comes back: for the days seen by the progress view,
 * recorded progress, daily streak rewards, daily quests and minigame rounds.
 */
describeEachDialect('days across time zone changes (property)', (dialect) => {
  let s: TestServer;
  let now = START;
  let telegramId = 9_500_000 + dialect.length * 100_000;

  before(async () => {
    s = await startTestServer({ dialect, now: () => now, env: { SIM_CLOCK_OFFSET_S: '0' } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('gives no 24 hours more than two days, and never a day twice', async () => {
    await fc.assert(
      fc.asyncProperty(offsetArb, fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (firstOffset, steps) => {
        const user = { id: ++telegramId, firstName: 'Nomad' };
        assert.equal((await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: firstOffset })).status, 200);
        const playerId = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
        const petId = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Nomad', species: 'dog' })).body.id as string;
        await s.app.eventLog.relay.drain();
        const seen: Array<{ at: number; value: number }> = [];
        const look = async () => {
          const view = await s.api(user, 'GET', '/api/v1/progress');
          assert.equal(view.status, 200);
          seen.push({ at: now, value: view.body.day as number });
        };
        await look();
        for (const step of steps) {
          switch (step.kind) {
            case 'offset': {
              const res = await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: step.minutes });
              assert.equal(res.status, 200, JSON.stringify(res.body));
              break;
            }
            case 'wait':
              now += step.ms;
              s.app.sim.tick();
              break;
            case 'care':
              await s.app.progress.record(playerId, { kind: 'care', key: randomUUID(), action: 'feed' });
              break;
            case 'game': {
              await s.app.sim.touch(playerId);
              try {
                const game = await s.app.minigames.start(playerId, petId, 'treats');
                s.app.games.end(game, 'quit');
                await s.app.minigames.settled();
              } catch (err) {
                if (!(err instanceof AppError && err.code === 'PET_ASLEEP')) throw err;
              }
              break;
            }
            case 'view':
              break;
          }
          // What the step appended to the event log reaches progression before the next step,
          // as the relay does within its poll in the server.
          await s.app.eventLog.relay.drain();
          await look();
        }

        for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.value >= seen[i - 1]!.value, `day ${seen[i]!.value} after ${seen[i - 1]!.value}`);
        assertPerWindow(seen, DAY_MS, 2, 'days seen');
        const db = s.app.db.kysely;
        const events = await db.selectFrom('progress_events').select(['created_at', 'game_day']).where('player_id', '=', playerId).orderBy('created_at').execute();
        assertPerWindow(events.map((e) => ({ at: e.created_at, value: e.game_day })), DAY_MS, 2, 'progress days');
        const streaks = await db
          .selectFrom('ledger_transactions')
          .select(['created_at', 'idempotency_key'])
          .where('player_id', '=', playerId)
          .where('idempotency_key', 'like', 'streak:daily:%')
          .orderBy('created_at')
          .execute();
        assertPerWindow(streaks.map((r, i) => ({ at: r.created_at, value: i })), DAY_MS, 2, 'daily streak rewards');
        const quests = await db
          .selectFrom('player_quests')
          .select(['created_at', 'period_key'])
          .where('player_id', '=', playerId)
          .where('period', '=', 'daily')
          .orderBy('created_at')
          .execute();
        assertPerWindow(quests.map((q) => ({ at: q.created_at, value: q.period_key })), DAY_MS, 2, 'daily quest sets');
        const rounds = await db.selectFrom('minigame_sessions').select(['started_at', 'game_day']).where('player_id', '=', playerId).orderBy('started_at').execute();
        assertPerWindow(rounds.map((r) => ({ at: r.started_at, value: r.game_day })), DAY_MS, 2, 'minigame days');
        for (const r of rounds) {
          const day = [...seen].reverse().find((x) => x.at <= r.started_at);
          if (day) assert.ok(r.game_day >= day.value, 'a round counts in the day the player had');
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
    await assertLedgerConsistent(s.app.db.kysely);
  });
});

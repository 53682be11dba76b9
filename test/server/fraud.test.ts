/**
 * The anti-fraud review (docs/moderation.md): each source raises a flag (end to end where it
 * is cheap, through the service otherwise), one open flag per player and kind counts repeats,
 * and decisions are role-checked and audited in their transaction.
 */
import assert from 'node:assert/strict';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { FRAUD_THRESHOLDS, boundedEvidence, EVIDENCE_MAX_CHARS, type FraudService } from '../../server/services/fraud-service.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('anti-fraud flags and decisions', (dialect) => {
  let s: TestServer;
  let fraud: FraudService;
  let adminToken: string;
  let modToken: string;
  const ids: Record<string, string> = {};
  const user = (n: number) => ({ id: 7100 + n, firstName: `U${n}` });

  const as = (token: string, method: string, path: string, body?: unknown) => s.api(null, method, path, body, { authorization: `Bearer ${token}` });
  const flagsOf = async (playerId: string, kind: string) =>
    (await as(modToken, 'GET', `/admin/fraud/flags?playerId=${playerId}&kind=${kind}`)).body.items as any[];

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'bootstrap-pw', JWT_SECRET: 'f'.repeat(40), RATE_LIMIT_FRIEND_ADDS_MAX: '1' } });
    fraud = s.app.http.services.fraud;
    for (const n of [1, 2, 3]) ids[n] = (await s.api(user(n), 'GET', '/api/v1/me')).body.id;
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, s.now());
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: 'bootstrap-pw' })).body.token;
    modToken = (await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('flags a burst of new accounts from one address (end to end: every test user comes from 127.0.0.1)', async () => {
    // Three accounts exist from this address already; more than the threshold flags the burst.
    const extra = FRAUD_THRESHOLDS.ipBurst.max + 1 - 3;
    for (let i = 0; i < extra; i++) await s.api(user(10 + i), 'GET', '/api/v1/me');
    await fraud.settled();
    const flags = await flagsOf(ids[1]!, 'ip_burst');
    assert.equal(flags.length, 1);
    assert.equal(flags[0].evidence.accounts, FRAUD_THRESHOLDS.ipBurst.max + 1);
    assert.equal(flags[0].playerName, 'U1');
    assert.match(flags[0].evidence.ip, /127\.0\.0\.1/);
  });

  it('flags a player who keeps hitting rate limits (end to end), once, counting repeats', async () => {
    const me = user(2);
    // A friend-add budget of 1 per window: each window's first refusal counts once.
    for (let i = 0; i < 3; i++) await s.api(me, 'POST', '/api/v1/friends', { inviteCode: 'ZZZZ9999' });
    await fraud.settled();
    assert.equal((await flagsOf(ids[2]!, 'rate_limited')).length, 0, 'one refusal per window counts');
    for (let i = 0; i < FRAUD_THRESHOLDS.rateLimited.min; i++) fraud.observeRateLimited(ids[2]!, 'friend-adds');
    await fraud.settled();
    const flags = await flagsOf(ids[2]!, 'rate_limited');
    assert.equal(flags.length, 1);
    assert.ok(flags[0].count >= 1);
    assert.ok(flags[0].evidence.hits >= FRAUD_THRESHOLDS.rateLimited.min);
  });

  it('flags minigame anomalies, time zone hopping, refunds and payment mismatches; one open flag per player and kind', async () => {
    const p = ids[3]!;
    fraud.observeMinigame(p, { gameId: 'g1', kind: 'catch', score: 99, taps: 400, suspicious: 2 });
    fraud.observeMinigame(p, { gameId: 'g2', kind: 'catch', score: 99, taps: 400, suspicious: 0 });
    fraud.observeMinigame(p, { gameId: 'g3', kind: 'catch', score: 99, taps: 400, suspicious: 1 });
    await fraud.settled();
    const games = await flagsOf(p, 'minigame_anomaly');
    assert.equal(games.length, 1);
    assert.equal(games[0].count, 2, 'the second anomalous round counts on the same flag');
    assert.equal(games[0].evidence.gameId, 'g3', 'the latest evidence');

    for (let i = 0; i < FRAUD_THRESHOLDS.utcOffsetChanges.max; i++) fraud.observeUtcOffsetChange(p, 0, 60 * (i + 1));
    await fraud.settled();
    assert.equal((await flagsOf(p, 'utc_offset_changes')).length, 0, `${FRAUD_THRESHOLDS.utcOffsetChanges.max} changes are fine`);
    fraud.observeUtcOffsetChange(p, 180, 240);
    await fraud.settled();
    assert.equal((await flagsOf(p, 'utc_offset_changes'))[0].evidence.changes, FRAUD_THRESHOLDS.utcOffsetChanges.max + 1);

    const now = s.now();
    for (let i = 0; i < FRAUD_THRESHOLDS.refunds.min; i++) {
      await s.app.db.kysely
        .insertInto('star_payments')
        .values({
          charge_id: `charge-${i}`,
          provider_charge_id: null,
          order_id: null,
          player_id: p,
          telegram_id: 7103,
          amount: 50,
          currency: 'XTR',
          payload: 'x',
          update_id: null,
          transaction_id: null,
          refund_transaction_id: null,
          created_at: now - 1000,
          refunded_at: now - 500,
        })
        .execute();
      fraud.observeRefund(p, `charge-${i}`);
      await fraud.settled();
      assert.equal((await flagsOf(p, 'refunds')).length, i + 1 >= FRAUD_THRESHOLDS.refunds.min ? 1 : 0);
    }

    fraud.observeReconciliation([{ chargeId: 'charge-0', problem: 'amount_mismatch', telegramAmount: 40, localAmount: 50 }]);
    fraud.observePaymentMismatch(null, { chargeId: 'unknown' });
    await fraud.settled();
    const mismatch = await flagsOf(p, 'payment_mismatch');
    assert.deepEqual([mismatch.length, mismatch[0].evidence.problem, mismatch[0].severity], [1, 'amount_mismatch', 'high']);
  });

  it('flags anomalous rounds through the minigame service hook', async () => {
    s.app.minigames.onSuspicious?.(ids[1]!, { gameId: 'g9', kind: 'catch', score: 1, taps: 1, suspicious: 9 });
    await fraud.settled();
    assert.equal((await flagsOf(ids[1]!, 'minigame_anomaly'))[0].severity, 'high');
  });

  it('keeps evidence bounded', () => {
    const text = boundedEvidence({ blob: 'x'.repeat(10_000) });
    assert.ok(text.length <= EVIDENCE_MAX_CHARS);
    assert.equal(JSON.parse(text).truncated, true);
  });

  it('decides: clear and warn by moderators, ban only by admins (BanService), exclude sets leaderboard_excluded_at; each audited', async () => {
    const [game] = await flagsOf(ids[3]!, 'minigame_anomaly');
    const banByMod = await as(modToken, 'POST', `/admin/fraud/flags/${game.id}/decide`, { decision: 'ban', reason: 'cheating' });
    assert.deepEqual([banByMod.status, banByMod.body.error.code], [403, 'ADMIN_ROLE_REQUIRED']);

    const cleared = await as(modToken, 'POST', `/admin/fraud/flags/${game.id}/decide`, { decision: 'clear', reason: 'a fast player' });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual([cleared.body.flag.status, cleared.body.flag.decisionReason, cleared.body.messaged], ['cleared', 'a fast player', false]);
    assert.equal((await as(modToken, 'POST', `/admin/fraud/flags/${game.id}/decide`, { decision: 'warn', reason: 'again' })).body.error.code, 'FLAG_DECIDED');
    // A new sighting after a decision opens a new flag.
    fraud.observeMinigame(ids[3]!, { gameId: 'g4', kind: 'catch', score: 99, taps: 400, suspicious: 1 });
    await fraud.settled();
    assert.equal((await flagsOf(ids[3]!, 'minigame_anomaly'))[0].count, 1);

    const [tz] = await flagsOf(ids[3]!, 'utc_offset_changes');
    const warned = await as(modToken, 'POST', `/admin/fraud/flags/${tz.id}/decide`, { decision: 'warn', reason: 'time zone hopping' });
    assert.equal(warned.body.flag.status, 'warned');
    assert.equal(typeof warned.body.messaged, 'boolean');

    const [refunds] = await flagsOf(ids[3]!, 'refunds');
    const excluded = await as(modToken, 'POST', `/admin/fraud/flags/${refunds.id}/decide`, { decision: 'exclude', reason: 'refund abuse' });
    assert.equal(excluded.body.flag.status, 'excluded');
    const row = await s.app.db.kysely.selectFrom('players').select('leaderboard_excluded_at').where('id', '=', ids[3]!).executeTakeFirstOrThrow();
    assert.ok(row.leaderboard_excluded_at !== null);

    const [mismatch] = await flagsOf(ids[3]!, 'payment_mismatch');
    const banned = await as(adminToken, 'POST', `/admin/fraud/flags/${mismatch.id}/decide`, { decision: 'ban', reason: 'payment fraud' });
    assert.equal(banned.body.flag.status, 'banned');
    assert.equal((await s.api(user(3), 'GET', '/api/v1/me')).body.error.code, 'PLAYER_BANNED');

    const audit = async (targetId: string) => (await as(modToken, 'GET', `/admin/audit?targetId=${targetId}`)).body.items.map((e: any) => e.action);
    assert.deepEqual(await audit(game.id), ['fraud.clear']);
    assert.deepEqual(await audit(tz.id), ['fraud.warn']);
    assert.deepEqual(await audit(refunds.id), ['fraud.exclude']);
    assert.deepEqual(await audit(mismatch.id), ['fraud.ban']);
    assert.deepEqual(await audit(ids[3]!), ['player.ban', 'player.exclude_leaderboards']);
    const history = await as(modToken, 'GET', `/admin/fraud/flags?status=banned&playerId=${ids[3]}`);
    assert.equal(history.body.items[0].decidedBy !== null, true);
  });

  it('validates decisions and queries', async () => {
    const [flag] = await flagsOf(ids[1]!, 'ip_burst');
    for (const body of [{}, { decision: 'delete', reason: 'nope' }, { decision: 'clear' }, { decision: 'clear', reason: 'x' }, { decision: 'clear', reason: 'fine', more: 1 }]) {
      const res = await as(modToken, 'POST', `/admin/fraud/flags/${flag.id}/decide`, body);
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED', JSON.stringify(body));
    }
    assert.equal((await as(modToken, 'POST', '/admin/fraud/flags/00000000-0000-4000-8000-000000000000/decide', { decision: 'clear', reason: 'fine' })).body.error.code, 'FLAG_NOT_FOUND');
    assert.equal((await as(modToken, 'GET', '/admin/fraud/flags?kind=unknown')).status, 400);
    assert.equal((await as(modToken, 'GET', '/admin/fraud/flags?limit=0')).status, 400);
    assert.equal((await s.api(null, 'GET', '/admin/fraud/flags')).status, 401);
    const page = await as(modToken, 'GET', '/admin/fraud/flags?limit=1');
    assert.equal(page.body.items.length, 1);
    const next = await waitFor(async () => (await as(modToken, 'GET', `/admin/fraud/flags?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`)).body, 'the next page');
    assert.notEqual(next.items[0]?.id, page.body.items[0].id);
  });
});

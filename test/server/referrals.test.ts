/**
 * Referral rewards (docs/ECONOMY.md, "Referrals"; ADR 0019), end to end on both dialects: a
 * new player brought by a `ref_<inviteCode>` link is paid with their first adoption, once, and
 * so is the inviter; never an existing player, never twice (a second pet, concurrent
 * adoptions, replays); the cap per inviter; the anti-fraud flags; the inviter's open home.
 */
import assert from 'node:assert/strict';
import { MAX_PETS_PER_PLAYER, REFERRAL_CAP, REFERRAL_REWARD } from '../../shared/balance.js';
import { FRAUD_THRESHOLDS } from '../../server/services/fraud-service.js';
import { REFERRAL_REASON, referralKey, type ReferralService } from '../../server/services/referral-service.js';
import { appendEvents } from '../../server/repositories/events-repository.js';
import { PlayersRepository } from '../../server/repositories/players-repository.js';
import { walletAccount } from '../../server/repositories/ledger-repository.js';
import { assertLedgerConsistent, preAwardAchievements } from '../helpers/economy.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { joinHome, nextMessage, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';

const DAY_MS = 86_400_000;

describeEachDialect('referral rewards', (dialect) => {
  let s: TestServer;
  let telegramId = 9000;
  const db = () => s.app.db.kysely;
  const referrals = (): ReferralService => s.app.http.services.referrals;

  /** A new test user (a fresh Telegram id), optionally arriving through `ref_<code>`. */
  const newUser = (firstName: string, code?: string): TestUser => ({ id: ++telegramId, firstName, ...(code ? { startParam: `ref_${code}` } : {}) });

  /** Signs the user in (creating them on first sight) and marks every achievement awarded, so balances are exact. */
  async function signIn(user: TestUser): Promise<{ id: string; inviteCode: string }> {
    const me = await s.api(user, 'GET', '/api/v1/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    await preAwardAchievements(db(), me.body.id);
    return { id: me.body.id, inviteCode: me.body.inviteCode };
  }

  const adopt = (user: TestUser, name = 'Pip') => s.api(user, 'POST', '/api/v1/pets', { name, species: 'cat' });

  /** Coins in the player's wallet, and the referral transactions that paid them. */
  async function referralCoins(playerId: string): Promise<{ wallet: number; paid: number; rows: number }> {
    const wallet = (await s.app.http.services.ledger.balances(playerId)).wallet;
    const rows = await db()
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
      .select(['e.amount'])
      .where('e.account_id', '=', walletAccount(playerId))
      .where('t.reason', '=', REFERRAL_REASON)
      .execute();
    return { wallet, paid: rows.reduce((sum, r) => sum + Number(r.amount), 0), rows: rows.length };
  }

  const referralOf = (referredId: string) => db().selectFrom('referrals').selectAll().where('referred_id', '=', referredId).executeTakeFirst();
  const friends = async (a: string, b: string) =>
    (await db().selectFrom('friendships').select('player_id').where('player_id', '=', a).where('friend_id', '=', b).execute()).length === 1;
  const flagsOf = (playerId: string, kind: string) =>
    db().selectFrom('fraud_flags').selectAll().where('player_id', '=', playerId).where('kind', '=', kind).execute();

  before(async () => {
    s = await startTestServer({ dialect });
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('pays both players once with the new player’s first adoption; a second pet pays nothing', async () => {
    const annUser = newUser('Ann');
    const ann = await signIn(annUser);
    const cleoUser = newUser('Cleo', ann.inviteCode);
    const cleo = await signIn(cleoUser);
    assert.ok(await friends(ann.id, cleo.id), 'the link made them friends on first sight');
    assert.equal((await referralOf(cleo.id))?.status, 'pending');
    assert.deepEqual(await referralCoins(ann.id), { wallet: 0, paid: 0, rows: 0 }, 'nothing before the adoption');

    const first = await adopt(cleoUser);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(first.body.referralReward, { coins: REFERRAL_REWARD.referredCoins, friendName: 'Ann' });
    assert.deepEqual(await referralCoins(cleo.id), { wallet: REFERRAL_REWARD.referredCoins, paid: REFERRAL_REWARD.referredCoins, rows: 1 });
    assert.deepEqual(await referralCoins(ann.id), { wallet: REFERRAL_REWARD.inviterCoins, paid: REFERRAL_REWARD.inviterCoins, rows: 1 });
    const row = await referralOf(cleo.id);
    assert.deepEqual([row?.status, row?.inviter_coins, row?.referred_coins], ['rewarded', REFERRAL_REWARD.inviterCoins, REFERRAL_REWARD.referredCoins]);

    // The event log has it for both players, in the adoption's transaction.
    const events = await db().selectFrom('events').select(['player_id', 'payload']).where('kind', '=', 'referral').where('player_id', 'in', [ann.id, cleo.id]).execute();
    const payloads = events.map((e) => ({ playerId: e.player_id, ...JSON.parse(e.payload) })).sort((a, b) => a.role.localeCompare(b.role));
    assert.deepEqual(payloads, [
      { playerId: ann.id, referredId: cleo.id, inviterId: ann.id, role: 'inviter', status: 'rewarded', coins: REFERRAL_REWARD.inviterCoins },
      { playerId: cleo.id, referredId: cleo.id, inviterId: ann.id, role: 'referred', status: 'rewarded', coins: REFERRAL_REWARD.referredCoins },
    ]);

    const second = await adopt(cleoUser, 'Tom');
    assert.equal(second.status, 201);
    assert.equal(second.body.referralReward, undefined, 'a second pet pays nothing');
    assert.deepEqual(await referralCoins(cleo.id), { wallet: REFERRAL_REWARD.referredCoins, paid: REFERRAL_REWARD.referredCoins, rows: 1 });
    assert.deepEqual(await referralCoins(ann.id), { wallet: REFERRAL_REWARD.inviterCoins, paid: REFERRAL_REWARD.inviterCoins, rows: 1 });
    await assertLedgerConsistent(db());
  });

  it('an existing player arriving with a link, the player’s own code, an unknown code: nothing for anyone', async () => {
    const bea = await signIn(newUser('Bea'));
    const danUser = newUser('Dan');
    const dan = await signIn(danUser);
    // Dan exists; later he opens Bea's link (and his own): not a referral.
    const danViaLink: TestUser = { ...danUser, startParam: `ref_${bea.inviteCode}` };
    assert.equal((await s.api(danViaLink, 'GET', '/api/v1/me')).status, 200);
    const danOwn: TestUser = { ...danUser, startParam: `ref_${dan.inviteCode}` };
    assert.equal((await s.api(danOwn, 'GET', '/api/v1/me')).status, 200);
    assert.equal(await referralOf(dan.id), undefined);
    assert.equal(await friends(bea.id, dan.id), false);
    const res = await adopt(danViaLink);
    assert.equal(res.status, 201);
    assert.equal(res.body.referralReward, undefined);

    // A new player with a code nobody has.
    const ghostUser = newUser('Gil', 'ZZZZ9999');
    const ghost = await signIn(ghostUser);
    assert.equal(await referralOf(ghost.id), undefined);
    assert.equal((await adopt(ghostUser)).body.referralReward, undefined);

    // Recording a player as their own referral does nothing (and the table refuses it).
    await referrals().record(dan.id, dan.id);
    assert.equal(await referralOf(dan.id), undefined);
    await assert.rejects(
      db().insertInto('referrals').values({ referred_id: dan.id, inviter_id: dan.id, status: 'pending', created_at: s.now(), decided_at: null }).execute(),
    );

    for (const id of [bea.id, dan.id, ghost.id]) assert.deepEqual(await referralCoins(id), { wallet: 0, paid: 0, rows: 0 });
  });

  it('a banned inviter: no friendship, no referral; an inviter banned before the adoption: nobody paid', async () => {
    const bob = await signIn(newUser('Bob'));
    await db().updateTable('players').set({ banned_at: s.now(), ban_reason: 'test' }).where('id', '=', bob.id).execute();
    const eveUser = newUser('Eve', bob.inviteCode);
    const eve = await signIn(eveUser);
    assert.equal(await friends(bob.id, eve.id), false);
    assert.equal(await referralOf(eve.id), undefined);
    assert.equal((await adopt(eveUser)).body.referralReward, undefined);

    const kim = await signIn(newUser('Kim'));
    const lenUser = newUser('Len', kim.inviteCode);
    const len = await signIn(lenUser);
    assert.equal((await referralOf(len.id))?.status, 'pending');
    await db().updateTable('players').set({ banned_at: s.now(), ban_reason: 'test' }).where('id', '=', kim.id).execute();
    const res = await adopt(lenUser);
    assert.equal(res.status, 201);
    assert.equal(res.body.referralReward, undefined);
    assert.equal((await referralOf(len.id))?.status, 'void');
    for (const id of [bob.id, eve.id, kim.id, len.id]) assert.deepEqual(await referralCoins(id), { wallet: 0, paid: 0, rows: 0 });
    assert.equal((await db().selectFrom('events').select('id').where('kind', '=', 'referral').where('player_id', 'in', [kim.id, len.id]).execute()).length, 0);
  });

  it('ten adoptions at once and replays of the decision pay exactly once', async () => {
    const hal = await signIn(newUser('Hal'));
    const fayUser = newUser('Fay', hal.inviteCode);
    const fay = await signIn(fayUser);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => adopt(fayUser, `Pet${i}`)));
    const created = results.filter((r) => r.status === 201);
    assert.equal(created.length, MAX_PETS_PER_PLAYER);
    assert.ok(results.every((r) => r.status === 201 || r.body.error?.code === 'PET_LIMIT_REACHED'), JSON.stringify(results.map((r) => r.status)));
    assert.equal(created.filter((r) => r.body.referralReward !== undefined).length, 1, 'one adoption carries the reward');
    assert.deepEqual(await referralCoins(fay.id), { wallet: REFERRAL_REWARD.referredCoins, paid: REFERRAL_REWARD.referredCoins, rows: 1 });
    assert.deepEqual(await referralCoins(hal.id), { wallet: REFERRAL_REWARD.inviterCoins, paid: REFERRAL_REWARD.inviterCoins, rows: 1 });

    // Replays of the decision (a retried transaction, a redelivery): ten at once, nothing more.
    const replays = await Promise.all(
      Array.from({ length: 10 }, () => db().transaction().execute((trx) => referrals().decideInAdoption(trx, fay.id, s.now()))),
    );
    assert.deepEqual(replays, Array(10).fill(null));
    const keys = await db()
      .selectFrom('ledger_transactions')
      .select('idempotency_key')
      .where('idempotency_key', 'in', [referralKey(fay.id, 'inviter'), referralKey(fay.id, 'referred')])
      .execute();
    assert.equal(keys.length, 2);
    assert.deepEqual(await referralCoins(fay.id), { wallet: REFERRAL_REWARD.referredCoins, paid: REFERRAL_REWARD.referredCoins, rows: 1 });
    assert.deepEqual(await referralCoins(hal.id), { wallet: REFERRAL_REWARD.inviterCoins, paid: REFERRAL_REWARD.inviterCoins, rows: 1 });
    await assertLedgerConsistent(db());
  });

  it('ten decisions of one pending referral at once pay exactly once', async () => {
    const ida = await signIn(newUser('Ida'));
    const jo = await signIn(newUser('Jo', ida.inviteCode));
    const decided = await Promise.all(
      Array.from({ length: 10 }, () => db().transaction().execute((trx) => referrals().decideInAdoption(trx, jo.id, s.now()))),
    );
    assert.equal(decided.filter((d) => d !== null).length, 1);
    assert.deepEqual(await referralCoins(jo.id), { wallet: REFERRAL_REWARD.referredCoins, paid: REFERRAL_REWARD.referredCoins, rows: 1 });
    assert.deepEqual(await referralCoins(ida.id), { wallet: REFERRAL_REWARD.inviterCoins, paid: REFERRAL_REWARD.inviterCoins, rows: 1 });
    await assertLedgerConsistent(db());
  });

  it('caps the inviter’s rewards per window (friends still made, the new player still paid, a flag); the window slides', async () => {
    const maxUser = newUser('Max');
    const max = await signIn(maxUser);
    const brought: string[] = [];
    // Adoptions of friends Max brought, some at once: the cap holds under concurrency too.
    const users = Array.from({ length: REFERRAL_CAP.rewards + 2 }, (_, i) => newUser(`R${i}`, max.inviteCode));
    for (const u of users) brought.push((await signIn(u)).id);
    const adopted = await Promise.all(users.map((u) => adopt(u)));
    assert.ok(adopted.every((r) => r.status === 201));
    assert.ok(adopted.every((r) => r.body.referralReward?.coins === REFERRAL_REWARD.referredCoins), 'every new player is paid');
    const statuses = await db().selectFrom('referrals').select('status').where('inviter_id', '=', max.id).execute();
    assert.equal(statuses.filter((r) => r.status === 'rewarded').length, REFERRAL_CAP.rewards);
    assert.equal(statuses.filter((r) => r.status === 'capped').length, 2);
    assert.deepEqual(await referralCoins(max.id), {
      wallet: REFERRAL_CAP.rewards * REFERRAL_REWARD.inviterCoins,
      paid: REFERRAL_CAP.rewards * REFERRAL_REWARD.inviterCoins,
      rows: REFERRAL_CAP.rewards,
    });
    for (const id of brought) assert.ok(await friends(max.id, id), 'friends over the cap too');

    await s.app.http.services.fraud.settled();
    const cap = await flagsOf(max.id, 'referral_cap');
    assert.equal(cap.length, 1);
    assert.equal(cap[0]!.count, 2, 'each referral over the cap counts on the open flag');
    assert.equal(JSON.parse(cap[0]!.evidence).cap, REFERRAL_CAP.rewards);
    // Every test user comes from 127.0.0.1: more than the threshold of Max's referrals from one address.
    const address = await flagsOf(max.id, 'referral_address');
    assert.equal(address.length, 1);
    assert.equal(JSON.parse(address[0]!.evidence).accounts, users.length);
    assert.equal(address[0]!.count, users.length - FRAUD_THRESHOLDS.referralAddress.max);

    // The window slides: rewards decided more than windowDays ago no longer count.
    await db()
      .updateTable('referrals')
      .set({ decided_at: s.now() - REFERRAL_CAP.windowDays * DAY_MS - 1 })
      .where('inviter_id', '=', max.id)
      .where('status', '=', 'rewarded')
      .execute();
    const lateUser = newUser('Late', max.inviteCode);
    await signIn(lateUser);
    assert.equal((await adopt(lateUser)).status, 201);
    assert.equal((await referralCoins(max.id)).paid, (REFERRAL_CAP.rewards + 1) * REFERRAL_REWARD.inviterCoins);
    await assertLedgerConsistent(db());
  });

  it('flags an inviter whose referred accounts adopt and never come back', async () => {
    const gusUser = newUser('Gus');
    const gus = await signIn(gusUser);
    // Three referrals of Gus paid five days ago whose players appended nothing since (made
    // straight in the database: their sign-ins would be events of today).
    const repo = new PlayersRepository(db());
    const decidedAt = s.now() - 5 * DAY_MS;
    const churned: string[] = [];
    for (let i = 0; i < FRAUD_THRESHOLDS.referralChurn.min; i++) {
      const { row } = await repo.insertIfAbsent({ telegramId: ++telegramId, firstName: `Q${i}`, lastName: null, username: null, languageCode: 'en' }, decidedAt - 1000);
      await db()
        .insertInto('referrals')
        .values({ referred_id: row.id, inviter_id: gus.id, status: 'rewarded', inviter_coins: 100, referred_coins: 50, created_at: decidedAt - 1000, decided_at: decidedAt })
        .execute();
      churned.push(row.id);
    }
    // One more referral decided now reviews Gus.
    const newcomer = newUser('Nia', gus.inviteCode);
    await signIn(newcomer);
    assert.equal((await adopt(newcomer)).status, 201);
    await s.app.http.services.fraud.settled();
    const flags = await flagsOf(gus.id, 'referral_churn');
    assert.equal(flags.length, 1);
    const evidence = JSON.parse(flags[0]!.evidence);
    assert.equal(evidence.churned, churned.length);
    assert.deepEqual([...evidence.referredIds].sort(), [...churned].sort());

    // Referred players who came back (an event two days after the decision) are not churn:
    // two quiet ones of three stay under the threshold.
    const otto = await signIn(newUser('Otto'));
    for (let i = 0; i < FRAUD_THRESHOLDS.referralChurn.min; i++) {
      const { row } = await repo.insertIfAbsent({ telegramId: ++telegramId, firstName: `B${i}`, lastName: null, username: null, languageCode: 'en' }, decidedAt - 1000);
      await db()
        .insertInto('referrals')
        .values({ referred_id: row.id, inviter_id: otto.id, status: 'rewarded', inviter_coins: 100, referred_coins: 50, created_at: decidedAt - 1000, decided_at: decidedAt })
        .execute();
      if (i === 0) await appendEvents(db(), [{ kind: 'friend', playerId: row.id, at: decidedAt + 2 * DAY_MS, payload: { friendId: otto.id } }]);
    }
    const ottoNew = newUser('Pia', otto.inviteCode);
    await signIn(ottoNew);
    assert.equal((await adopt(ottoNew)).status, 201);
    await s.app.http.services.fraud.settled();
    assert.equal((await flagsOf(otto.id, 'referral_churn')).length, 0);
  });

  it('the inviter’s open home shows the new coins and a referral notice', async () => {
    const unaUser = newUser('Una');
    const una = await signIn(unaUser);
    assert.equal((await adopt(unaUser, 'Home')).status, 201);
    const room = await joinHome(s, unaUser);
    try {
      assert.equal(room.state.coins, 0);
      const notice = nextMessage<{ notices: unknown[] }>(room, 'progress');
      const vicUser = newUser('Vic', una.inviteCode);
      await signIn(vicUser);
      assert.equal((await adopt(vicUser)).status, 201);
      assert.deepEqual((await notice).notices, [{ kind: 'referral', friendName: 'Vic', rewardCoins: REFERRAL_REWARD.inviterCoins }]);
      await waitFor(() => room.state.coins === REFERRAL_REWARD.inviterCoins, 'the inviter’s coins in the room');
    } finally {
      await room.leave();
    }
  });
});

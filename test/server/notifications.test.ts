/**
 * Bot notifications against the fake Bot API, on both dialects: scheduled when the owner
 * leaves, cancelled when they come back, sent once with the rules (allowed, switches, in the
 * app, quiet hours, the daily cap), Telegram's answers (403 blocked, 429 retry_after, a slow
 * answer), at most once when a process dies while sending, and the bot's /start /stop /notify.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import type { NotificationKind } from '../../shared/notifications.js';
import { REFERRAL_REWARD } from '../../shared/balance.js';
import { appendEvents } from '../../server/repositories/events-repository.js';
import { NotificationsRepository } from '../../server/repositories/notifications-repository.js';
import { testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { joinHome, waitFor } from '../helpers/rooms.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';

const SECRET = 'webhook_secret_for_tests';

describeEachDialect('bot notifications', (dialect) => {
  let s: TestServer;
  let fake: FakeBotApi;
  let repo: NotificationsRepository;
  let apiRoot: string;
  let n = 0;

  before(async () => {
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    apiRoot = await fake.listen();
    s = await startTestServer({
      dialect,
      // The sender runs when a test asks (sendDue), so each test sees exactly its own sends.
      env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0', NOTIFY_POLL_MS: '600000', NOTIFY_DAILY_MAX: '3' },
    });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
    await waitFor(() => s.app.telegram()?.ready === true, 'the bot to be ready');
    repo = new NotificationsRepository(s.app.db.kysely);
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  const newPlayer = async (over: Partial<TestUser> = {}): Promise<{ user: TestUser; id: string }> => {
    const user: TestUser = { id: 700_000 + dialect.length * 1000 + ++n, allowsWriteToPm: true, ...over };
    const res = await s.api(user, 'GET', '/api/v1/me');
    assert.equal(res.status, 200);
    return { user, id: res.body.id as string };
  };

  /** A notification due now that is true whenever it is sent (no pet state behind it). */
  const scheduleNow = (playerId: string, kind: NotificationKind = 'friend_visit', detail: Record<string, number> = {}) =>
    repo.schedule([{ playerId, kind, petId: null, dedupeKey: `test:${randomUUID()}`, dueAt: s.now() - 1, detail }], s.now());

  const rows = (playerId: string) => repo.ofPlayer(playerId);
  const sendsTo = (chatId: number) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chatId && c.ok);

  it('sends a due notification once, in the player’s language, with a button that opens the Mini App', async () => {
    const { user, id } = await newPlayer({ languageCode: 'ru' });
    await scheduleNow(id, 'refund', { stars: 50 });
    assert.equal(await s.app.notifications.sendDue(), 1);
    assert.equal(await s.app.notifications.sendDue(), 0);
    const sends = sendsTo(user.id);
    assert.equal(sends.length, 1);
    const params = sends[0]?.params as { text: string; reply_markup: string | object };
    assert.match(params.text, /50 Звёзд возвращён/);
    const markup = (typeof params.reply_markup === 'string' ? JSON.parse(params.reply_markup) : params.reply_markup) as { inline_keyboard: Array<Array<{ text: string; url?: string; web_app?: { url: string } }>> };
    const button = markup.inline_keyboard[0]?.[0];
    assert.equal(button?.text, 'Открыть Telepets');
    assert.match(button?.url ?? button?.web_app?.url ?? '', /startapp=shop/);
    const [row] = await rows(id);
    assert.equal(row?.status, 'sent');
    assert.ok(row?.message_id !== null && row?.local_day !== null);
  });

  it('sends nothing to a player Telegram does not let the bot write to, or who turned it off', async () => {
    const silent = await newPlayer({ allowsWriteToPm: false });
    await scheduleNow(silent.id);
    const muted = await newPlayer();
    assert.equal((await s.api(muted.user, 'PATCH', '/api/v1/notifications/settings', { muted: true })).status, 200);
    await scheduleNow(muted.id);
    const noFriends = await newPlayer();
    const patched = await s.api(noFriends.user, 'PATCH', '/api/v1/notifications/settings', { switches: { friends: false } });
    assert.deepEqual(patched.body, { allowed: true, unreachable: false, muted: false, switches: { care: true, growth: true, streak: true, friends: false, payments: true }, dailyMax: 3 });
    await scheduleNow(noFriends.id);
    await scheduleNow(noFriends.id, 'refund', { stars: 5 });

    await s.app.notifications.sendDue();
    assert.equal((await rows(silent.id))[0]?.reason, 'not_allowed');
    assert.equal((await rows(muted.id))[0]?.reason, 'muted');
    const reasons = (await rows(noFriends.id)).map((r) => `${r.kind}:${r.status}:${r.reason ?? ''}`).sort();
    assert.deepEqual(reasons, ['friend_visit:skipped:switched_off', 'refund:sent:']);
    assert.equal(sendsTo(silent.user.id).length + sendsTo(muted.user.id).length, 0);
  });

  it('refuses settings that are not settings, and changes nothing', async () => {
    const { user } = await newPlayer();
    for (const body of [{}, { muted: 'yes' }, { switches: { care: 1 } }, { switches: { weather: true } }, { extra: true }]) {
      const res = await s.api(user, 'PATCH', '/api/v1/notifications/settings', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
    const now = await s.api(user, 'GET', '/api/v1/notifications/settings');
    assert.deepEqual(now.body.switches, { care: true, growth: true, streak: true, friends: true, payments: true });
    assert.equal(now.body.muted, false);
  });

  it('schedules from the pets’ future when the owner leaves, and cancels it when they come back', async () => {
    const { user, id } = await newPlayer();
    assert.equal((await s.api(user, 'POST', '/api/v1/pets', { name: 'Tom', species: 'cat' })).status, 201);
    const home = await joinHome(s, user);
    await home.leave(true);
    await waitFor(async () => (await rows(id)).some((r) => r.kind === 'pet_critical'), 'notifications scheduled on leaving');
    const scheduled = await rows(id);
    const kinds = scheduled.map((r) => r.kind).sort();
    assert.ok(kinds.includes('pet_critical') && kinds.includes('streak'), kinds.join());
    for (const r of scheduled) {
      assert.equal(r.status, 'pending');
      assert.ok(r.due_at > s.now(), `${r.kind} is due later`);
    }
    // Back in the app: what was about the absence goes.
    const again = await joinHome(s, user);
    await waitFor(async () => (await rows(id)).every((r) => r.status === 'cancelled'), 'cancelled on return');
    // Away again: a new absence, scheduled afresh.
    await again.leave(true);
    await waitFor(async () => (await rows(id)).some((r) => r.status === 'pending' && r.kind === 'pet_critical'), 'scheduled again');

    // Someone the bot may not write to gets nothing scheduled.
    const silent = await newPlayer({ allowsWriteToPm: false });
    assert.equal((await s.api(silent.user, 'POST', '/api/v1/pets', { name: 'Mute', species: 'dog' })).status, 201);
    const theirs = await joinHome(s, silent.user);
    await waitFor(async () => (await repo.prefs(silent.id)).presentUntil > s.now(), 'presence recorded');
    await theirs.leave(true);
    await waitFor(async () => (await repo.prefs(silent.id)).presentUntil === 0, 'absence recorded');
    // The scheduling step comes right after the absence is recorded: give it the time it would take.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await rows(silent.id), []);
  });

  it('tells the owner about a pet only while it is still true (a cared-for pet is not critical)', async () => {
    const { user, id } = await newPlayer();
    const petId = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Kit', species: 'cat' })).body.id as string;
    await s.app.notifications.sendDue();
    await repo.schedule([{ playerId: id, kind: 'pet_critical', petId, dedupeKey: `test:${randomUUID()}`, dueAt: s.now() - 1 }], s.now());
    await s.app.notifications.sendDue();
    assert.equal((await rows(id)).find((r) => r.kind === 'pet_critical')?.reason, 'no_longer_true');
    // Starved in storage (as if days went by): now it is true and it is sent, once per absence.
    await s.app.sim.flushDirty();
    await s.app.db.kysely.updateTable('pets').set({ hunger: 5 }).where('id', '=', petId).execute();
    await repo.schedule([{ playerId: id, kind: 'pet_critical', petId, dedupeKey: `test:${randomUUID()}`, dueAt: s.now() - 1 }], s.now());
    await repo.schedule([{ playerId: id, kind: 'pet_critical', petId, dedupeKey: `test:${randomUUID()}`, dueAt: s.now() - 1 }], s.now());
    await s.app.notifications.sendDue();
    const sends = sendsTo(user.id);
    assert.equal(sends.length, 1);
    assert.match(String(sends[0]?.params.text), /Kit needs you/);
    assert.deepEqual((await rows(id)).filter((r) => r.kind === 'pet_critical').map((r) => r.reason ?? r.status).sort(), ['already_told', 'no_longer_true', 'sent']);
  });

  it('never while the owner is in the app, and never at night: it waits for the morning', async () => {
    const inApp = await newPlayer();
    const home = await joinHome(s, inApp.user);
    await waitFor(async () => (await repo.prefs(inApp.id)).presentUntil > s.now(), 'presence recorded');
    await scheduleNow(inApp.id);
    const night = await newPlayer();
    // 12:00 UTC on the game clock: at UTC+11 it is 23:00 for this player.
    assert.equal((await s.api(night.user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: 660 })).status, 200);
    await scheduleNow(night.id);
    await s.app.notifications.sendDue();
    assert.equal((await rows(inApp.id))[0]?.reason, 'in_app');
    const [waiting] = await rows(night.id);
    assert.equal(waiting?.status, 'pending');
    assert.ok(waiting && waiting.due_at > s.now(), 'postponed to the end of quiet hours');
    assert.equal(sendsTo(night.user.id).length, 0);
    await home.leave(true);
  });

  it('sends at most NOTIFY_DAILY_MAX a local day (money waits for tomorrow rather than being dropped)', async () => {
    const { user, id } = await newPlayer();
    for (let i = 0; i < 4; i++) await scheduleNow(id);
    await scheduleNow(id, 'payment_problem', { stars: 10 });
    // One message a second per chat: rounds go on until nothing is left to do now.
    for (let round = 0; round < 8 && (await rows(id)).some((r) => r.status === 'pending' && r.due_at <= s.now()); round++) {
      await s.app.notifications.sendDue();
      await new Promise((r) => setTimeout(r, 1100));
    }
    const all = await rows(id);
    assert.equal(all.filter((r) => r.status === 'sent').length, 3);
    assert.equal(sendsTo(user.id).length, 3);
    const rest = all.filter((r) => r.status !== 'sent');
    assert.ok(rest.every((r) => (r.kind === 'payment_problem' ? r.status === 'pending' && r.due_at > s.now() : r.reason === 'daily_max')), JSON.stringify(rest));
  });

  it('a 403 marks the player unreachable and stops sending until /start; /stop and /notify answer in the bot', async () => {
    const { user, id } = await newPlayer();
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    await scheduleNow(id);
    await s.app.notifications.sendDue();
    assert.equal((await rows(id))[0]?.status, 'unreachable');
    assert.equal((await s.api(user, 'GET', '/api/v1/notifications/settings')).body.unreachable, true);
    await scheduleNow(id);
    await s.app.notifications.sendDue();
    assert.equal((await rows(id))[0]?.reason, 'unreachable');

    const command = async (text: string) => {
      const delivery = await fake.sendUpdate({
        message: { message_id: ++n, date: Math.floor(s.now() / 1000), chat: { id: user.id, type: 'private', first_name: 'U' }, from: { id: user.id, is_bot: false, first_name: 'U' }, text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] },
      });
      assert.equal(delivery.status, 200);
    };
    await command('/start');
    assert.equal((await s.api(user, 'GET', '/api/v1/notifications/settings')).body.unreachable, false);
    await command('/stop');
    assert.equal((await s.api(user, 'GET', '/api/v1/notifications/settings')).body.muted, true);
    assert.match(String(fake.callsOf('sendMessage').at(-1)?.params.text), /Notifications are off/);
    await command('/notify');
    assert.match(String(fake.callsOf('sendMessage').at(-1)?.params.text), /All notifications are off/);
    await command('/start');
    await command('/notify');
    assert.match(String(fake.callsOf('sendMessage').at(-1)?.params.text), /A friend visited: on/);
  });

  it('on 429 waits retry_after and sends once; a slow answer is still one message', async () => {
    const { user, id } = await newPlayer();
    fake.failNext('sendMessage', { status: 429, parameters: { retry_after: 1 } });
    await scheduleNow(id);
    await s.app.notifications.sendDue();
    assert.equal(fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id).length, 2);
    assert.equal(sendsTo(user.id).length, 1);
    assert.equal((await rows(id))[0]?.status, 'sent');

    const other = await newPlayer();
    fake.slowNext('sendMessage', 1500);
    await scheduleNow(other.id);
    await s.app.notifications.sendDue();
    assert.equal(sendsTo(other.user.id).length, 1);
    assert.equal((await rows(other.id))[0]?.status, 'sent');
  });

  it('never sends again what a process that died while sending may have sent', async () => {
    const { user, id } = await newPlayer();
    await scheduleNow(id);
    const [row] = await rows(id);
    assert.ok(row);
    // A process claimed it and died before it could mark the answer (its lease ran out).
    assert.equal(await repo.claim(row.id, 'a-process-that-died', s.now() - 120_000, s.now() - 60_000), true);
    await s.app.notifications.sendDue();
    assert.equal((await rows(id))[0]?.status, 'lost');
    assert.equal(sendsTo(user.id).length, 0);
  });

  it('two processes sending from one database send each notification once', async () => {
    const second = await startTestServer({
      database: s.database,
      env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0', NOTIFY_POLL_MS: '600000' },
    });
    try {
      await waitFor(() => second.app.telegram()?.ready === true, 'the second bot to be ready');
      const players = await Promise.all(Array.from({ length: 12 }, () => newPlayer()));
      for (const p of players) await scheduleNow(p.id);
      await Promise.all([s.app.notifications.sendDue(), second.app.notifications.sendDue(), s.app.notifications.sendDue()]);
      for (const p of players) {
        assert.equal(sendsTo(p.user.id).length, 1, `player ${p.user.id}`);
        assert.equal((await rows(p.id))[0]?.status, 'sent');
      }
    } finally {
      await second.stop();
    }
  });

  it('tells about a refund from the event log, once, however often the event is delivered', async () => {
    const { user, id } = await newPlayer();
    const chargeId = `charge-${randomUUID()}`;
    await s.app.db.kysely.transaction().execute((trx) =>
      appendEvents(trx, [{ kind: 'refund', playerId: id, at: s.now(), payload: { chargeId, orderId: null, by: 'admin', stars: 25, coinsTaken: 0, debtAdded: 0 } }]),
    );
    await s.app.eventLog.relay.drain();
    assert.deepEqual((await rows(id)).map((r) => r.kind), ['refund']);
    // Delivered again (at least once): still one notification.
    await s.app.notifications.consumer().handle([{ seq: 0, txId: 0, id: randomUUID(), playerId: id, kind: 'refund', payload: { chargeId, stars: 25 }, at: s.now(), schedule: null }]);
    await s.app.notifications.sendDue();
    assert.equal((await rows(id)).length, 1);
    assert.match(String(sendsTo(user.id)[0]?.params.text), /25 Stars was refunded/);
  });

  it('tells an inviter once that a friend they brought adopted a pet, naming them and the coins', async () => {
    const inviter = await newPlayer();
    const code = (await s.api(inviter.user, 'GET', '/api/v1/me')).body.inviteCode as string;
    const friend = await newPlayer({ firstName: 'Zora', startParam: `ref_${code}` });
    assert.equal((await s.api(friend.user, 'POST', '/api/v1/pets', { name: 'Pip', species: 'cat' })).status, 201);
    const pet2 = await s.api(friend.user, 'POST', '/api/v1/pets', { name: 'Tom', species: 'dog' });
    assert.equal(pet2.status, 201);
    await s.app.eventLog.relay.drain();
    assert.deepEqual((await rows(inviter.id)).map((r) => r.kind), ['friend_referral'], 'one notification, for the first pet only');
    assert.deepEqual(await rows(friend.id), [], 'the new player is told in the app');
    await s.app.notifications.sendDue();
    const sends = sendsTo(inviter.user.id);
    assert.equal(sends.length, 1);
    assert.match(String(sends[0]?.params.text), new RegExp(`Zora adopted a pet! \\+${REFERRAL_REWARD.inviterCoins} coins`));
  });
});

/**
 * End to end in game time: the sender polls on its own and a game day passes in a minute
 * (SIM_TIME_SCALE=1440). The game clock starts at 18:30: the evening streak reminder is due
 * half an hour of game time (1.25 s) after the owner leaves, well before quiet hours (22:00).
 */
describe('bot notifications in game time (a day a minute)', () => {
  const SCALE = 1440;
  let s: TestServer;
  let fake: FakeBotApi;
  const clock = testClock();

  before(async () => {
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: clock });
    const apiRoot = await fake.listen();
    const offset = 18.5 * 3600 - (((clock() / 1000) * SCALE) % 86400);
    s = await startTestServer({
      now: clock,
      env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0', SIM_TIME_SCALE: String(SCALE), SIM_CLOCK_OFFSET_S: String(offset), NOTIFY_POLL_MS: '200' },
    });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
    await waitFor(() => s.app.telegram()?.ready === true, 'the bot to be ready');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  const sent = (chatId: number, text: RegExp) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chatId && c.ok && text.test(String(c.params.text)));

  it('reminds a player whose streak breaks tonight, once, after they leave the app', async () => {
    const user: TestUser = { id: 790_001, allowsWriteToPm: true };
    const id = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    assert.equal((await s.api(user, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).status, 201);
    // A three-day streak that last counted yesterday: it breaks at midnight unless they care today.
    const today = Math.floor(s.app.sim.clock / 86400);
    await s.app.db.kysely
      .insertInto('player_progress')
      .values({ player_id: id, daily_streak: 3, daily_best: 3, daily_last_day: today - 1, updated_at: s.now() })
      .onConflict((oc) => oc.column('player_id').doUpdateSet({ daily_streak: 3, daily_best: 3, daily_last_day: today - 1 }))
      .execute();
    const home = await joinHome(s, user);
    await home.leave(true);
    await waitFor(() => sent(user.id, /3-day streak ends tonight/).length === 1, 'the streak reminder', 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(sent(user.id, /streak/).length, 1, 'told once');
  });

  it('tells an owner who is away that a friend visited, once a day', async () => {
    const owner: TestUser = { id: 790_002, allowsWriteToPm: true };
    const friend: TestUser = { id: 790_003 };
    const ownerMe = (await s.api(owner, 'GET', '/api/v1/me')).body as { id: string; inviteCode: string };
    assert.equal((await s.api(owner, 'POST', '/api/v1/pets', { name: 'Pip', species: 'cat' })).status, 201);
    assert.equal((await s.api(friend, 'POST', '/api/v1/friends', { inviteCode: ownerMe.inviteCode })).status, 201);
    for (let visit = 0; visit < 2; visit++) {
      const room = await joinHome(s, friend, ownerMe.id);
      await room.leave(true);
    }
    await waitFor(() => sent(owner.id, /A friend came to see your pets/).length === 1, 'the visit notification', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(sent(owner.id, /A friend came/).length, 1, 'once a day');
  });
});

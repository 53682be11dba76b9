import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { FakeBotApi, type FakeUser } from '../../../dev/fake-telegram/fake-bot-api.js';
import { epochSeconds, testClock } from '../../helpers/clock.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { assertLedgerConsistent, grantCoins, preAwardAchievements } from '../../helpers/economy.js';
import { waitFor } from '../../helpers/rooms.js';
import { needService } from '../../helpers/services.js';
import { proxiedPostgresScratch } from '../../helpers/tcp-proxy.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';

const SECRET = 'webhook_secret_for_tests';
const ADMIN_PASSWORD = 'admin-password-for-tests';

async function startWithFake(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ s: TestServer; fake: FakeBotApi }> {
  const fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
  const apiRoot = await fake.listen();
  const s = await startTestServer({
    ...options,
    env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0', ADMIN_PASSWORD, ...options.env },
  });
  fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
  await waitFor(() => s.app.telegram()?.ready === true, 'the bot to be ready');
  return { s, fake };
}

describeEachDialect('Telegram Stars payments', (dialect) => {
  let s: TestServer;
  let fake: FakeBotApi;
  let adminToken: string;
  let n = 0;

  const newPlayer = async (): Promise<{ user: TestUser; tg: FakeUser; id: string }> => {
    const telegramId = 600_000 + dialect.length * 1000 + ++n;
    const user = { id: telegramId, firstName: `Payer${n}` };
    const id = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    // Exact balances: no achievement pays out during these tests (progression has its own).
    await preAwardAchievements(s.app.db.kysely, id);
    return { user, tg: { id: telegramId, first_name: user.firstName }, id };
  };
  const balances = async (user: TestUser) => (await s.api(user, 'GET', '/api/v1/me')).body.balances as { coins: number; debt: number };
  const invoice = async (user: TestUser, productId: string) => {
    const res = await s.api(user, 'POST', '/api/v1/stars/invoices', { productId });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { orderId: string; invoiceLink: string; stars: number };
  };
  const order = async (user: TestUser, orderId: string) => (await s.api(user, 'GET', `/api/v1/stars/orders/${orderId}`)).body;
  const admin = (method: string, path: string) =>
    fetch(`${s.url}/admin${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const countRows = async (table: 'star_payments' | 'ledger_transactions') =>
    Number((await s.app.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    ({ s, fake } = await startWithFake({ dialect }));
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: ADMIN_PASSWORD })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('creates an invoice link in XTR with one price and a payload bound to a pending order', async () => {
    const { user, id } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    assert.match(created.invoiceLink, /^https:\/\/t\.me\/\$/);
    const call = fake.callsOf('createInvoiceLink').at(-1)!;
    const params = call.params;
    assert.equal(params.currency, 'XTR');
    assert.ok(params.provider_token === undefined || params.provider_token === '');
    assert.deepEqual((params.prices as Array<{ amount: number }>).map((p) => p.amount), [15]);
    assert.equal(params.payload, `order:${created.orderId}`);
    const state = await order(user, created.orderId);
    assert.equal(state.status, 'pending');
    const row = await s.app.db.kysely.selectFrom('star_orders').selectAll().where('id', '=', created.orderId).executeTakeFirstOrThrow();
    assert.equal(row.player_id, id);
    assert.equal(row.telegram_id, user.id);
  });

  it('refuses unknown products and other players’ orders', async () => {
    const a = await newPlayer();
    const b = await newPlayer();
    assert.equal((await s.api(a.user, 'POST', '/api/v1/stars/invoices', { productId: 'coins_1000000' })).body.error.code, 'PRODUCT_NOT_FOUND');
    const created = await invoice(a.user, 'coins_250');
    assert.equal((await s.api(b.user, 'GET', `/api/v1/stars/orders/${created.orderId}`)).status, 404);
    assert.equal((await s.api(a.user, 'GET', `/api/v1/stars/orders/${randomUUID()}`)).body.error.code, 'ORDER_NOT_FOUND');
    assert.equal((await s.api(a.user, 'GET', '/api/v1/stars/orders/not-a-uuid')).status, 400);
  });

  it('credits a paid order once and marks it paid', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const paid = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    assert.equal(paid.preCheckout.ok, true);
    assert.ok(paid.chargeId);
    assert.deepEqual(paid.deliveries.map((d) => d.status), [200]);
    assert.equal((await order(user, created.orderId)).status, 'paid');
    assert.deepEqual(await balances(user), { coins: 250, debt: 0 });
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('credits the same successful_payment delivered 5 times in a row once', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_700');
    const paid = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg, duplicates: 4 });
    assert.deepEqual(paid.deliveries.map((d) => d.status), [200, 200, 200, 200, 200]);
    assert.equal((await balances(user)).coins, 700);
  });

  it('credits the same successful_payment delivered 5 times at once once', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_700');
    const paid = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg, duplicates: 4, concurrent: true });
    assert.deepEqual(paid.deliveries.map((d) => d.status), [200, 200, 200, 200, 200]);
    assert.equal((await balances(user)).coins, 700);
    const rows = await s.app.db.kysely.selectFrom('star_payments').selectAll().where('charge_id', '=', paid.chargeId!).execute();
    assert.equal(rows.length, 1);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('credits the same charge under a new update_id once', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const paid = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg, duplicates: 2, newUpdateIdForDuplicates: true });
    assert.equal(new Set(paid.deliveries.map((d) => d.update.update_id)).size, 3);
    assert.equal((await balances(user)).coins, 250);
  });

  it('answers pre-checkout ok: false for a wrong amount, currency, someone else’s or an unknown payload', async () => {
    const a = await newPlayer();
    const b = await newPlayer();
    const created = await invoice(a.user, 'coins_250');
    const payload = `order:${created.orderId}`;
    const wrongAmount = await fake.deliverPreCheckout({ user: a.tg, payload, totalAmount: 14 });
    assert.equal(wrongAmount.answer?.ok, false);
    assert.ok(wrongAmount.answer?.error_message);
    const wrongCurrency = await fake.deliverPreCheckout({ user: a.tg, payload, totalAmount: 15, currency: 'USD' });
    assert.equal(wrongCurrency.answer?.ok, false);
    const someoneElse = await fake.deliverPreCheckout({ user: b.tg, payload, totalAmount: 15 });
    assert.equal(someoneElse.answer?.ok, false);
    const unknown = await fake.deliverPreCheckout({ user: a.tg, payload: `order:${randomUUID()}`, totalAmount: 15 });
    assert.equal(unknown.answer?.ok, false);
    const right = await fake.deliverPreCheckout({ user: a.tg, payload, totalAmount: 15 });
    assert.equal(right.answer?.ok, true);
    assert.equal((await order(a.user, created.orderId)).status, 'pending', 'a pre-checkout changes nothing');
  });

  it('refuses pre-checkout for an order already paid', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    const again = await fake.deliverPreCheckout({ user: tg, payload: `order:${created.orderId}`, totalAmount: 15 });
    assert.equal(again.answer?.ok, false);
  });

  it('answers 401 to a wrong or missing secret and writes nothing', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const update = {
      update_id: 999_001,
      message: {
        message_id: 1,
        date: epochSeconds(s.now()),
        chat: { id: tg.id, type: 'private', first_name: 'x' },
        from: { ...tg, is_bot: false },
        successful_payment: { currency: 'XTR', total_amount: 15, invoice_payload: `order:${created.orderId}`, telegram_payment_charge_id: `forged-${n}`, provider_payment_charge_id: '' },
      },
    };
    const [paymentsBefore, txBefore] = [await countRows('star_payments'), await countRows('ledger_transactions')];
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'wrong' }, {}] as Array<Record<string, string>>) {
      const res = await fetch(`${s.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'WEBHOOK_SECRET_INVALID');
    }
    const garbage = await fetch(`${s.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    assert.equal(garbage.status, 401, 'the secret is checked before the body is read');
    assert.equal(await countRows('star_payments'), paymentsBefore);
    assert.equal(await countRows('ledger_transactions'), txBefore);
    assert.equal((await balances(user)).coins, 0);
  });

  it('rejects a malformed update with the right secret (400) without writing', async () => {
    const res = await fetch(`${s.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: 'one' }),
    });
    assert.equal(res.status, 400);
  });

  it('grants a bundle’s items with its coins, and sells a unique coat once', async () => {
    const { user, tg } = await newPlayer();
    const bundle = await invoice(user, 'care_bundle');
    await fake.payInvoice({ invoiceLink: bundle.invoiceLink, user: tg });
    const bag = (await s.api(user, 'GET', '/api/v1/inventory')).body;
    const held = (id: string) => bag.items.find((i: { itemId: string }) => i.itemId === id)?.quantity ?? 0;
    assert.equal(held('steak'), 5);
    assert.equal(held('vitamins'), 2);
    assert.equal(bag.coins, 100);
    const coat = await invoice(user, 'skin_golden');
    const pending = await invoice(user, 'skin_golden');
    await fake.payInvoice({ invoiceLink: coat.invoiceLink, user: tg });
    assert.equal((await s.api(user, 'POST', '/api/v1/stars/invoices', { productId: 'skin_golden' })).body.error.code, 'ALREADY_OWNED');
    const late = await fake.deliverPreCheckout({ user: tg, payload: `order:${pending.orderId}`, totalAmount: pending.stars });
    assert.equal(late.answer?.ok, false, 'an older invoice for a coat I own now is refused');
  });

  it('refunds through the admin once: entries reversed, coins taken back, order refunded', async () => {
    const { user, tg, id } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const { chargeId } = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    const first = await admin('POST', `/stars/payments/${chargeId}/refund`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { chargeId, alreadyRefunded: false, coinsTaken: 250, itemsTaken: {}, debtAdded: 0 });
    assert.equal(fake.callsOf('refundStarPayment').filter((c) => (c.params as { telegram_payment_charge_id: string }).telegram_payment_charge_id === chargeId).length, 1);
    const txAfterFirst = await countRows('ledger_transactions');
    const second = await admin('POST', `/stars/payments/${chargeId}/refund`);
    assert.equal(second.body.alreadyRefunded, true);
    await fake.deliverRefundedPayment({ chargeId: chargeId!, user: tg });
    assert.equal(await countRows('ledger_transactions'), txAfterFirst, 'one reversal, however many times');
    assert.equal((await order(user, created.orderId)).status, 'refunded');
    assert.deepEqual(await balances(user), { coins: 0, debt: 0 });
    assert.equal((await admin('POST', '/stars/payments/no-such-charge/refund')).body.error.code, 'PAYMENT_NOT_FOUND');
    await assertLedgerConsistent(s.app.db.kysely);
    // The admin's action is in the log once (the second refund changed nothing), with the refund, for the player it affected.
    const logged = await s.app.db.kysely.selectFrom('events').select(['kind', 'payload']).where('player_id', '=', id).where('kind', 'in', ['refund', 'admin']).orderBy('seq').execute();
    assert.deepEqual(logged.map((e) => [e.kind, JSON.parse(e.payload) as unknown]), [
      ['refund', { chargeId, orderId: created.orderId, by: 'admin', stars: created.stars, coinsTaken: 250, debtAdded: 0 }],
      ['admin', { action: 'stars_refund', target: chargeId }],
    ]);
    for (const e of logged) assert.doesNotMatch(e.payload, new RegExp(`${user.firstName}|${user.id}`), 'ids only: no name, no Telegram id');
  });

  it('records a debt for refunded coins already spent, paid back from the next earnings', async () => {
    const { user, tg, id } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const { chargeId } = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    const spent = await s.api(user, 'POST', '/api/v1/shop/purchases', { itemId: 'skin_sakura' }, { 'idempotency-key': randomUUID() });
    assert.equal(spent.status, 409, 'the coat costs more than 250');
    const bought = await s.api(user, 'POST', '/api/v1/shop/purchases', { itemId: 'plush', quantity: 8 }, { 'idempotency-key': randomUUID() });
    assert.equal(bought.status, 201);
    const left = bought.body.balances.coins as number;
    const refund = await admin('POST', `/stars/payments/${chargeId}/refund`);
    assert.equal(refund.body.coinsTaken, left);
    assert.equal(refund.body.debtAdded, 250 - left);
    assert.deepEqual(await balances(user), { coins: 0, debt: 250 - left });
    await grantCoins(s.app.db.kysely, s.app.ledger, id, 300);
    assert.deepEqual(await balances(user), { coins: 300 - (250 - left), debt: 0 });
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('takes back refunded items still held and owes the used ones', async () => {
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'care_bundle');
    const { chargeId } = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    await s.app.inventory.consume((await s.api(user, 'GET', '/api/v1/me')).body.id, 'steak');
    const refund = await admin('POST', `/stars/payments/${chargeId}/refund`);
    assert.equal(refund.body.itemsTaken.steak, 4);
    assert.equal(refund.body.itemsTaken.vitamins, 2);
    assert.ok(refund.body.debtAdded > 0, 'the eaten steak is owed');
    const bag = (await s.api(user, 'GET', '/api/v1/inventory')).body;
    assert.equal(bag.items.find((i: { itemId: string }) => i.itemId === 'steak')?.quantity ?? 0, 0);
  });

  it('runs one player’s purchases, payments, refunds and earnings at once without deadlock or loss', async () => {
    const { user, tg, id } = await newPlayer();
    await grantCoins(s.app.db.kysely, s.app.ledger, id, 2000);
    const first = await invoice(user, 'care_bundle');
    const paidFirst = await fake.payInvoice({ invoiceLink: first.invoiceLink, user: tg });
    const invoices = await Promise.all([invoice(user, 'care_bundle'), invoice(user, 'care_bundle'), invoice(user, 'coins_250')]);
    const results = await Promise.allSettled([
      ...Array.from({ length: 8 }, () => s.api(user, 'POST', '/api/v1/shop/purchases', { itemId: 'steak', quantity: 2 }, { 'idempotency-key': randomUUID() })),
      ...invoices.map((inv) => fake.payInvoice({ invoiceLink: inv.invoiceLink, user: tg, duplicates: 1, concurrent: true })),
      admin('POST', `/stars/payments/${paidFirst.chargeId}/refund`),
      fake.deliverRefundedPayment({ chargeId: paidFirst.chargeId!, user: tg }),
      ...Array.from({ length: 4 }, () => grantCoins(s.app.db.kysely, s.app.ledger, id, 25)),
    ]);
    assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      const v = r.value as { status?: number };
      if (typeof v === 'object' && v !== null && 'status' in v) assert.ok(v.status === 200 || v.status === 201, `status ${v.status}`);
    }
    const paid = await s.app.db.kysely.selectFrom('star_orders').select('status').where('player_id', '=', id).execute();
    assert.deepEqual(paid.map((o) => o.status).sort(), ['paid', 'paid', 'paid', 'refunded']);
    await assertLedgerConsistent(s.app.db.kysely);
  });

  it('reverses a refund Telegram reports with refunded_payment', async () => {
    const { user, tg, id } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    const { chargeId } = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: tg });
    const delivered = await fake.deliverRefundedPayment({ chargeId: chargeId!, user: tg });
    assert.equal(delivered.status, 200);
    assert.equal((await order(user, created.orderId)).status, 'refunded');
    const logged = await s.app.db.kysely.selectFrom('events').select('kind').where('player_id', '=', id).where('kind', 'in', ['refund', 'admin']).execute();
    assert.deepEqual(logged.map((e) => e.kind), ['refund'], 'no admin did it');
    assert.deepEqual(await balances(user), { coins: 0, debt: 0 });
  });

  it('reconciles with getStarTransactions and reports what differs', async () => {
    const clean = await admin('POST', '/stars/reconcile');
    assert.equal(clean.status, 200);
    assert.deepEqual(clean.body.differences, []);
    assert.ok(clean.body.localPayments > 0);
    // A payment Telegram has that never reached us (the webhook refused it).
    const { user, tg } = await newPlayer();
    const created = await invoice(user, 'coins_250');
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, 'not-the-secret');
    const lost = await fake.deliverSuccessfulPayment({ user: tg, payload: `order:${created.orderId}`, totalAmount: 15 });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
    assert.equal(lost.status, 401);
    const report = await admin('POST', '/stars/reconcile');
    assert.deepEqual(report.body.differences, [{ chargeId: lost.chargeId, problem: 'missing_locally', telegramAmount: 15, localAmount: null }]);
    // Telegram delivers it again: now it is credited and the books agree.
    await fake.deliverSuccessfulPayment({ user: tg, payload: `order:${created.orderId}`, totalAmount: 15, chargeId: lost.chargeId });
    assert.equal((await balances(user)).coins, 250);
    assert.deepEqual((await admin('POST', '/stars/reconcile')).body.differences, []);
  });

  it('answers /start with a button that opens the Mini App with the referral parameter', async () => {
    const tg = { id: 4242, first_name: 'New', language_code: 'ru' };
    const res = await fake.sendUpdate({
      message: {
        message_id: 7,
        date: epochSeconds(s.now()),
        chat: { id: tg.id, type: 'private', first_name: tg.first_name },
        from: { ...tg, is_bot: false },
        text: '/start ref_ABCD1234',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    assert.equal(res.status, 200);
    const sent = fake.callsOf('sendMessage').at(-1)!.params as { chat_id: number; text: string; reply_markup: { inline_keyboard: Array<Array<{ url?: string; web_app?: { url: string } }>> } };
    assert.equal(sent.chat_id, tg.id);
    assert.match(sent.text, /Друг пригласил/);
    const button = sent.reply_markup.inline_keyboard[0]![0]!;
    assert.match(button.url ?? button.web_app?.url ?? '', /startapp=ref_ABCD1234/);
  });
});

describe('Telegram Stars payments while the database is down [postgres]', function () {
  before(async function () {
    await needService(this, 'postgres');
  });

  it('answers 5xx so Telegram redelivers, then credits the redelivery once', async function () {
    this.timeout(60_000);
    const { database, proxy } = await proxiedPostgresScratch();
    const { s, fake } = await startWithFake({ database: database });
    try {
      const user = { id: 777_001, firstName: 'Down' };
      await preAwardAchievements(s.app.db.kysely, (await s.api(user, 'GET', '/api/v1/me')).body.id);
      const created = (await s.api(user, 'POST', '/api/v1/stars/invoices', { productId: 'coins_250' })).body;
      const tg = { id: user.id, first_name: user.firstName };
      const pre = await fake.deliverPreCheckout({ user: tg, payload: `order:${created.orderId}`, totalAmount: 15 });
      assert.equal(pre.answer?.ok, true);
      await proxy.cut();
      const down = await fake.deliverSuccessfulPayment({ user: tg, payload: `order:${created.orderId}`, totalAmount: 15 });
      assert.ok(down.status >= 500, `5xx while the database is down (got ${down.status})`);
      await proxy.restore();
      const update = down.update;
      const attempts = await fake.deliverWithRetry(update, { attempts: 50, delayMs: 100 });
      assert.equal(attempts.at(-1)?.status, 200);
      // Telegram may deliver it once more after all.
      assert.equal((await fake.sendUpdate(update)).status, 200);
      assert.equal((await s.api(user, 'GET', '/api/v1/me')).body.balances.coins, 250);
      await assertLedgerConsistent(s.app.db.kysely);
    } finally {
      await s.stop({ dropDatabase: true });
      await fake.close();
      await proxy.close();
    }
  });
});

describe('Telegram Stars in dev mode (no bot token: the fake Bot API on the server itself)', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ botToken: '' });
    await waitFor(() => s.app.telegram()?.ready === true, 'the dev bot');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('pays an order through the dev payment endpoints and the server’s own webhook', async () => {
    const config = (await s.api(null, 'GET', '/api/v1/client-config')).body;
    assert.equal(config.devSignIn, true);
    assert.equal(config.devPaymentsPath, '/dev/bot-api/_dev/invoices');
    const user = { id: 123_456, firstName: 'Dev' };
    const me = (await s.api(user, 'GET', '/api/v1/me')).body;
    await preAwardAchievements(s.app.db.kysely, me.id);
    const created = (await s.api(user, 'POST', '/api/v1/stars/invoices', { productId: 'coins_700' })).body;
    const slug = (created.invoiceLink as string).split('$')[1]!;
    const sheet = await s.api(null, 'GET', `${config.devPaymentsPath}/${slug}`);
    assert.equal(sheet.status, 200);
    assert.equal(sheet.body.amount, 35);
    assert.equal(sheet.body.currency, 'XTR');
    const paid = await s.api(null, 'POST', `${config.devPaymentsPath}/${slug}/pay`, { userId: user.id, firstName: 'Dev' });
    assert.equal(paid.body.status, 'paid', JSON.stringify(paid.body));
    assert.equal((await s.api(user, 'GET', `/api/v1/stars/orders/${created.orderId}`)).body.status, 'paid');
    assert.equal((await s.api(user, 'GET', '/api/v1/me')).body.balances.coins, 700);
    const stranger = await s.api(null, 'POST', `${config.devPaymentsPath}/${slug}/pay`, { userId: 999, firstName: 'Eve' });
    assert.equal(stranger.body.status, 'failed', 'pre-checkout refuses a payer who is not the order’s player');
  });

  it('has no dev payment routes when a real bot token is configured', async () => {
    const real = await startTestServer();
    try {
      assert.equal((await real.api(null, 'GET', '/api/v1/client-config')).body.devPaymentsPath, null);
      assert.equal((await real.api(null, 'GET', '/dev/bot-api/_dev/invoices/abc')).status, 404);
    } finally {
      await real.stop({ dropDatabase: true });
    }
  });
});

import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { FakeBotApi } from '../../../dev/fake-telegram/fake-bot-api.js';
import { TEST_START_MS, epochSeconds, testClock } from '../../helpers/clock.js';

const TOKEN = '123456:AAH-fake_token';
const SECRET = 'hook-secret_42';
const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };
const BOB = { id: 1002, first_name: 'Bob' };
const STAR_PRICE = [{ label: '100 coins', amount: 50 }];

interface Received {
  update: Update;
  secret: string | undefined;
  contentType: string | undefined;
}

type Respond = (update: Update) => Promise<{ status?: number; body?: unknown } | void>;

/** A small webhook: records what arrives and answers through `respond`. */
class Receiver {
  received: Received[] = [];
  respond: Respond = async () => undefined;
  url = '';
  readonly app: FastifyInstance = Fastify({ logger: false });

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.app.post('/hook', async (request, reply) => {
      const update = request.body as Update;
      receiver.received.push({
        update,
        secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined,
        contentType: request.headers['content-type'],
      });
      const answer = await receiver.respond(update);
      return reply.code(answer?.status ?? 200).send(answer?.body ?? '');
    });
    receiver.url = `${await receiver.app.listen({ host: '127.0.0.1', port: 0 })}/hook`;
    return receiver;
  }

  reset(): void {
    this.received = [];
    this.respond = async () => undefined;
  }

  updates(kind: 'successful_payment' | 'refunded_payment' | 'pre_checkout_query'): Update[] {
    return this.received
      .map((r) => r.update)
      .filter((u) => (kind === 'pre_checkout_query' ? u.pre_checkout_query !== undefined : u.message?.[kind] !== undefined));
  }
}

let messageSeq = 1;
const textUpdate = (text: string, user: { id: number; first_name: string } = { id: 1, first_name: 'x' }) => ({
  message: {
    message_id: messageSeq++,
    date: 1_700_000_000,
    chat: { id: user.id, type: 'private' as const, first_name: user.first_name },
    from: { ...user, is_bot: false },
    text,
  },
});

async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

describe('FakeBotApi', () => {
  let fake: FakeBotApi;
  let apiRoot: string;
  let bot: Bot;
  let receiver: Receiver;

  const answerEveryPreCheckout = (ok: boolean, errorMessage?: string) => {
    receiver.respond = async (update) => {
      const q = update.pre_checkout_query;
      if (q) await bot.api.answerPreCheckoutQuery(q.id, ok, errorMessage ? { error_message: errorMessage } : undefined);
    };
  };

  const starInvoice = (payload = 'order-1', prices = STAR_PRICE) => bot.api.createInvoiceLink('Coins', '100 coins for your pet', payload, '', 'XTR', prices);

  before(async () => {
    fake = new FakeBotApi({ token: TOKEN, now: testClock() });
    apiRoot = await fake.listen();
    bot = new Bot(TOKEN, { client: { apiRoot } });
    receiver = await Receiver.start();
  });

  after(async () => {
    await fake.close();
    await receiver.app.close();
  });

  beforeEach(() => {
    fake.reset();
    receiver.reset();
    fake.setWebhookTarget(receiver.url, SECRET);
  });

  describe('Bot API methods', () => {
    it('saves a prepared inline message (Bot API 8.0) and refuses invalid ones the way Telegram does', async () => {
      const photo = { type: 'photo' as const, id: 'card-1', photo_url: 'https://x.example/card.png', thumbnail_url: 'https://x.example/card.png', caption: 'Meet Mochi' };
      const saved = await bot.api.savePreparedInlineMessage(42, photo, { allow_user_chats: true, allow_group_chats: true });
      assert.match(saved.id, /^[A-Za-z0-9_-]+$/);
      // A day after now, on the clock the fake is given.
      const ttl = saved.expiration_date - Math.floor(TEST_START_MS / 1000);
      assert.ok(ttl >= 24 * 3600 && ttl < 24 * 3600 + 600, String(ttl));
      assert.deepEqual(fake.preparedMessages.map((m) => [m.id, m.userId, m.allow]), [[saved.id, 42, { user: true, bot: false, group: true, channel: false }]]);
      const refused: [Promise<unknown>, RegExp][] = [
        [bot.api.savePreparedInlineMessage(0, photo), /USER_ID_INVALID/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, type: 'poll' } as never), /RESULT_TYPE_INVALID/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, id: '' }), /RESULT_ID_INVALID/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, id: 'x'.repeat(65) }), /RESULT_ID_INVALID/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, photo_url: 'ftp://x' }), /PHOTO_INVALID/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, caption: 'c'.repeat(1025) }), /MEDIA_CAPTION_TOO_LONG/],
        [bot.api.savePreparedInlineMessage(42, { ...photo, reply_markup: { inline_keyboard: [[{ text: 'Play' } as never]] } }), /Text buttons are unallowed/],
      ];
      for (const [call, description] of refused) await assert.rejects(call, description);
      assert.equal(fake.preparedMessages.length, 1, 'nothing stored for a refused call');
    });

    it('answers getMe so a grammY bot initializes', async () => {
      await bot.init();
      assert.equal(bot.botInfo.username, 'telepets_bot');
      assert.equal(bot.botInfo.is_bot, true);
      assert.equal(bot.botInfo.id, 123456);
      assert.equal(fake.callsOf('getMe').length, 1);
    });

    it('creates a Stars invoice link and stores the invoice', async () => {
      const link = await starInvoice('order-7');
      assert.match(link, /^https:\/\/t\.me\/\$[A-Za-z0-9_-]+$/);
      const invoice = fake.invoices.get(link);
      assert.ok(invoice);
      assert.equal(fake.invoices.get(invoice.slug), invoice);
      assert.equal(fake.invoices.byPayload('order-7'), invoice);
      assert.deepEqual(
        { title: invoice.title, description: invoice.description, payload: invoice.payload, currency: invoice.currency, amount: invoice.amount, status: invoice.status },
        { title: 'Coins', description: '100 coins for your pet', payload: 'order-7', currency: 'XTR', amount: 50, status: 'open' },
      );
      assert.ok(invoice.createdAt >= TEST_START_MS, 'stamped by the clock it is given');
    });

    it('refuses invalid invoices the way Telegram does', async () => {
      const cases: [Promise<unknown>, string][] = [
        [bot.api.createInvoiceLink('Coins', 'd', 'p', 'provider-token', 'XTR', STAR_PRICE), 'Bad Request: STARS_INVOICE_INVALID'],
        [starInvoice('p', [{ label: 'a', amount: 10 }, { label: 'b', amount: 20 }]), 'Bad Request: STARS_INVOICE_INVALID'],
        [starInvoice('p', [{ label: 'a', amount: 0 }]), 'Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID'],
        [starInvoice('p', [{ label: 'a', amount: 1.5 }]), 'Bad Request: can\'t parse labeled price: Field "amount" must be of type Integer'],
        [starInvoice('x'.repeat(129)), 'Bad Request: INVOICE_PAYLOAD_INVALID'],
        [starInvoice('я'.repeat(65)), 'Bad Request: INVOICE_PAYLOAD_INVALID'],
        [starInvoice('p', []), 'Bad Request: STARS_INVOICE_INVALID'],
        [bot.api.createInvoiceLink('x'.repeat(33), 'd', 'p', '', 'XTR', STAR_PRICE), 'Bad Request: invoice title must be 1-32 characters long'],
        [bot.api.createInvoiceLink('t', 'd'.repeat(256), 'p', '', 'XTR', STAR_PRICE), 'Bad Request: invoice description must be 1-255 characters long'],
        [bot.api.createInvoiceLink('t', 'd', 'p', '', 'USD', STAR_PRICE), 'Bad Request: PAYMENT_PROVIDER_INVALID'],
      ];
      for (const [call, description] of cases) {
        const err = await apiError(call);
        assert.equal(err.error_code, 400);
        assert.equal(err.description, description);
      }
      assert.ok(await starInvoice('x'.repeat(128)), 'a 128-byte payload is fine');
      assert.equal(fake.invoices.size, 1);
      assert.equal(fake.callsOf('createInvoiceLink').filter((c) => !c.ok).length, cases.length);
    });

    it('takes form-encoded bodies and query strings, with prices as a JSON string', async () => {
      const form = new URLSearchParams({ title: 'Coins', description: 'd', payload: 'form-1', currency: 'XTR', prices: JSON.stringify(STAR_PRICE) });
      const res = await fetch(`${apiRoot}/bot${TOKEN}/createInvoiceLink`, { method: 'POST', body: form });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { ok: boolean; result: string };
      assert.equal(body.ok, true);
      assert.equal(fake.invoices.get(body.result)?.payload, 'form-1');

      const q = await fetch(`${apiRoot}/bot${TOKEN}/getStarTransactions?limit=5&offset=0`);
      assert.deepEqual(await q.json(), { ok: true, result: { transactions: [] } });

      const bad = await fetch(`${apiRoot}/bot${TOKEN}/createInvoiceLink`, {
        method: 'POST',
        body: new URLSearchParams({ title: 'Coins', description: 'd', payload: 'p', currency: 'XTR', prices: '[{' }),
      });
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), { ok: false, error_code: 400, description: "Bad Request: can't parse prices JSON object" });
    });

    it('records sendMessage and returns a Message', async () => {
      const waiting = fake.waitForCall('sendMessage', (c) => c.params.text === 'hello');
      const keyboard = { inline_keyboard: [[{ text: 'Play', web_app: { url: 'https://example.com/app' } }]] };
      const message = await bot.api.sendMessage(ALICE.id, 'hello', { reply_markup: keyboard });
      assert.equal(message.text, 'hello');
      assert.equal(message.chat.id, ALICE.id);
      assert.equal(message.chat.type, 'private');
      assert.deepEqual(message.reply_markup, keyboard);
      const call = await waiting;
      assert.equal(call.params.chat_id, ALICE.id);
      assert.deepEqual(call.params.reply_markup, keyboard);
      assert.equal(fake.calls.length, 1);

      assert.equal((await apiError(bot.api.sendMessage(ALICE.id, ''))).description, 'Bad Request: message text is empty');
      assert.equal((await apiError(bot.api.sendMessage('', 'x'))).description, 'Bad Request: chat_id is empty');
      const textButton = await apiError(bot.api.sendMessage(ALICE.id, 'x', { reply_markup: { inline_keyboard: [[{ text: 'only text' } as never]] } }));
      assert.equal(textButton.description, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    });

    it('refunds a Stars payment once, and only for its payer', async () => {
      const { chargeId } = await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50 });
      assert.equal((await apiError(bot.api.refundStarPayment(BOB.id, chargeId))).description, 'Bad Request: CHARGE_NOT_FOUND');
      assert.equal(await bot.api.refundStarPayment(ALICE.id, chargeId), true);
      assert.equal(fake.charge(chargeId)?.refunded, true);
      const again = await apiError(bot.api.refundStarPayment(ALICE.id, chargeId));
      assert.equal(again.error_code, 400);
      assert.equal(again.description, 'Bad Request: CHARGE_ALREADY_REFUNDED');
      assert.equal((await apiError(bot.api.refundStarPayment(ALICE.id, 'stxnope'))).description, 'Bad Request: CHARGE_NOT_FOUND');
    });

    it('lists Star transactions newest first, with refunds', async () => {
      const first = await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50 });
      const second = await fake.deliverSuccessfulPayment({ user: BOB, payload: 'order-2', totalAmount: 120 });
      await bot.api.refundStarPayment(ALICE.id, first.chargeId);
      const { transactions } = await bot.api.getStarTransactions();
      assert.equal(transactions.length, 3);
      const [refund, bobPays, alicePays] = transactions;
      assert.equal(refund?.id, first.chargeId);
      assert.equal(refund?.amount, 50);
      assert.equal(refund?.source, undefined);
      assert.deepEqual(refund?.receiver, { type: 'user', transaction_type: 'invoice_payment', user: { ...ALICE, is_bot: false } });
      assert.equal(bobPays?.id, second.chargeId);
      assert.deepEqual(bobPays?.source, { type: 'user', transaction_type: 'invoice_payment', user: { ...BOB, is_bot: false }, invoice_payload: 'order-2' });
      assert.equal(alicePays?.id, first.chargeId);
      assert.equal(alicePays?.amount, 50);
      assert.ok(transactions.every((t) => Number.isInteger(t.date) && t.date >= epochSeconds(TEST_START_MS)));

      const page = await bot.api.getStarTransactions({ offset: 1, limit: 1 });
      assert.deepEqual(page.transactions, [bobPays]);
      assert.equal((await apiError(bot.api.getStarTransactions({ limit: 101 }))).error_code, 400);
    });

    it('answers 401 for a wrong token and 404 for an unknown method', async () => {
      const stranger = new Bot('999:wrong', { client: { apiRoot } });
      const err = await apiError(stranger.api.getMe());
      assert.equal(err.error_code, 401);
      assert.equal(err.description, 'Unauthorized');
      const res = await fetch(`${apiRoot}/bot${TOKEN}/fooBar`, { method: 'POST' });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { ok: false, error_code: 404, description: 'Not Found: method not found' });
      const get = await fetch(`${apiRoot}/bot${TOKEN}/getme`);
      assert.equal(get.status, 200, 'method names are case-insensitive');
      const badJson = await fetch(`${apiRoot}/bot${TOKEN}/getMe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      assert.equal(badJson.status, 400);
      assert.equal(((await badJson.json()) as { ok: boolean }).ok, false);
    });

    it('fails on demand with failNext', async () => {
      fake.failNext('sendMessage', { status: 429, parameters: { retry_after: 3 } });
      const limited = await apiError(bot.api.sendMessage(ALICE.id, 'hi'));
      assert.equal(limited.error_code, 429);
      assert.equal(limited.description, 'Too Many Requests: retry after 3');
      assert.equal(limited.parameters.retry_after, 3);
      assert.equal((await bot.api.sendMessage(ALICE.id, 'hi')).text, 'hi');

      fake.failNext('createInvoiceLink', { status: 500, count: 2 });
      assert.equal((await apiError(starInvoice())).error_code, 500);
      assert.equal((await apiError(starInvoice())).description, 'Internal Server Error');
      assert.ok(await starInvoice());
      assert.deepEqual(
        fake.callsOf('createInvoiceLink').map((c) => c.ok),
        [false, false, true],
      );
    });

    it('sets, reports and deletes the webhook, validating the secret token', async () => {
      fake.setWebhookTarget(null);
      assert.equal(await bot.api.setWebhook(receiver.url, { secret_token: 'abc_DEF-1', allowed_updates: ['message', 'pre_checkout_query'] }), true);
      assert.deepEqual(fake.webhook, { url: receiver.url, secretToken: 'abc_DEF-1', allowedUpdates: ['message', 'pre_checkout_query'] });
      const info = await bot.api.getWebhookInfo();
      assert.equal(info.url, receiver.url);
      assert.deepEqual(info.allowed_updates, ['message', 'pre_checkout_query']);
      assert.equal((await apiError(bot.api.setWebhook(receiver.url, { secret_token: 'has:colon' }))).description, 'Bad Request: secret token contains unallowed characters');
      assert.equal((await apiError(bot.api.setWebhook(receiver.url, { secret_token: 'a'.repeat(257) }))).error_code, 400);
      assert.equal((await apiError(bot.api.setWebhook('ftp://example.com/hook'))).error_code, 400);
      assert.equal(await bot.api.deleteWebhook(), true);
      assert.equal(fake.webhook, undefined);
      assert.equal((await bot.api.getWebhookInfo()).url, '');
    });
  });

  describe('webhook deliveries', () => {
    it('POSTs updates as JSON with the secret header and increasing update ids', async () => {
      const a = await fake.sendUpdate(textUpdate('/start', ALICE));
      const b = await fake.sendUpdate(textUpdate('hi', ALICE));
      assert.equal(a.status, 200);
      assert.ok(b.update.update_id > a.update.update_id);
      assert.equal(receiver.received.length, 2);
      for (const r of receiver.received) {
        assert.equal(r.secret, SECRET);
        assert.match(r.contentType ?? '', /^application\/json/);
      }
      assert.equal(receiver.received[1]?.update.message?.text, 'hi');
      const given = await fake.sendUpdate({ ...textUpdate('x'), update_id: 5000 });
      assert.equal(given.update.update_id, 5000);
      assert.equal((await fake.sendUpdate({ callback_query: { id: '1', from: ALICE as never, chat_instance: 'c', data: 'd' } })).update.update_id, 5001);
    });

    it('leaves the secret header out when none is set, and reports a missing webhook', async () => {
      fake.setWebhookTarget(receiver.url);
      await fake.sendUpdate(textUpdate('x'));
      assert.equal(receiver.received[0]?.secret, undefined);
      fake.setWebhookTarget(null);
      const none = await fake.sendUpdate(textUpdate('x'));
      assert.equal(none.status, 0);
      assert.equal(none.error, 'No webhook is set');
    });

    it('waits for the pre-checkout answer the bot sends after acknowledging the update', async () => {
      let answered!: Promise<unknown>;
      receiver.respond = async (update) => {
        const q = update.pre_checkout_query;
        // Answer only after the webhook response went out: the fake must keep waiting.
        if (q) answered = new Promise((resolve) => setImmediate(resolve)).then(() => bot.api.answerPreCheckoutQuery(q.id, true));
      };
      const { delivery, answer } = await fake.deliverPreCheckout({ user: ALICE, payload: 'order-1', totalAmount: 50, id: 'q-1' });
      await answered;
      assert.equal(delivery.status, 200);
      assert.deepEqual(answer, { ok: true });
      assert.deepEqual(receiver.received[0]?.update.pre_checkout_query, {
        id: 'q-1',
        from: { ...ALICE, is_bot: false },
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order-1',
      });
      const late = await apiError(bot.api.answerPreCheckoutQuery('q-1', true));
      assert.equal(late.description, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    });

    it('passes a declined pre-checkout answer back, and requires its error message', async () => {
      receiver.respond = async (update) => {
        const q = update.pre_checkout_query;
        if (!q) return;
        const missing = await apiError(bot.api.answerPreCheckoutQuery(q.id, false));
        assert.equal(missing.description, 'Bad Request: error_message is empty');
        await bot.api.answerPreCheckoutQuery(q.id, false, { error_message: 'Out of stock' });
      };
      const { answer } = await fake.deliverPreCheckout({ user: ALICE, payload: 'order-1', totalAmount: 50 });
      assert.deepEqual(answer, { ok: false, error_message: 'Out of stock' });
    });

    it('expires an unanswered pre-checkout query', async () => {
      const quick = new FakeBotApi({ token: TOKEN, answerTimeoutMs: 20, now: testClock() });
      try {
        const root = await quick.listen();
        quick.setWebhookTarget(receiver.url, SECRET);
        const { delivery, answer } = await quick.deliverPreCheckout({ user: ALICE, payload: 'p', totalAmount: 5, id: 'slow' });
        assert.equal(delivery.status, 200);
        assert.equal(answer, undefined);
        const late = await apiError(new Bot(TOKEN, { client: { apiRoot: root } }).api.answerPreCheckoutQuery('slow', true));
        assert.equal(late.error_code, 400);
      } finally {
        await quick.close();
      }
    });

    it('delivers a successful payment and records the charge once per charge id', async () => {
      const first = await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50, chargeId: 'stx-1' });
      await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50, chargeId: 'stx-1', updateId: first.update.update_id });
      assert.equal(fake.charges.length, 1);
      assert.equal(fake.starTransactions.length, 1);
      const message = receiver.received[0]?.update.message;
      assert.deepEqual(message?.chat, { id: ALICE.id, type: 'private', first_name: 'Alice', username: 'alice' });
      assert.equal(message?.from?.id, ALICE.id);
      assert.deepEqual(message?.successful_payment, {
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order-1',
        telegram_payment_charge_id: 'stx-1',
        provider_payment_charge_id: fake.charge('stx-1')?.providerChargeId,
      });
      assert.equal(receiver.received[1]?.update.update_id, first.update.update_id);
    });

    it('delivers a refunded payment and marks the charge refunded', async () => {
      const { chargeId } = await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50 });
      const delivery = await fake.deliverRefundedPayment({ user: ALICE, chargeId });
      assert.equal(delivery.status, 200);
      assert.deepEqual(receiver.updates('refunded_payment')[0]?.message?.refunded_payment, {
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order-1',
        telegram_payment_charge_id: chargeId,
        provider_payment_charge_id: fake.charge(chargeId)?.providerChargeId,
      });
      assert.equal(fake.charge(chargeId)?.refunded, true);
      assert.equal((await apiError(bot.api.refundStarPayment(ALICE.id, chargeId))).description, 'Bad Request: CHARGE_ALREADY_REFUNDED');
      await assert.rejects(fake.deliverRefundedPayment({ chargeId: 'stx-unknown' }), /Unknown charge/);
    });

    it('pays an invoice with sequential duplicate deliveries of one charge', async () => {
      answerEveryPreCheckout(true);
      const link = await starInvoice('order-dup');
      const result = await fake.payInvoice({ invoiceLink: link, user: ALICE, duplicates: 2 });
      assert.deepEqual(result.preCheckout, { ok: true });
      assert.ok(result.chargeId);
      assert.equal(result.deliveries.length, 3);
      const payments = receiver.updates('successful_payment');
      assert.equal(payments.length, 3);
      assert.deepEqual(new Set(payments.map((u) => u.message?.successful_payment?.telegram_payment_charge_id)), new Set([result.chargeId]));
      assert.equal(new Set(payments.map((u) => u.update_id)).size, 1, 'redeliveries repeat the update id');
      assert.equal(fake.charges.length, 1);
      assert.equal(fake.invoices.get(link)?.status, 'paid');
    });

    it('pays an invoice with concurrent duplicates under new update ids', async () => {
      answerEveryPreCheckout(true);
      await starInvoice('order-race');
      const result = await fake.payInvoice({ payload: 'order-race', user: BOB, duplicates: 3, concurrent: true, newUpdateIdForDuplicates: true });
      assert.equal(result.deliveries.length, 4);
      assert.ok(result.deliveries.every((d) => d.status === 200));
      const payments = receiver.updates('successful_payment');
      assert.equal(payments.length, 4);
      assert.equal(new Set(payments.map((u) => u.update_id)).size, 4);
      assert.deepEqual(new Set(payments.map((u) => u.message?.successful_payment?.telegram_payment_charge_id)), new Set([result.chargeId]));
      assert.equal(fake.starTransactions.length, 1);
    });

    it('delivers no payment when the bot declines the pre-checkout', async () => {
      answerEveryPreCheckout(false, 'Sold out');
      const link = await starInvoice('order-no');
      const result = await fake.payInvoice({ invoiceLink: link, user: ALICE, duplicates: 1 });
      assert.deepEqual(result.preCheckout, { ok: false, error_message: 'Sold out' });
      assert.equal(result.chargeId, undefined);
      assert.equal(result.deliveries.length, 0);
      assert.equal(receiver.updates('successful_payment').length, 0);
      assert.equal(fake.charges.length, 0);
      assert.equal(fake.invoices.get(link)?.status, 'open');
    });

    it('redelivers the same update after a 500 until it is accepted', async () => {
      let failures = 1;
      receiver.respond = async () => (failures-- > 0 ? { status: 500, body: { error: 'boom' } } : undefined);
      const attempts = await fake.deliverWithRetry(textUpdate('x'), { attempts: 3, delayMs: 1 });
      assert.deepEqual(attempts.map((a) => a.status), [500, 200]);
      assert.deepEqual(attempts[0]?.body, { error: 'boom' });
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[0]?.update.update_id, receiver.received[1]?.update.update_id);
      assert.match((await bot.api.getWebhookInfo()).last_error_message ?? '', /^Wrong response from the webhook: 500/);
    });

    it('counts a refused connection as a failed attempt', async () => {
      const gone = Fastify({ logger: false });
      const address = await gone.listen({ host: '127.0.0.1', port: 0 });
      await gone.close();
      fake.setWebhookTarget(`${address}/hook`);
      const attempts = await fake.deliverWithRetry(textUpdate('x'), { attempts: 2, delayMs: 0 });
      assert.equal(attempts.length, 2);
      assert.ok(attempts.every((a) => a.status === 0 && typeof a.error === 'string'));
      const pre = await fake.deliverPreCheckout({ user: ALICE, payload: 'p', totalAmount: 1 });
      assert.equal(pre.answer, undefined, 'an undeliverable query expires at once');
    });

    it('honours allowed_updates from setWebhook', async () => {
      await bot.api.setWebhook(receiver.url, { secret_token: SECRET, allowed_updates: ['message'] });
      const { delivery, answer } = await fake.deliverPreCheckout({ user: ALICE, payload: 'p', totalAmount: 1 });
      assert.equal(delivery.status, 0);
      assert.match(delivery.error ?? '', /allowed_updates/);
      assert.equal(answer, undefined);
      assert.equal(receiver.received.length, 0);
    });

    it('executes a Bot API call returned as the webhook response', async () => {
      receiver.respond = async (update) => ({ body: { method: 'sendMessage', chat_id: update.message?.chat.id, text: 'pong' } });
      await fake.sendUpdate(textUpdate('ping', ALICE));
      const call = await fake.waitForCall('sendMessage');
      assert.equal(call.viaWebhookReply, true);
      assert.equal(call.params.text, 'pong');
    });

    it('drives a grammY webhookCallback through a whole Stars purchase', async () => {
      const app = Fastify({ logger: false });
      const shop = new Bot(TOKEN, { client: { apiRoot } });
      const paid: string[] = [];
      shop.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(ctx.preCheckoutQuery.invoice_payload.startsWith('order-')));
      shop.on('message:successful_payment', (ctx) => {
        paid.push(ctx.message.successful_payment.telegram_payment_charge_id);
      });
      app.post('/tg', webhookCallback(shop, 'fastify', { secretToken: SECRET }));
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        await shop.api.setWebhook(`${address}/tg`, { secret_token: SECRET });
        await shop.api.createInvoiceLink('Coins', 'd', 'order-e2e', '', 'XTR', STAR_PRICE);
        const result = await fake.payInvoice({ payload: 'order-e2e', user: ALICE, duplicates: 1 });
        assert.deepEqual(result.preCheckout, { ok: true });
        assert.deepEqual(paid, [result.chargeId, result.chargeId]);

        fake.setWebhookTarget(`${address}/tg`, 'wrong-secret');
        const rejected = await fake.sendUpdate(textUpdate('x'));
        assert.equal(rejected.status, 401);
      } finally {
        await app.close();
      }
    });
  });

  describe('dev endpoints', () => {
    const dev = (path: string, body?: unknown, raw?: string) =>
      fetch(`${apiRoot}/_dev/invoices/${path}`, {
        method: body === undefined && raw === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });

    it('shows an invoice and pays it through the webhook', async () => {
      answerEveryPreCheckout(true);
      const slug = fake.invoices.get(await starInvoice('order-dev'))?.slug ?? '';
      const shown = await dev(slug);
      assert.equal(shown.status, 200);
      assert.deepEqual(
        await shown.json().then((b: any) => ({ title: b.title, description: b.description, amount: b.amount, currency: b.currency, status: b.status })),
        { title: 'Coins', description: '100 coins for your pet', amount: 50, currency: 'XTR', status: 'open' },
      );
      const paid = await dev(`${slug}/pay`, { userId: 77, firstName: 'Dev' });
      assert.equal(paid.status, 200);
      const body = (await paid.json()) as { status: string; chargeId: string };
      assert.equal(body.status, 'paid');
      assert.equal(receiver.updates('successful_payment')[0]?.message?.successful_payment?.telegram_payment_charge_id, body.chargeId);
      assert.equal(receiver.updates('pre_checkout_query')[0]?.pre_checkout_query?.from.first_name, 'Dev');
      assert.equal(((await (await dev(slug)).json()) as { status: string }).status, 'paid');
    });

    it('reports a declined payment as failed', async () => {
      answerEveryPreCheckout(false, 'Not today');
      const slug = fake.invoices.get(await starInvoice())?.slug ?? '';
      const res = await dev(`${slug}/pay`, { userId: 77 });
      assert.deepEqual(await res.json(), { status: 'failed', error: 'Not today' });
    });

    it('cancels, 404s unknown invoices and 400s bad bodies', async () => {
      const slug = fake.invoices.get(await starInvoice())?.slug ?? '';
      const cancelled = await dev(`${slug}/cancel`, {});
      assert.deepEqual(await cancelled.json(), { status: 'cancelled' });
      assert.equal(fake.invoices.get(slug)?.status, 'cancelled');
      assert.equal((await dev('nope')).status, 404);
      assert.equal((await dev('nope/pay', { userId: 1 })).status, 404);
      assert.equal((await dev('nope/cancel', {})).status, 404);
      for (const bad of [{}, { userId: -1 }, { userId: 1.5 }, { userId: '1' }, { userId: 1, firstName: '' }, [1]]) {
        const res = await dev(`${slug}/pay`, bad);
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(((await res.json()) as any).error.code, 'VALIDATION_FAILED');
      }
      assert.equal((await dev(`${slug}/pay`, undefined, '{oops')).status, 400);
      assert.equal(receiver.received.length, 0);
    });
  });

  describe('as a plugin on an existing Fastify', () => {
    it('serves under a prefix without touching the parent content-type parsers', async () => {
      const app = Fastify({ logger: false });
      app.post('/echo', async (request) => ({ got: request.body }));
      const mounted = new FakeBotApi({ token: TOKEN, botUsername: 'mounted_bot', now: testClock() });
      mounted.register(app, '/tg/');
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const me = await new Bot(TOKEN, { client: { apiRoot: `${address}/tg` } }).api.getMe();
        assert.equal(me.username, 'mounted_bot');
        const echo = await fetch(`${address}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
        assert.deepEqual(await echo.json(), { got: { a: 1 } });
        const form = await fetch(`${address}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
        assert.equal(form.status, 415, 'the parent still has no url-encoded parser');
        const devRoute = await fetch(`${address}/tg/_dev/invoices/none`);
        assert.equal(devRoute.status, 404);
      } finally {
        await mounted.close();
        await app.close();
      }
    });
  });

  it('reset forgets calls, invoices and charges but keeps the webhook', async () => {
    await starInvoice();
    await fake.deliverSuccessfulPayment({ user: ALICE, payload: 'order-1', totalAmount: 50 });
    fake.reset();
    assert.equal(fake.calls.length, 0);
    assert.equal(fake.invoices.size, 0);
    assert.equal(fake.charges.length, 0);
    assert.equal(fake.deliveries.length, 0);
    assert.deepEqual(fake.webhook?.url, receiver.url);
    await assert.rejects(fake.waitForCall('getMe', undefined, 5), /No getMe call/);
  });
});

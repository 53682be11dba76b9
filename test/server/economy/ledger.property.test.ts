import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../../shared/errors.js';
import { SHOP_ITEMS, STARS_PRODUCTS } from '../../../shared/shop.js';
import { FakeBotApi } from '../../../dev/fake-telegram/fake-bot-api.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { assertLedgerConsistent, grantCoins } from '../../helpers/economy.js';
import { waitFor } from '../../helpers/rooms.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { testClock } from '../../helpers/clock.js';

const SECRET = 'property_secret';
const PRODUCT_IDS = STARS_PRODUCTS.map((p) => p.productId);

/** One step of a random economy history. `replay` repeats an earlier step with its key. */
type Command =
  | { op: 'earn'; player: number; amount: number }
  | { op: 'buy'; player: number; item: number; quantity: number }
  | { op: 'pay'; player: number; product: number; duplicates: number }
  | { op: 'refund'; payment: number }
  | { op: 'replay'; step: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), player: fc.nat(2), amount: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('buy' as const), player: fc.nat(2), item: fc.nat(SHOP_ITEMS.length - 1), quantity: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('pay' as const), player: fc.nat(2), product: fc.nat(PRODUCT_IDS.length - 1), duplicates: fc.nat(2) }),
  fc.record({ op: fc.constant('refund' as const), payment: fc.nat(10) }),
  fc.record({ op: fc.constant('replay' as const), step: fc.nat(30) }),
);

/** Batches of commands; the commands of a batch run at the same time. */
const history = fc.array(fc.array(command, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 });

/** Errors a step may meet by design; anything else fails the property. */
const EXPECTED = new Set(['INSUFFICIENT_FUNDS', 'ALREADY_OWNED', 'PAYMENT_NOT_FOUND', 'NOT_IN_SEASON']);

describeEachDialect('ledger properties', (dialect) => {
  let s: TestServer;
  let fake: FakeBotApi;
  let run = 0;

  before(async () => {
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    s = await startTestServer({ dialect, env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0' } });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
    await waitFor(() => s.app.telegram()?.ready === true, 'the bot');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('keeps every transaction balanced, balances equal to entries, none negative, every key applied once', async function () {
    this.timeout(240_000);
    await fc.assert(
      fc.asyncProperty(history, async (batches) => {
        run++;
        const players = await Promise.all(
          [0, 1, 2].map(async (i) => {
            const telegramId = 950_000 + dialect.length * 10_000 + run * 10 + i;
            const me = (await s.api({ id: telegramId }, 'GET', '/api/v1/me')).body;
            return { id: me.id as string, telegramId, telegram_id: telegramId, language_code: 'en' };
          }),
        );
        const keys: Array<() => Promise<unknown>> = [];
        const charges: string[] = [];
        const buyKeys = new Map<string, { item: string; quantity: number }>();

        const runStep = async (c: Command, depth = 0): Promise<void> => {
          switch (c.op) {
            case 'earn': {
              const key = `prop:${dialect}:${run}:${keys.length}`;
              const player = players[c.player]!;
              const step = () => grantCoins(s.app.db.kysely, s.app.ledger, player.id, c.amount, key);
              keys.push(step);
              await step();
              return;
            }
            case 'buy': {
              const key = `k${run}-${keys.length}`;
              const player = players[c.player]!;
              const def = SHOP_ITEMS[c.item]!;
              const item = def.itemId;
              const quantity = Math.min(c.quantity, def.maxPerPurchase);
              buyKeys.set(`${player.id}:${key}`, { item, quantity });
              const step = () => s.app.shop.purchase(player.id, item, quantity, key);
              keys.push(step);
              await step();
              return;
            }
            case 'pay': {
              const player = players[c.player]!;
              const invoice = await s.app.stars.createInvoice(player, PRODUCT_IDS[c.product]!);
              const paid = await fake.payInvoice({
                invoiceLink: invoice.invoiceLink,
                user: { id: player.telegramId, first_name: 'P' },
                duplicates: c.duplicates,
                concurrent: c.duplicates > 0,
              });
              if (paid.chargeId) {
                charges.push(paid.chargeId);
                const chargeId = paid.chargeId;
                keys.push(() => fake.deliverSuccessfulPayment({ user: { id: player.telegramId }, payload: `order:${invoice.orderId}`, totalAmount: invoice.stars, chargeId }));
              }
              return;
            }
            case 'refund': {
              const chargeId = charges[c.payment % Math.max(charges.length, 1)];
              if (!chargeId) return;
              const step = () => s.app.stars.refund(chargeId);
              keys.push(step);
              await step();
              return;
            }
            case 'replay': {
              const step = keys[c.step % Math.max(keys.length, 1)];
              if (step && depth === 0) await step();
              return;
            }
          }
        };

        for (const batch of batches) {
          const results = await Promise.allSettled(batch.map((c) => runStep(c)));
          for (const r of results) {
            if (r.status === 'rejected' && !(r.reason instanceof AppError && EXPECTED.has(r.reason.code))) throw r.reason;
          }
        }

        await assertLedgerConsistent(s.app.db.kysely);
        // Each purchase key bought once, with what it first asked for.
        for (const player of players) {
          const rows = await s.app.db.kysely.selectFrom('purchases').selectAll().where('player_id', '=', player.id).execute();
          const tx = await s.app.db.kysely
            .selectFrom('ledger_transactions')
            .select(['id', 'idempotency_key'])
            .where('player_id', '=', player.id)
            .where('reason', '=', 'shop_purchase')
            .execute();
          assert.equal(rows.length, tx.length, 'one purchase row per purchase transaction');
          for (const t of tx) {
            const asked = buyKeys.get(t.idempotency_key.replace(/^purchase:/, ''));
            const row = rows.find((r) => r.transaction_id === t.id);
            assert.ok(asked && row, `purchase ${t.idempotency_key} was asked for`);
            assert.equal(row.item_id, asked.item);
            assert.equal(row.quantity, asked.quantity);
          }
        }
        // Each charge credited once and reversed at most once.
        for (const chargeId of charges) {
          const credits = await s.app.db.kysely.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `stars:payment:${chargeId}`).execute();
          assert.equal(credits.length, 1, `charge ${chargeId} credited once`);
          const refunds = await s.app.db.kysely.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `stars:refund:${chargeId}`).execute();
          const payment = await s.app.db.kysely.selectFrom('star_payments').selectAll().where('charge_id', '=', chargeId).executeTakeFirstOrThrow();
          assert.equal(refunds.length, payment.refunded_at === null ? 0 : 1);
        }
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });
});

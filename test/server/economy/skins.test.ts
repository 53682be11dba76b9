import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { FakeBotApi } from '../../../dev/fake-telegram/fake-bot-api.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { grantCoins, preAwardAchievements } from '../../helpers/economy.js';
import { joinHome, petView, waitFor } from '../../helpers/rooms.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';
import { testClock } from '../../helpers/clock.js';

const SECRET = 'skins_secret';
const ADMIN_PASSWORD = 'admin-password-for-skins';

describeEachDialect('wearing skins', (dialect) => {
  let s: TestServer;
  let fake: FakeBotApi;
  let n = 0;

  const newPlayer = async (): Promise<{ user: TestUser; id: string; petId: string }> => {
    const user = { id: 730_000 + dialect.length * 1000 + ++n, firstName: `Dresser${n}` };
    const id = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    await preAwardAchievements(s.app.db.kysely, id);
    const petId = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Coat', species: 'cat' })).body.id as string;
    return { user, id, petId };
  };
  const wear = (user: TestUser, petId: string, skin: string) => s.api(user, 'PUT', `/api/v1/pets/${petId}/skin`, { skin });

  before(async () => {
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    s = await startTestServer({ dialect, env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '0', ADMIN_PASSWORD } });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
    await waitFor(() => s.app.telegram()?.ready === true, 'the bot');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('refuses a skin I do not hold, an unknown one, and someone else’s pet', async () => {
    const me = await newPlayer();
    const other = await newPlayer();
    assert.equal((await s.api(me.user, 'GET', `/api/v1/pets/${me.petId}`)).body.skin, 'default');
    assert.equal((await wear(me.user, me.petId, 'sakura')).body.error.code, 'SKIN_NOT_OWNED');
    assert.equal((await wear(me.user, me.petId, 'diamond')).body.error.code, 'VALIDATION_FAILED');
    assert.equal((await wear(me.user, me.petId, 'Not A Skin!')).status, 400);
    assert.equal((await wear(other.user, me.petId, 'default')).status, 403);
    const row = await s.app.db.kysely.selectFrom('pets').select('skin').where('id', '=', me.petId).executeTakeFirstOrThrow();
    assert.equal(row.skin, 'default');
  });

  it('dresses the pet in a bought coat: the room shows it and its picture in that coat', async () => {
    const me = await newPlayer();
    const room = await joinHome(s, me.user);
    try {
      await waitFor(() => petView(room, me.petId)?.imageStatus === 'ready', 'the default picture');
      const defaultUrl = petView(room, me.petId).imageUrl as string;
      await grantCoins(s.app.db.kysely, s.app.ledger, me.id, 500);
      const bought = await s.api(me.user, 'POST', '/api/v1/shop/purchases', { itemId: 'skin_sakura' }, { 'idempotency-key': randomUUID() });
      assert.equal(bought.status, 201);
      const dressed = await wear(me.user, me.petId, 'sakura');
      assert.equal(dressed.status, 200, JSON.stringify(dressed.body));
      assert.equal(dressed.body.skin, 'sakura');
      await waitFor(() => petView(room, me.petId)?.skin === 'sakura', 'the coat in the room');
      await waitFor(() => petView(room, me.petId)?.imageStatus === 'ready' && petView(room, me.petId)?.imageUrl !== defaultUrl, 'the picture in the coat');
      const images = (await s.api(me.user, 'GET', `/api/v1/pets/${me.petId}/images`)).body.items as Array<{ skin: string; status: string; url: string }>;
      const sakura = images.find((i) => i.skin === 'sakura' && i.status === 'ready');
      assert.ok(sakura, 'a ready picture in the sakura coat');
      assert.equal(petView(room, me.petId).imageUrl, sakura.url);
      const [plain, coat] = await Promise.all([fetch(s.url + defaultUrl).then((r) => r.text()), fetch(s.url + sakura.url).then((r) => r.text())]);
      assert.notEqual(plain, coat, 'the coat changes the picture');
      assert.equal((await wear(me.user, me.petId, 'default')).body.skin, 'default');
      await waitFor(() => petView(room, me.petId)?.imageUrl === defaultUrl, 'the plain picture again');
    } finally {
      await room.leave();
    }
  });

  it('takes a refunded coat off the pet', async () => {
    const me = await newPlayer();
    const created = (await s.api(me.user, 'POST', '/api/v1/stars/invoices', { productId: 'skin_golden' })).body;
    const { chargeId } = await fake.payInvoice({ invoiceLink: created.invoiceLink, user: { id: me.user.id, first_name: 'D' } });
    assert.equal((await wear(me.user, me.petId, 'golden')).body.skin, 'golden');
    const token = (await s.api(null, 'POST', '/admin/login', { password: ADMIN_PASSWORD })).body.token as string;
    const refund = await fetch(`${s.url}/admin/stars/payments/${chargeId}/refund`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(refund.status, 200);
    assert.equal((await s.api(me.user, 'GET', `/api/v1/pets/${me.petId}`)).body.skin, 'default');
    assert.equal((await wear(me.user, me.petId, 'golden')).body.error.code, 'SKIN_NOT_OWNED');
  });
});

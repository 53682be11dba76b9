import assert from 'node:assert/strict';
import { createTelegramBot } from '../../../server/telegram/bot.js';
import { FakeBotApi } from '../../../dev/fake-telegram/fake-bot-api.js';
import { testClock } from '../../helpers/clock.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const TOKEN = '123456:AAH-fake_token';

describe('telegram bot start-up', () => {
  let server: TestServer;
  let fake: FakeBotApi;

  before(async () => {
    // The real app provides the bot's real dependencies (Stars service, metrics, logger).
    server = await startTestServer();
  });

  after(async () => {
    await fake?.close();
    await server?.stop({ dropDatabase: true });
  });

  it('stops trying getMe when stopped while the Bot API keeps failing', async () => {
    fake = new FakeBotApi({ token: TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    // 5xx: grammY's own retry loop inside bot.init() would go on (with growing sleeps) for ever.
    fake.failNext('getMe', { status: 502, count: 1_000_000 });
    const bot = createTelegramBot({
      token: TOKEN,
      apiRoot,
      publicUrl: 'http://localhost:2567',
      botUsername: null,
      miniAppName: null,
      stars: server.app.stars,
      notifications: server.app.notifications,
      logger: server.app.logger,
      metrics: server.app.metrics,
      timeoutSeconds: 10,
    });
    const init = bot.init();
    await fake.waitForCall('getMe', () => fake.callsOf('getMe').length >= 3);
    bot.stop();
    await init;
    assert.equal(bot.ready, false);
    assert.equal(bot.api(), null);
  });
});

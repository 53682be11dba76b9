import assert from 'node:assert/strict';
import { FakeBotApi } from '../../../dev/fake-telegram/fake-bot-api.js';
import { JobRunsRepository } from '../../../server/repositories/job-runs-repository.js';
import { needService } from '../../helpers/services.js';
import { waitFor } from '../../helpers/rooms.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { testClock } from '../../helpers/clock.js';

const SECRET = 'schedule_secret';

describe('scheduled Stars reconciliation [postgres]', function () {
  this.timeout(30_000);
  let fake: FakeBotApi;
  let s: TestServer;

  before(async function () {
    await needService(this, 'postgres');
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    s = await startTestServer({ dialect: 'postgres', env: { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, STARS_RECONCILE_INTERVAL_S: '1' } });
    fake.setWebhookTarget(`${s.url}/telegram/webhook`, SECRET);
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('runs on its timer after claiming the round in job_runs under this process', async () => {
    await waitFor(() => fake.callsOf('getStarTransactions').length > 0, 'a scheduled getStarTransactions');
    const last = await new JobRunsRepository(s.app.db.kysely).last('stars_reconcile');
    assert.ok(last, 'the round was claimed');
    assert.equal(last.holder, s.app.processId);
    assert.ok(last.lastStartedAt > 0);
  });
});

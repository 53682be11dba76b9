import assert from 'node:assert/strict';
import { describeEachDialect } from '../../helpers/dialects.js';
import { waitFor } from '../../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../../helpers/test-server.js';

/** 2026-03-10 noon UTC: half a day of budget left, so a daily refusal waits 43,200 s. */
const NOON = Date.parse('2026-03-10T12:00:00Z');
const NEXT_DAY = Date.parse('2026-03-11T00:00:01Z');
const BURST = 100;
/** The quota is under test here, not the per-player request limit in front of it (rate-limit.test.ts). */
const NO_REQUEST_LIMIT = { RATE_LIMIT_IMAGE_REQUESTS_MAX: '0' };

type Reply = { status: number; body: any };

const accepted = (replies: Reply[]) => replies.filter((r) => r.status === 202);
const refused = (replies: Reply[]) => replies.filter((r) => r.status !== 202);

describeEachDialect('image quota under concurrency', (dialect) => {
  let s: TestServer | undefined;
  let now = NOON;

  afterEach(async () => {
    await s?.stop({ dropDatabase: true });
    s = undefined;
    now = NOON;
  });

  const newPet = async (server: TestServer, user: TestUser) => (await server.api(user, 'POST', '/api/v1/pets', { name: 'Burst', species: 'cat' })).body.id as string;
  const burst = (server: TestServer, user: TestUser, petId: string) =>
    Promise.all(Array.from({ length: BURST }, () => server.api(user, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {})));
  const playerRows = (server: TestServer, petId: string) =>
    server.app.db.kysely.selectFrom('pet_images').select(['id', 'status']).where('pet_id', '=', petId).where('requested_by', '=', 'player').execute();

  it(`accepts at most IMAGE_MAX_IN_FLIGHT of ${BURST} simultaneous regenerations, with one row and one job each`, async () => {
    // No worker: accepted pictures stay in flight for the whole burst.
    s = await startTestServer({ dialect, now: () => now, env: { ...NO_REQUEST_LIMIT, IMAGE_MAX_IN_FLIGHT: '2', IMAGE_DAILY_BUDGET: '10', WORKERS_IN_PROCESS: 'false' } });
    const user = { id: 8501 };
    const petId = await newPet(s, user);
    const replies = await burst(s, user, petId);
    assert.equal(accepted(replies).length, 2);
    for (const r of refused(replies)) {
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'RATE_LIMITED');
      assert.equal(r.body.error.retryAfterSeconds, 15, 'refused for pictures in flight, not for the day');
    }
    const rows = await playerRows(s, petId);
    assert.deepEqual(rows.map((r) => r.id).sort(), accepted(replies).map((r) => r.body.id).sort());
    assert.equal((await s.app.pipeline.queue.counts()).waiting, rows.length, 'one job per accepted request');
  });

  it(`accepts at most IMAGE_DAILY_BUDGET of ${BURST} simultaneous regenerations`, async () => {
    s = await startTestServer({ dialect, now: () => now, env: { ...NO_REQUEST_LIMIT, IMAGE_MAX_IN_FLIGHT: '100', IMAGE_DAILY_BUDGET: '10', WORKERS_IN_PROCESS: 'false' } });
    const user = { id: 8502 };
    const petId = await newPet(s, user);
    const replies = await burst(s, user, petId);
    assert.equal(accepted(replies).length, 10);
    for (const r of refused(replies)) {
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'RATE_LIMITED');
      assert.equal(r.body.error.retryAfterSeconds, 43_200, 'refused until the next UTC day');
    }
    assert.equal((await playerRows(s, petId)).length, 10);
    assert.equal((await s.app.pipeline.queue.counts()).waiting, 10);
  });

  it(`holds the limits for ${BURST} simultaneous calls straight into the service (no HTTP to spread them out)`, async () => {
    s = await startTestServer({ dialect, now: () => now, env: { ...NO_REQUEST_LIMIT, IMAGE_MAX_IN_FLIGHT: '2', IMAGE_DAILY_BUDGET: '10', WORKERS_IN_PROCESS: 'false' } });
    const user = { id: 8504 };
    const petId = await newPet(s, user);
    const playerId = (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
    const images = s.app.images;
    const outcomes = await Promise.allSettled(Array.from({ length: BURST }, () => images.regenerate(playerId, petId)));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 2);
    for (const o of outcomes) if (o.status === 'rejected') assert.equal((o.reason as { code?: string }).code, 'RATE_LIMITED');
    assert.equal((await playerRows(s, petId)).length, 2);
    assert.equal((await s.app.pipeline.queue.counts()).waiting, 2);
  });

  it('never grants more than the daily budget across a day of bursts, and grants again the next day', async function () {
    this.timeout(60_000);
    // A worker finishes pictures while bursts come in: in flight frees up, the day's budget does not.
    s = await startTestServer({ dialect, now: () => now, env: { ...NO_REQUEST_LIMIT, IMAGE_MAX_IN_FLIGHT: '2', IMAGE_DAILY_BUDGET: '10', IMAGE_PRESET: 'fast' } });
    const server = s;
    const user = { id: 8503 };
    const petId = await newPet(server, user);
    let total = 0;
    for (let wave = 0; wave < 20; wave++) {
      const replies = await burst(server, user, petId);
      assert.ok(accepted(replies).length <= 10 - total, `wave ${wave} stays within what is left of the budget`);
      total += accepted(replies).length;
      assert.ok(refused(replies).every((r) => r.status === 429 && r.body.error.code === 'RATE_LIMITED'));
      if (refused(replies).length === BURST && refused(replies).every((r) => r.body.error.retryAfterSeconds === 43_200)) break;
      await waitFor(async () => (await playerRows(server, petId)).every((r) => r.status === 'ready'), 'the pictures in flight to finish');
    }
    assert.equal(total, 10);
    const rows = await playerRows(server, petId);
    assert.equal(rows.length, 10);
    assert.equal((await server.app.pipeline.queue.counts()).completed, 10, 'one job per accepted request');

    now = NEXT_DAY;
    const nextDay = await server.api(user, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {});
    assert.equal(nextDay.status, 202, 'a new UTC day, a new budget');
  });
});
